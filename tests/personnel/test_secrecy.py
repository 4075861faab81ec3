"""Step 2 (the wider conference): its results reach nobody without VIEW_CONFIDENTIAL until the process ends.

Through every page and export that could show them: the nomination page (the step and its ledger entry), the
registers and their exports, the nominator's record and its export. The counts are chosen so that they appear
nowhere else on the pages (7 votes of 9 ballots; 1 invalid).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from common.actors import SYSTEM
from personnel import services
from personnel.models import ResponsibilityEntry

from .conftest import counts

pytestmark = pytest.mark.django_db
D = dt.date
SECRET_VOTES = 7


@pytest.fixture
def secret(committee):
    c = committee
    n = c.introduced()
    services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive, title="Hội nghị mở rộng"),
                         counts=counts(9, {c.nominee.pk: SECRET_VOTES}, invalid=1), actor=c.clerk)
    n.refresh_from_db()
    return n


def _xlsx_cells(response) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def _page_reveals(html: str) -> bool:
    return ("9 / 9 / 8 / 1" in html or f"{SECRET_VOTES}</strong>" in html or "Phiếu hợp lệ:</span> 8" in html
            or "Phiếu không hợp lệ:</span> 1" in html)


def test_the_page_withholds_the_conference_from_the_clerk_and_the_head(client, committee, secret):
    entry = ResponsibilityEntry.objects.get(nomination=secret, kind="step")
    for user in (committee.clerk, committee.head_user):
        client.force_login(user)
        page = client.get(f"/nominations/{secret.pk}/")
        html = page.content.decode()
        assert page.status_code == 200
        step = next(s for s in page.context["steps"] if s.step.number == 2)
        assert step.hidden and step.votes == [] and step.threshold == {}
        shown = next(e for e in page.context["entries"] if e.entry.pk == entry.pk)
        assert shown.hidden and shown.data == []
        assert entry.hash in html  # the chain stays checkable
        assert not _page_reveals(html)
        assert 'data-testid="withheld"' in html


def test_the_province_board_reads_the_conference(client, committee, secret, board_officer):
    client.force_login(board_officer)
    html = client.get(f"/nominations/{secret.pk}/").content.decode()
    assert f"{SECRET_VOTES}</strong>" in html and "9 / 9 / 8 / 1" in html and "Phiếu hợp lệ:</span> 8" in html
    record = client.get(f"/people/{committee.head.pk}/nominations-made/?export=xlsx")
    assert any("Phiếu hợp lệ: 8" in str(c) for c in _xlsx_cells(record))


def test_the_inspection_reads_the_record_without_the_conference(client, committee, secret, inspector_a):
    client.force_login(inspector_a)
    page = client.get(f"/people/{committee.head.pk}/nominations-made/")
    assert page.status_code == 200
    assert not _page_reveals(page.content.decode())
    cells = _xlsx_cells(client.get(f"/people/{committee.head.pk}/nominations-made/?export=xlsx"))
    assert not any("hợp lệ: " in str(c) for c in cells)
    assert any("Kết quả không công bố" in str(c) for c in cells)
    assert not _page_reveals(client.get(f"/nominations/{secret.pk}/").content.decode())


def test_the_registers_and_their_exports_hold_no_counts(client, committee, secret):
    client.force_login(committee.clerk)
    for url in (f"/org/{committee.org.pk}/nominations/", "/nominations/"):
        assert not _page_reveals(client.get(url).content.decode())
        cells = _xlsx_cells(client.get(url + "?export=xlsx"))
        assert SECRET_VOTES not in cells and not any("hợp lệ" in str(c) for c in cells)


def test_the_results_are_shown_once_the_nomination_is_finished(client, committee, secret):
    services.nomination_withdraw(nomination=secret, reason="Sức khỏe", on=D(2026, 3, 12), actor=SYSTEM)
    client.force_login(committee.clerk)
    html = client.get(f"/nominations/{secret.pk}/").content.decode()
    assert f"{SECRET_VOTES}</strong>" in html and "9 / 9 / 8 / 1" in html and "Phiếu hợp lệ:</span> 8" in html
