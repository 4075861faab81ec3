"""A deputy's nomination checked against the standards, in the browser: the organization board judges one
Regulation 144 standard on the nomination's page; the clerk copies step 3's minutes at a standing committee where
one member, the nominee's sibling, is recused (a ballot for that member refused); the board finds the
nomination at its step in the organization's personnel overview."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from common.actors import SYSTEM
from organizations.models import today
from organizations.services import kinship_declare
from personnel import services
from personnel.models import ProcedureStep, ResponsibilityEntry, StandardsNote
from personnel.rules import Counts
from tests.e2e.conftest import login
from tests.personnel.conftest import build_committee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOMINATION_PAGE = re.compile(r"/nominations/\d+/$")
INTEGRITY = "Cần, kiệm, liêm, chính, chí công vô tư"
DEPUTY = "Giới thiệu bổ nhiệm cấp phó của người đứng đầu (Điều 3 Quy định 142)"


def _switch_to(page, username: str) -> None:
    page.locator("nav.navbar").get_by_role("button", name="Đăng xuất").click()
    login(page, username)


def _open_nomination(page, nominee) -> None:
    page.locator("nav.navbar").get_by_role("link", name="Công tác cán bộ").click()
    page.get_by_role("link", name=nominee.full_name).click()
    page.wait_for_url(NOMINATION_PAGE)


@pytest.fixture
def journey(catalog, province, board_officer):
    """Committee A (head ``bithu_a``, clerk ``vanphong_a``, standing committee of 9, each also of the
    executive); the nominee's sibling sits on both. The head introduced the planned member for deputy
    secretary three weeks ago (or on 01/03/2029 once that falls after Regulation 142's pilot, to 23/04/2029),
    the wider conference (step 2) voted a week later with the sibling recused, and the standing committee met a
    week after that for step 3, its minutes still to be copied."""
    c = build_committee(province.sub_a, cell=province.cell_1, planned_by=province.root)
    introduced_on = min(today() - dt.timedelta(days=21), dt.date(2029, 3, 1))  # inside the pilot, however late
    week = dt.timedelta(days=7)
    sibling = c.members[5]
    kinship_declare(person=c.nominee, relative=sibling, relation="sibling",
                    declared_on=introduced_on - dt.timedelta(days=30), actor=SYSTEM)
    nomination = c.introduced(on=introduced_on)
    wider = c.meeting(introduced_on + week, c.executive, title="Hội nghị mở rộng")
    services.step_record(nomination=nomination, meeting=wider, actor=c.clerk,  # 9 convened, the sibling recused
                         counts=Counts(issued=8, returned=8, valid=8, invalid=0, votes=((c.nominee.pk, 7),)))
    standing = c.meeting(introduced_on + 2 * week, c.standing, title="Hội nghị Ban Thường vụ lựa chọn")
    return c, nomination, sibling, standing


def _fill_step(page, meeting, *, ballots: int, votes: int) -> None:
    page.get_by_label("Hội nghị").select_option(label=f"{meeting} — {meeting.body}")
    page.get_by_label("Số phiếu phát ra").fill(str(ballots))
    page.get_by_label("Số phiếu thu về").fill(str(ballots))
    page.get_by_label("Số phiếu hợp lệ").fill(str(ballots))
    page.get_by_label("Số phiếu không hợp lệ").fill("0")
    page.get_by_label("Số phiếu của người được giới thiệu").fill(str(votes))
    page.get_by_role("button", name="Ghi kết quả").click()


def test_the_board_judges_a_standard_and_a_related_voter_is_recused_at_step_3(page, journey):
    c, nomination, sibling, standing = journey
    org, nominee = c.org, c.nominee
    recusal = (f"Không tham gia biểu quyết vì có quan hệ gia đình với người được giới thiệu: {sibling.full_name} "
               f"(anh, chị, em ruột)")

    # 1. The organization board reads the standards check on the nomination's page and judges one standard.
    login(page, "board_officer")
    _open_nomination(page, nominee)
    expect(page.get_by_test_id("state")).to_have_text("Đang thực hiện quy trình")
    check = page.get_by_test_id("standards")
    expect(check.locator("h3")).to_contain_text("Kiểm tra tiêu chuẩn, điều kiện (theo hồ sơ đến ngày")
    expect(check.locator("tbody tr")).to_have_count(7)
    expect(check.locator("tr[data-item='planning']")).to_have_attribute("data-outcome", "passed")
    ethics = check.locator("tr[data-item='ethics']")
    expect(ethics).to_contain_text("Chuẩn mực đạo đức (Quy định 144)")
    expect(ethics).to_have_attribute("data-outcome", "not_assessed")
    expect(ethics).to_contain_text(f"{INTEGRITY}: Chưa đánh giá")
    # The step 2 row is the board's to read before the process ends: the sibling stood out of it too.
    expect(page.locator("[data-step='2'] [data-testid='withheld']")).to_have_count(0)
    expect(page.locator("[data-step='2']")).to_contain_text(recusal)

    form = page.get_by_test_id("standards-note-form")
    form.get_by_label("Chuẩn mực").select_option(label=INTEGRITY)
    form.get_by_label("Đánh giá").select_option(label="Đạt")
    form.get_by_label("Nhận xét").fill("Gương mẫu, không có đơn thư phản ánh")
    form.get_by_role("button", name="Ghi đánh giá chuẩn mực").click()
    page.wait_for_url(NOMINATION_PAGE)
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi đánh giá chuẩn mực.")
    ethics = page.get_by_test_id("standards").locator("tr[data-item='ethics']")
    expect(ethics).to_contain_text(f"{INTEGRITY}: Đạt")
    expect(ethics).to_contain_text("Đoàn kết, kỷ luật, nhân ái, trách nhiệm: Chưa đánh giá")
    expect(ethics).to_have_attribute("data-outcome", "not_assessed")  # four standards still to judge
    note = StandardsNote.objects.get()
    assert (note.nomination, note.standard, note.met) == (nomination, "integrity", True)

    # 2. The clerk copies step 3's minutes: 9 convened, the sibling recused, so at most 8 ballots.
    _switch_to(page, "vanphong_a")
    _open_nomination(page, nominee)
    expect(page.locator("[data-step='2'] [data-testid='withheld']")).to_be_visible()  # step 2 is the board's
    page.get_by_test_id("record-step").click()
    expect(page.locator("h1")).to_contain_text("Bước 3: Tập thể lãnh đạo giới thiệu nhân sự")
    expect(page.get_by_test_id("standards").locator("tr[data-item='ethics']")).to_contain_text(f"{INTEGRITY}: Đạt")
    recorded = ProcedureStep.objects.count(), ResponsibilityEntry.objects.count()
    _fill_step(page, standing, ballots=9, votes=6)  # a ballot counted for the recused member
    expect(page.get_by_test_id("form-error")).to_have_text("Số phiếu phát ra (9) nhiều hơn số người có mặt (8).")
    assert (ProcedureStep.objects.count(), ResponsibilityEntry.objects.count()) == recorded
    expect(page.get_by_label("Số phiếu của người được giới thiệu")).to_have_value("6")  # the inputs kept

    _fill_step(page, standing, ballots=8, votes=6)
    page.wait_for_url(NOMINATION_PAGE)
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi kết quả bước 3.")
    step = page.locator("[data-step='3']")
    expect(step.get_by_test_id("step-result")).to_have_text("Được lựa chọn")
    expect(step).to_contain_text("9 / 9")  # convened / present: the sibling was there
    expect(step).to_contain_text("8 / 8 / 8 / 0")
    expect(step).to_contain_text(f"{nominee.full_name}: 6")
    expect(step).to_contain_text("cần 5 phiếu (trên 1/2 của 8 thành viên)")  # the sibling out of the base
    expect(step).to_contain_text(recusal)
    expect(step).to_contain_text("(có mặt, không tính vào tổng số làm căn cứ)")
    assert ProcedureStep.objects.get(number=3).recused == [sibling.pk]

    # 3. The organization board finds the nomination at step 3 in the organization's personnel overview.
    _switch_to(page, "board_officer")
    _open_nomination(page, nominee)
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=org.name).click()
    page.wait_for_url(f"**{org.get_absolute_url()}")
    page.get_by_test_id("personnel-overview").click()
    page.wait_for_url(f"**/org/{org.pk}/personnel-overview/")
    expect(page.locator("h1")).to_contain_text(f"Tổng hợp công tác cán bộ: {org.name}")
    section = page.get_by_test_id("section-steps")
    expect(section.locator("h2")).to_have_text("Hồ sơ đang thực hiện, theo loại và bước")
    rows = section.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(section.locator("thead th")).to_have_text(["STT", "Loại", "Bước hiện tại", "Số hồ sơ"])
    expect(rows.locator("td")).to_have_text(["1", DEPUTY, "3. Tập thể lãnh đạo giới thiệu nhân sự", "1"])  # at step 3
