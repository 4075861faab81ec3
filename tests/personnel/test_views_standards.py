"""The standards check on the pages: shown on the nomination's page and before each act, the board's judgement
of the ethics standards from the page, a warned step recorded only with its explanation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from organizations.models import Discipline, DisciplineForm
from personnel.models import EntryKind, ResponsibilityEntry, StandardsNote

from .test_services_standards import _classified

pytestmark = pytest.mark.django_db
D = dt.date


def _step_data(meeting, **kw):
    data = {"meeting": meeting.pk, "issued": 9, "returned": 9, "valid": 9, "invalid": 0, "nominee_votes": 7}
    data.update(kw)
    return data


def test_the_nomination_s_page_shows_the_check_with_reasons_and_citations(client, committee):
    c = committee
    n = c.introduced()
    Discipline.objects.create(person=c.nominee, owner=c.org, form=DisciplineForm.WARNING, decided_on=D(2026, 4, 1),
                              decided_by=c.org, decision_ref="02-QĐ/UBKT")
    client.force_login(c.clerk)
    html = client.get(n.get_absolute_url()).content.decode()
    assert 'data-testid="standards"' in html
    assert 'data-item="discipline" data-outcome="failed"' in html
    assert "chưa đủ 36 tháng, đến ngày 01/04/2029" in html and "377-QĐ/TW" in html
    assert 'data-item="planning" data-outcome="passed"' in html
    assert 'data-item="ethics" data-outcome="not_assessed"' in html
    assert "Cảnh cáo 36 tháng" in html  # the setting applied, shown
    assert 'data-testid="standards-note-form"' not in html  # the board's to judge


def test_the_board_records_its_judgement_from_the_page_and_others_may_not(client, committee, board_officer):
    c = committee
    n = c.introduced()
    url = f"/nominations/{n.pk}/standards/"
    client.force_login(board_officer)
    assert 'data-testid="standards-note-form"' in client.get(n.get_absolute_url()).content.decode()
    refused = client.post(url, {"s-standard": "integrity", "s-met": "0", "s-note": ""})
    assert refused.status_code == 400 and "Ghi nhận xét khi đánh giá chưa đạt chuẩn mực." in refused.content.decode()
    assert client.post(url, {"s-standard": "beauty", "s-met": "1"}).status_code == 400
    assert not StandardsNote.objects.exists()
    assert client.post(url, {"s-standard": "integrity", "s-met": "0", "s-note": "Chưa kê khai"}).status_code == 302
    note = StandardsNote.objects.get()
    assert (note.standard, note.met, note.note, note.recorded_by) == ("integrity", False, "Chưa kê khai", board_officer)
    html = client.get(n.get_absolute_url()).content.decode()
    assert 'data-item="ethics" data-outcome="failed"' in html and "Chưa kê khai" in html
    client.force_login(c.clerk)
    assert client.post(url, {"s-standard": "integrity", "s-met": "1"}).status_code == 403
    assert StandardsNote.objects.count() == 1


def test_a_warned_step_is_recorded_only_with_its_explanation(client, committee):
    c = committee
    n = c.introduced()
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        _classified(c, 2025, "not_completed", decided=D(2026, 1, 5))
    meeting = c.meeting(D(2026, 3, 9), c.executive)
    client.force_login(c.clerk)
    page = client.get(f"/nominations/{n.pk}/steps/new/").content.decode()
    assert 'data-testid="standards-warned"' in page and "Giải trình tiêu chuẩn chưa đạt" in page
    refused = client.post(f"/nominations/{n.pk}/steps/new/", _step_data(meeting))
    assert refused.status_code == 400
    assert "chỉ tiếp tục khi có giải trình bằng văn bản" in refused.content.decode()
    assert not n.steps.filter(number=2).exists()
    done = client.post(f"/nominations/{n.pk}/steps/new/", _step_data(meeting, explanation="Đã khắc phục năm 2026"))
    assert done.status_code == 302
    entry = ResponsibilityEntry.objects.get(nomination=n, kind=EntryKind.STANDARDS_EXPLAINED)
    assert entry.data["explanation"] == "Đã khắc phục năm 2026" and entry.data["step"] == 2


@pytest.mark.parametrize("data", [{"s-standard": "x" * 5000, "s-met": "1"}, {"s-met": "maybe"}, {}])
def test_hostile_judgements_never_break_the_page(client, committee, board_officer, data):
    n = committee.introduced()
    client.force_login(board_officer)
    assert client.post(f"/nominations/{n.pk}/standards/", data).status_code == 400
    assert client.get(f"/nominations/{10**12}/standards/").status_code in (404, 405)
