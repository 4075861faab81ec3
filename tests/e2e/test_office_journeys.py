"""An office at work in the browser: the clerk's registers and export, the head's own decision,
the inspector's queue, and a member's home without a dead link."""

import datetime as dt
import io

import openpyxl
import pytest

from common.actors import SYSTEM
from governance import services as svc
from governance.models import Decision
from organizations.models import RoleKind
from organizations.services import role_grant
from tests.e2e.conftest import login
from tests.factories import UserFactory
from tests.governance.test_views_working import _committee, irregular_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(catalog, province):
    """The grassroots committee of A with a meeting last month (two decisions) and an irregular one."""
    executive, people, collective, individual = _committee(province.grassroots)
    last_month = dt.date.today() - dt.timedelta(days=30)
    meeting = svc.meeting_open(body=executive, date=last_month, title="Hội nghị tháng trước", actor=SYSTEM)
    for title in ("Nghị quyết về công tác cán bộ", "Nghị quyết về tài chính"):
        svc.decision_record_collective(meeting=meeting, matter=collective, title=title, votes_for=5, actor=SYSTEM)
    older = svc.meeting_open(body=executive, date=last_month - dt.timedelta(days=60), title="Hội nghị cũ",
                             actor=SYSTEM)
    irregular_decision(older, people, collective, "Nghị quyết thiếu người dự")
    return {"people": people, "individual": individual, "last_month": last_month}


def test_a_clerk_finds_last_months_meeting_and_exports_its_decisions(page, province, staff_a, office):
    day = office["last_month"].strftime("%d/%m/%Y")
    login(page, "staff_a")
    page.locator("nav.navbar").get_by_role("link", name="Sổ hội nghị").click()
    page.get_by_label("Từ ngày").fill(day)
    page.get_by_label("Đến ngày").fill(day)
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name="Hội nghị tháng trước").click()
    page.wait_for_url("**/meetings/*/")
    assert "Nghị quyết về tài chính" in page.get_by_test_id("decisions").inner_text()

    page.locator("nav.navbar").get_by_role("link", name="Sổ quyết định").click()
    page.get_by_label("Từ ngày").fill(day)
    page.get_by_label("Đến ngày").fill(day)
    page.get_by_role("button", name="Lọc").click()
    assert page.get_by_test_id("row-count").inner_text() == "2 dòng"
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    titles = sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert titles == ["Nghị quyết về công tác cán bộ", "Nghị quyết về tài chính"]
    assert download.value.suggested_filename.startswith("so-quyet-dinh-") and \
        download.value.suggested_filename.endswith(".xlsx")


def test_a_head_records_and_signs_their_own_decision(page, province, office):
    head = UserFactory(username="bithu", first_name="Bí thư")
    secretary = office["people"][0]
    secretary.user = head
    secretary.save()
    role_grant(user=head, kind=RoleKind.HEAD, organization=province.grassroots, actor=SYSTEM)
    login(page, "bithu")
    page.get_by_test_id("record-own").click()
    page.get_by_label("Vấn đề").select_option(index=1)
    page.get_by_label("Ngày quyết định").fill((dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.get_by_label("Nội dung quyết định").fill("Chi tiếp khách đoàn công tác")
    assert page.get_by_label("Người ký").is_disabled()
    page.get_by_role("button", name="Ghi quyết định").click()
    page.wait_for_url("**/decisions/*/")
    decision = Decision.objects.get(title="Chi tiếp khách đoàn công tác")
    assert decision.signatory == secretary and decision.recorded_by == head
    assert secretary.full_name in page.locator("main").inner_text()


def test_an_inspector_goes_from_their_home_to_an_irregular_decision(page, province, inspector_a, office):
    login(page, "inspector_a")
    assert page.get_by_test_id("irregular-count").first.inner_text() == "1"
    page.get_by_role("link", name="Mở danh sách cần kiểm tra").click()
    page.get_by_role("link", name="Nghị quyết thiếu người dự").click()
    page.wait_for_url("**/decisions/*/")
    assert "3/5" in page.locator("main").inner_text()  # the reason: 3 of 5 present, 4 needed


def test_a_members_home_has_no_dead_link(page, province, an):
    login(page, "an")
    hrefs = {h for h in page.locator("a[href^='/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
             if not h.startswith("/static/")}
    assert hrefs
    for href in sorted(hrefs):
        response = page.goto(href)
        assert response.status < 400, href
