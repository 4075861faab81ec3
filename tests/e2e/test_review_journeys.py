"""The review in the browser: a cell's secretary completes the cell's review in the grid; the province's
organization board finds a late organization and a quota breach on the dashboard and drills down to the
person; a member sees and acknowledges their result."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import services as svc
from assessments.choices import Level, Step
from assessments.models import Assessment
from jobs.services import job_execute
from tests.assessments.conftest import of
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD = {"politics": 5, "ethics": 4, "lifestyle": 4, "example": 4, "innovation": 4, "self_criticism": 4, "tasks": 60}
COLLECTIVE = {"building": 8, "organization": 8, "inspection": 8, "tasks": 62}


def _open(w, board_officer, **deadlines):
    period = svc.period_create(organization=w.province.root, year=2026, actor=board_officer, **deadlines)
    job_execute(svc.period_open(period=period, actor=board_officer).pk)
    period.refresh_from_db()
    return period


def test_the_cell_secretary_completes_the_cell_s_review_in_the_grid(page, catalog, world, board_officer,
                                                                    django_user_model):
    period = _open(world, board_officer)
    superuser = django_user_model.objects.create_superuser("root_admin")
    secretary = of(period, world.secretary)  # a leader: appraised by the board before the meeting
    svc.assessment_self_submit(assessment=secretary, grades=GOOD, level=Level.GOOD, text="", actor=superuser)
    svc.assessment_appraise(assessment=of(period, world.secretary), level=Level.GOOD, text="", actor=superuser)

    login(page, "cell_staff")
    page.get_by_role("link", name="Đánh giá, xếp loại").click()
    page.get_by_role("link", name="Năm 2026").click()
    page.get_by_role("link", name="Kiểm điểm").first.click()
    page.wait_for_url(f"**/org/{world.province.cell_1.pk}/review/")
    rows = page.get_by_test_id("grid-row")
    assert rows.count() == 6
    cell = world.province.cell_1.name
    for code, value in COLLECTIVE.items():
        page.get_by_label(f"{_label(period, 'collective', code)}: {cell}").fill(str(value))
    page.get_by_label(f"Đề xuất xếp loại: {cell}").select_option(Level.GOOD)
    for person in [world.secretary, *world.members]:
        name = person.full_name
        for code, value in GOOD.items():
            field = page.get_by_label(f"{_label(period, 'member', code)}: {name}")
            field.fill("")
            field.press_sequentially(str(value))  # typed, as at a keyboard
        page.get_by_label(f"Đề xuất xếp loại: {name}").select_option(Level.GOOD)
    # Each row is checked as it is typed: 85 points allow at most Good.
    first = page.locator(f"#check-{of(period, world.members[0]).pk}")
    assert "Cao nhất: Hoàn thành tốt nhiệm vụ" in first.inner_text()
    page.get_by_test_id("grid-save").click()
    page.wait_for_url(f"**/org/{world.province.cell_1.pk}/review/")
    assert "Đã ghi kết quả kiểm điểm của 6 đối tượng" in page.locator(".alert-success").inner_text()
    assert set(Assessment.objects.filter(period=period, organization=world.province.cell_1)
               .values_list("state", flat=True)) == {Step.REVIEWED}


def _label(period, kind, code) -> str:
    criterion = next(c for c in period.rules.criteria_for(kind) if c.code == code)
    return f"{criterion.label} (≤ {criterion.max_points})"


def test_the_board_finds_a_late_organization_and_a_quota_breach_and_drills_down_to_the_person(
        page, catalog, world, board_officer, django_user_model):
    past = {"reference_date": dt.date(2026, 10, 1), "self_by": dt.date(2026, 10, 10),
            "appraisal_by": dt.date(2026, 10, 15), "review_by": dt.date(2026, 10, 20),
            "decision_by": dt.date(2026, 10, 31), "notify_by": dt.date(2026, 11, 5)}
    period = _open(world, board_officer, **past)
    superuser = django_user_model.objects.create_superuser("root_admin")
    cell = world.province.cell_1
    top = {**GOOD, "politics": 5, "ethics": 5, "lifestyle": 5, "example": 5, "innovation": 5, "self_criticism": 5,
           "tasks": 68}
    people = world.members + world.cell_2_members  # one peer group: the grassroots committee decides both cells
    rows = [svc.Row(of(period, cell).pk, grades=COLLECTIVE, level=Level.GOOD),
            svc.Row(of(period, world.province.cell_2).pk, grades=COLLECTIVE, level=Level.GOOD)]
    rows += [svc.Row(of(period, p).pk, grades=top if p is people[0] else GOOD, level=Level.GOOD) for p in people]
    svc.assessments_review(period=period, rows=rows, actor=superuser)
    decisions = [svc.Decision(r.assessment_id, Level.GOOD) for r in rows]
    decisions[2] = svc.Decision(rows[2].assessment_id, Level.EXCELLENT)  # 1 Excellent beside 6 Good: allowed
    svc.assessments_decide(period=period, decisions=decisions, actor=superuser)
    for person in people[1:3]:  # two Good annulled by the superior: 1 Excellent beside 4 Good, over 20%
        svc.assessment_annul(assessment=of(period, person), reason="Hồ sơ thiếu", actor=superuser)

    login(page, "board_officer")
    page.goto(period.get_absolute_url())
    page.get_by_test_id("dashboard-link").first.click()
    assert page.get_by_test_id("late-step").count() >= 1  # steps past their deadline with subjects in them
    row = page.locator("tr", has=page.get_by_role("link", name="Đảng bộ Khối B"))
    assert row.get_by_test_id("late").count() == 1  # nothing of B's was reviewed
    assert "Đảng bộ xã Hòa Bình" in page.get_by_test_id("quota-table").inner_text()
    flagged = page.get_by_test_id("flagged-table")
    assert people[0].full_name in flagged.inner_text()
    page.get_by_role("link", name="Đảng bộ Khối A").click()
    page.get_by_role("link", name="Đảng bộ xã Hòa Bình").click()
    page.get_by_role("link", name=cell.name).click()
    page.get_by_test_id("subjects-table").get_by_role("link", name=people[0].full_name).click()
    assert page.get_by_test_id("level").inner_text() == "Hoàn thành xuất sắc nhiệm vụ"
    assert "Nhóm vượt tỷ lệ Hoàn thành xuất sắc" in page.locator("main").inner_text()


def test_a_member_sees_and_acknowledges_their_result(page, catalog, world, board_officer):
    period = _open(world, board_officer)
    cell, an = world.province.cell_1, world.members[0]
    rows = [svc.Row(of(period, cell).pk, grades=COLLECTIVE, level=Level.GOOD),
            svc.Row(of(period, an).pk, grades=GOOD, level=Level.GOOD)]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period, actor=world.grassroots_staff,
                           decisions=[svc.Decision(r.assessment_id, Level.GOOD) for r in rows])
    svc.assessments_notify(period=period, ids=[r.assessment_id for r in rows], actor=world.grassroots_staff)

    login(page, "an")
    page.get_by_role("link", name="Đánh giá, xếp loại").click()
    page.get_by_role("link", name="Kết quả của tôi").click()
    assert "Hoàn thành tốt nhiệm vụ" in page.locator("main").inner_text()
    page.get_by_role("link", name="Năm 2026").click()
    assert page.get_by_test_id("level").inner_text() == "Hoàn thành tốt nhiệm vụ"
    page.get_by_label("Ý kiến (nếu có)").fill("Tôi nhất trí với kết quả")
    page.get_by_test_id("acknowledge").click()
    assert page.get_by_test_id("state").inner_text() == "Đảng viên đã xác nhận"
    assert of(period, an).acknowledged_at is not None
