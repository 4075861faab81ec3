"""A deputy's appointment under Regulation 142, in the browser: the head introduces a planned member, the clerk
copies the five steps' vote-counting minutes (one impossible count refused), the decision appoints; a year on the
appointee is disciplined after the head has retired, and the organization board finds it on the head's record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from common.actors import SYSTEM
from organizations.models import AccessRole, RoleKind, Tenure, today
from organizations.services import role_revoke, tenure_end
from personnel.models import Nomination, ProcedureStep, ResponsibilityEntry
from tests.e2e.conftest import login
from tests.personnel.conftest import PROGRAM, build_committee
from tests.personnel.test_views_flows import personnel_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOMINATION_PAGE = re.compile(r"/nominations/\d+/$")
PROGRAM_FIELDS = {"work": "Rõ việc", "people": "Rõ người", "schedule": "Rõ tiến độ", "results": "Rõ kết quả",
                  "responsibility": "Rõ trách nhiệm"}


def _day(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _switch_to(page, username: str) -> None:
    page.locator("nav.navbar").get_by_role("button", name="Đăng xuất").click()
    login(page, username)


@pytest.fixture
def journey(catalog, province, board_officer, inspector_a):
    """Committee A (head ``bithu_a``, clerk ``vanphong_a``, a member planned for deputy secretary since
    01/12/2025), the four meetings of steps 2-5 and the executive committee's appointment decision, dated back
    from today: the browser stays on the real clock (tests/conftest.py), so the year passes in the records.
    (Regulation 142's pilot runs to 23/04/2029: the introduction, a year back, or on 01/03/2029 once a year back
    falls after it, stays inside the pilot.)"""
    c = build_committee(province.sub_a, cell=province.cell_1, planned_by=province.root)
    introduced_on = min(today() - dt.timedelta(days=365), dt.date(2029, 3, 1))  # inside the pilot, however late
    week = dt.timedelta(days=7)
    meetings = [c.meeting(introduced_on + (i + 1) * week, body, title=title) for i, (body, title) in enumerate((
        (c.executive, "Hội nghị mở rộng"), (c.standing, "Hội nghị Ban Thường vụ lựa chọn"),
        (c.executive, "Hội nghị cán bộ chủ chốt"), (c.standing, "Hội nghị Ban Thường vụ biểu quyết")))]
    decision = personnel_decision(c, introduced_on + 5 * week)
    return c, introduced_on, meetings, decision


def _record_step(page, meeting, *, valid: int, invalid: int = 0, votes: int) -> None:
    page.get_by_label("Hội nghị").select_option(label=f"{meeting} — {meeting.body}")
    page.get_by_label("Số phiếu phát ra").fill("9")
    page.get_by_label("Số phiếu thu về").fill("9")
    page.get_by_label("Số phiếu hợp lệ").fill(str(valid))
    page.get_by_label("Số phiếu không hợp lệ").fill(str(invalid))
    page.get_by_label("Số phiếu của người được giới thiệu").fill(str(votes))
    page.get_by_role("button", name="Ghi kết quả").click()


def test_a_head_introduces_a_deputy_who_is_appointed_then_disciplined_after_the_head_retired(page, journey):
    c, introduced_on, meetings, decision = journey
    org, nominee, head = c.org, c.nominee, c.head

    # 1. The head drafts the introduction in the organization's register, then introduces it in person.
    login(page, "bithu_a")
    page.locator("nav.navbar").get_by_role("link", name="Công tác cán bộ").click()
    page.locator("main").get_by_role("link", name=org.name, exact=True).click()
    page.wait_for_url(f"**/org/{org.pk}/nominations/")
    page.get_by_role("link", name="Dự thảo giới thiệu nhân sự").click()
    page.get_by_label("Loại").select_option(label="Giới thiệu bổ nhiệm cấp phó của người đứng đầu "
                                                  "(Điều 3 Quy định 142)")
    page.get_by_label("Chức danh").select_option(label="Phó Bí thư")
    page.get_by_label("Số thẻ đảng viên của người được giới thiệu").fill(nominee.card_number)
    page.get_by_label("Nguồn nhân sự").select_option(label="Nguồn nhân sự tại chỗ")
    page.get_by_label("Lý do giới thiệu").fill("Trưởng thành từ cơ sở, có năng lực điều hành")
    for part, label in PROGRAM_FIELDS.items():
        page.get_by_label(label).fill(PROGRAM[part])
    page.get_by_role("button", name="Ghi dự thảo").click()
    page.wait_for_url(NOMINATION_PAGE)
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi dự thảo giới thiệu.")
    expect(page.get_by_test_id("state")).to_have_text("Dự thảo")
    expect(page.get_by_test_id("nominator")).to_contain_text(head.full_name)
    nomination = Nomination.objects.get()
    assert (nomination.kind, nomination.nominee, nomination.nominator) == ("deputy", nominee, head)

    page.get_by_test_id("introduce").click()
    expect(page.get_by_test_id("introduction-ready")).to_contain_text("Người đứng đầu chịu trách nhiệm")
    page.get_by_label("Ngày giới thiệu").fill(_day(introduced_on))
    page.get_by_role("button", name="Tôi xác nhận giới thiệu").click()
    page.wait_for_url(NOMINATION_PAGE)
    expect(page.get_by_role("alert")).to_contain_text("Đã giới thiệu nhân sự.")
    expect(page.get_by_test_id("state")).to_have_text("Đã giới thiệu")
    expect(page.locator("[data-step='1']")).to_contain_text("Người đứng đầu giới thiệu")
    expect(page.get_by_test_id("record-step")).to_have_count(0)  # the counts are the office's to copy

    # 2. The clerk copies each step's minutes; step 2's results stay with the organization board.
    _switch_to(page, "vanphong_a")
    page.locator("nav.navbar").get_by_role("link", name="Công tác cán bộ").click()
    page.get_by_role("link", name=nominee.full_name).click()
    page.wait_for_url(NOMINATION_PAGE)
    page.get_by_test_id("record-step").click()
    expect(page.locator("h1")).to_contain_text("Bước 2")
    _record_step(page, meetings[0], valid=9, votes=7)
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi kết quả bước 2.")
    expect(page.locator("[data-step='2'] [data-testid='withheld']")).to_be_visible()

    page.get_by_test_id("record-step").click()
    recorded = ProcedureStep.objects.count(), ResponsibilityEntry.objects.count()
    _record_step(page, meetings[1], valid=8, votes=6)  # the invalid ballot left out of the copy
    expect(page.get_by_test_id("form-error")).to_have_text(
        "Phiếu hợp lệ (8) cộng phiếu không hợp lệ (0) phải bằng số phiếu thu về (9).")
    assert (ProcedureStep.objects.count(), ResponsibilityEntry.objects.count()) == recorded
    expect(page.get_by_label("Số phiếu của người được giới thiệu")).to_have_value("6")  # the inputs kept
    page.get_by_label("Số phiếu không hợp lệ").fill("1")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi kết quả bước 3.")
    expect(page.locator("[data-step='3'] [data-testid='step-result']")).to_have_text("Được lựa chọn")
    expect(page.locator("[data-step='3']")).to_contain_text("9 / 9 / 8 / 1")

    for number, (meeting, votes) in enumerate(((meetings[2], 8), (meetings[3], 6)), start=4):
        page.get_by_test_id("record-step").click()
        _record_step(page, meeting, valid=9, votes=votes)
        expect(page.get_by_role("alert")).to_contain_text(f"Đã ghi kết quả bước {number}.")
    expect(page.locator("[data-step='5'] [data-testid='step-result']")).to_have_text("Đạt")
    expect(page.get_by_test_id("state")).to_have_text("Được lựa chọn")
    expect(page.get_by_test_id("record-step")).to_have_count(0)

    # 3. The executive committee's decision appoints the deputy; the post shows on the appointee's page.
    start = decision.date + dt.timedelta(days=5)
    page.get_by_test_id("appoint").click()
    page.get_by_label("Quyết định của cấp có thẩm quyền").select_option(
        label=f"{decision.title} — {org.name} ({_day(decision.date)})")
    page.get_by_label("Ngày bắt đầu giữ chức vụ").fill(_day(start))
    page.get_by_role("button", name="Ghi quyết định").click()
    page.wait_for_url(NOMINATION_PAGE)
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi quyết định của cấp có thẩm quyền.")
    expect(page.get_by_test_id("state")).to_have_text("Đã có quyết định")
    expect(page.get_by_test_id("submission")).to_contain_text(decision.title)
    expect(page.locator("[data-step='2'] [data-testid='withheld']")).to_have_count(0)  # the process is over
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=org.name).click()
    page.get_by_role("link", name="Người giữ chức vụ").click()
    expect(page.locator("main")).to_contain_text("Phó Bí thư")
    page.get_by_role("link", name=nominee.full_name).first.click()
    tenure = page.locator("main tr").filter(has_text="Phó Bí thư")
    expect(tenure).to_contain_text(_day(start))
    expect(tenure).to_contain_text("nay")

    # 4. Meanwhile the head retired (posts ended, the head's access revoked); today the inspection
    #    committee records a reprimand of the deputy.
    retired_on = today() - dt.timedelta(days=60)
    for held in Tenure.objects.filter(person=head, end__isnull=True):
        tenure_end(tenure=held, end=retired_on, actor=SYSTEM)
    role_revoke(user=c.head_user, role=AccessRole.objects.get(kind=RoleKind.HEAD, organization=org), actor=SYSTEM)

    _switch_to(page, "inspector_a")
    page.locator("nav.navbar").get_by_role("link", name="Tra cứu đảng viên").click()
    page.get_by_label("Họ tên hoặc số thẻ").fill(nominee.card_number)
    page.get_by_role("button", name="Tìm").click()
    page.locator("main").get_by_role("link", name=nominee.full_name, exact=True).click()
    page.wait_for_url(f"**{nominee.get_absolute_url()}")
    page.get_by_role("link", name="Ghi quyết định kỷ luật").click()
    page.get_by_label("Hình thức").select_option(label="Khiển trách")
    expect(page.get_by_label("Ngày quyết định")).to_have_value(_day(today()))
    page.get_by_label("Cấp quyết định").select_option(label=org.name)
    page.get_by_label("Số quyết định").fill("05-QĐ/UBKT")
    page.get_by_label("Lý do").fill("Vi phạm quy chế làm việc")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi quyết định kỷ luật.")
    expect(page.locator("main")).to_contain_text("Khiển trách")

    # 5. The organization board opens the retired head's record from the nomination: the discipline is on it.
    _switch_to(page, "board_officer")
    page.locator("nav.navbar").get_by_role("link", name="Công tác cán bộ").click()
    page.get_by_role("link", name=nominee.full_name).click()
    page.wait_for_url(NOMINATION_PAGE)
    expect(page.get_by_test_id("nominator")).to_contain_text(f"đến {_day(retired_on)}")
    page.get_by_test_id("nominator-record").click()
    page.wait_for_url(f"**/people/{head.pk}/nominations-made/")
    expect(page.locator("h1")).to_have_text(f"Quá trình giới thiệu nhân sự: {head.full_name}")
    made = page.get_by_test_id("made").locator("tbody tr")
    expect(made).to_have_count(1)
    expect(made).to_contain_text(nominee.full_name)
    expect(made).to_contain_text(f"Bí thư {org.name}")  # the post held on the day of the introduction
    expect(made).to_contain_text("Đã có quyết định")
    expect(made.locator(".badge")).to_have_text("1 sự kiện")
    later = page.get_by_test_id("events").locator("tr[data-later-event='1']")
    expect(later).to_have_count(1)
    expect(later).to_contain_text("Bị kỷ luật")
    expect(later).to_contain_text(_day(today()))
    expect(later).to_contain_text(nominee.full_name)
    expect(later).to_contain_text("05-QĐ/UBKT")
