"""A committee clerk records a meeting and a vote, is refused for quorum, fixes the attendance,
records the decision and approves the minutes."""

import datetime as dt

import pytest

from common.actors import SYSTEM
from governance import services as svc
from governance.models import Decision, DecisionStatus, Field, Meeting, Mode, WorkingRegulation
from organizations.models import BodyKind
from tests.e2e.conftest import login
from tests.factories import BodyFactory, TenureFactory, position

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_records_a_meeting_a_refused_vote_then_a_valid_one_and_approves_the_minutes(page, catalog, province,
                                                                                          staff_a):
    org = province.grassroots
    executive = BodyFactory(organization=org, kind=BodyKind.EXECUTIVE)
    members = [TenureFactory(position=position("secretary" if i == 0 else "executive-member"), organization=org,
                             body=executive, start=dt.date(2020, 10, 1), person__full_name=f"Ủy viên số {i + 1:02d}"
                             ).person for i in range(11)]
    regulation = WorkingRegulation.objects.create(organization=org, version=1, title="Quy chế làm việc")
    svc.matter_add(regulation=regulation, actor=SYSTEM, code="NS-01", title="Giới thiệu nhân sự",
                   field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE, ballot="secret",
                   provisions=[{"code": "ĐLĐ-2011", "ref": "9.5"}])
    svc.regulation_adopt(regulation=regulation, start=dt.date(2021, 1, 1), actor=SYSTEM)

    login(page, "staff_a")
    page.goto(org.get_absolute_url())
    page.get_by_role("link", name="Quy chế làm việc, hội nghị").click()
    page.get_by_role("link", name="Ghi một hội nghị").click()
    page.get_by_label("Cơ quan lãnh đạo").select_option(label=str(executive))
    page.get_by_label("Ngày họp").fill("10/03/2025")
    page.get_by_label("Tên hội nghị").fill("Hội nghị Ban Chấp hành tháng 3")
    page.get_by_role("button", name="Mở hội nghị").click()
    page.wait_for_url("**/meetings/*/")
    assert page.get_by_test_id("present-count").inner_text() == "11/11"

    for member in members[7:]:  # four members away: 7 of 11 present
        page.get_by_label(f"Có mặt: {member.full_name}").uncheck()
        page.get_by_label(f"Lý do vắng: {member.full_name}").fill("Đi công tác")
    page.get_by_role("button", name="Lưu điểm danh").click()
    assert page.get_by_test_id("present-count").inner_text() == "7/11"

    page.locator("#id_matter").select_option(index=1)
    page.locator("#id_title").fill("Giới thiệu đồng chí A")
    page.locator("#id_votes_for").fill("7")
    page.locator("#id_ballot").select_option("secret")
    page.get_by_role("button", name="Ghi quyết định").click()
    refusal = page.get_by_test_id("refusal")
    assert "Chỉ có 7/11 thành viên có mặt; cần ít nhất 8." in refusal.inner_text()
    assert "Khoản 1 Điều 21 Quy định 80-QĐ/TW" in refusal.inner_text()
    assert not Decision.objects.exists()

    page.get_by_label(f"Có mặt: {members[7].full_name}").check()
    page.get_by_label(f"Lý do vắng: {members[7].full_name}").fill("")
    page.get_by_role("button", name="Lưu điểm danh").click()
    assert page.get_by_test_id("present-count").inner_text() == "8/11"

    page.locator("#id_matter").select_option(index=1)
    page.locator("#id_title").fill("Giới thiệu đồng chí A")
    page.locator("#id_votes_for").fill("6")
    page.locator("#id_votes_against").fill("2")
    page.locator("#id_ballot").select_option("secret")
    page.get_by_role("button", name="Ghi quyết định").click()
    assert "Hợp lệ" in page.get_by_test_id("decisions").inner_text()

    page.get_by_role("link", name="Thông qua biên bản…").click()
    assert "1 quyết định" in page.get_by_test_id("approve-confirm").inner_text()
    page.get_by_role("button", name="Xác nhận thông qua biên bản").click()
    assert page.get_by_test_id("frozen").is_visible()
    assert page.get_by_role("button", name="Ghi quyết định").count() == 0
    meeting = Meeting.objects.get()
    assert meeting.frozen and Decision.objects.get().status == DecisionStatus.VALID

    page.emulate_media(media="print")  # the minutes as the browser prints them: the record, no controls
    header = page.get_by_test_id("print-header")
    assert header.is_visible() and org.name.upper() in header.inner_text().upper()
    absent = page.get_by_test_id("print-attendance").inner_text()
    assert f"{members[8].full_name} (Đi công tác)" in absent
    assert "Khoản 5 Điều 9 Điều lệ Đảng" in page.get_by_test_id("decisions").inner_text()
    assert not page.locator("nav.navbar").is_visible() and not page.get_by_role("button", name="In").is_visible()
