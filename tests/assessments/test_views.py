"""The pages of the review, as the office, the organization board and a member use them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services as svc
from assessments.choices import Level, Step
from assessments.models import Assessment, Period, PeriodStatus
from common.actors import SYSTEM
from jobs.models import Job, JobStatus

from .conftest import of

GOOD_366 = {"politics": "5", "ethics": "4", "lifestyle": "4", "example": "4", "innovation": "4",
            "self_criticism": "4", "tasks": "60"}  # 85 points: Good at most


def _row(a: Assessment, grades: dict, level: str) -> dict:
    data = {f"r{a.pk}-c_{k}": v for k, v in grades.items()}
    data[f"r{a.pk}-level"] = level
    return data


def _collective(period, org) -> dict:
    return _row(of(period, org), {"building": "8", "organization": "8", "inspection": "8", "tasks": "62"},
                Level.GOOD)


def test_the_board_creates_and_opens_a_period_and_follows_the_job(client, world, board_officer,
                                                                  django_capture_on_commit_callbacks):
    root = world.province.root
    client.force_login(board_officer)
    response = client.post(f"/org/{root.pk}/assessments/new/", {
        "year": "2026", "quarter": "", "quota_share": "25", "quota_rounding": "down",
        "head_above_collective": "warn", "leader_form": "2b_leaders", "quarterly_subjects": "leaders"})
    period = Period.objects.get(organization=root, year=2026)
    assert response.status_code == 302 and period.status == PeriodStatus.DRAFT
    page = client.get(period.get_absolute_url()).content.decode()
    assert "Tối đa 25% số Hoàn thành tốt" in page and "Làm tròn xuống" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/assessments/periods/{period.pk}/open/")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.SUCCEEDED and job.done == job.total == period.assessments.count() > 0
    progress = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'data-status="succeeded"' in progress and "hx-trigger" not in progress  # stops polling when done
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN


def test_a_2024_period_is_bound_to_regulation_124_and_cannot_take_25_percent(client, world, board_officer):
    client.force_login(board_officer)
    response = client.post(f"/org/{world.province.root.pk}/assessments/new/", {
        "year": "2024", "quota_share": "25", "quota_rounding": "down", "head_above_collective": "warn",
        "leader_form": "2b_leaders", "quarterly_subjects": "leaders"})
    assert response.status_code == 200 and not Period.objects.exists()
    assert "20%" in response.content.decode()
    client.post(f"/org/{world.province.root.pk}/assessments/new/", {
        "year": "2024", "quarter": "2", "quota_share": "20", "quota_rounding": "down",
        "head_above_collective": "warn", "leader_form": "2b_leaders", "quarterly_subjects": "leaders"})
    assert not Period.objects.exists()  # no quarterly review under 124


def test_a_job_is_only_for_who_asked(client, world, board_officer, period_2026):
    client.force_login(world.cell_staff)
    assert client.get(f"/jobs/{period_2026.job_id}/").status_code == 404
    client.force_login(board_officer)
    assert client.get(f"/jobs/{period_2026.job_id}/").status_code == 200


def test_the_cell_reviews_its_members_in_one_grid(client, world, period_2026):
    period, cell = period_2026, world.province.cell_1
    client.force_login(world.cell_staff)
    page = client.get(f"/assessments/periods/{period.pk}/org/{cell.pk}/review/").content.decode()
    # The collective and its four ordinary members; the secretary (a leader) waits apart for the appraisal.
    assert page.count('data-testid="grid-row"') == 5
    assert world.secretary.full_name in page.split('data-testid="awaiting-appraisal"')[1]
    data = _collective(period, cell)
    for member in world.members:
        data.update(_row(of(period, member), GOOD_366, Level.GOOD))
    data[f"r{of(period, world.members[2]).pk}-c_tasks"] = "75"  # over the criterion's 70
    response = client.post(f"/assessments/periods/{period.pk}/org/{cell.pk}/review/", data)
    # One row wrong: nothing at all is saved, and every input is kept.
    assert response.status_code == 400
    assert set(Assessment.objects.filter(period=period, organization=cell).values_list("state", flat=True)) == {
        Step.PENDING}
    assert response.content.decode().count('value="60"') == 3 and 'value="75"' in response.content.decode()
    data[f"r{of(period, world.members[2]).pk}-c_tasks"] = "60"
    response = client.post(f"/assessments/periods/{period.pk}/org/{cell.pk}/review/", data)
    assert response.status_code == 302
    assert set(Assessment.objects.filter(period=period, organization=cell).exclude(person=world.secretary)
               .values_list("state", flat=True)) == {Step.REVIEWED}
    assert of(period, world.secretary).state == Step.PENDING


def test_a_row_is_checked_as_it_is_typed(client, world, period_2026):
    period, cell = period_2026, world.province.cell_1
    client.force_login(world.cell_staff)
    a = of(period, world.members[0])
    url = f"/assessments/periods/{period.pk}/org/{cell.pk}/review/{a.pk}/check/"
    answer = client.post(url, _row(a, {**GOOD_366, "tasks": "64"}, Level.EXCELLENT)).content.decode()
    assert "Cao nhất: Hoàn thành tốt nhiệm vụ" in answer and "Điểm 89" in answer
    answer = client.post(url, _row(a, {**GOOD_366, "tasks": "65"}, Level.EXCELLENT)).content.decode()
    assert "Cao nhất: Hoàn thành xuất sắc nhiệm vụ" in answer  # 90 points
    answer = client.post(url, _row(a, {**GOOD_366, "tasks": "71"}, Level.GOOD)).content.decode()
    assert "70" in answer and "Cao nhất" not in answer  # over the criterion's maximum: the field's error


def _review_cell(period, world):
    cell = world.province.cell_1
    rows = [svc.Row(of(period, cell).pk, grades={"building": 8, "organization": 8, "inspection": 8, "tasks": 62},
                    level=Level.GOOD)]
    rows += [svc.Row(of(period, m).pk, grades=GOOD_366, level=Level.GOOD) for m in world.members]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)


def test_the_competent_level_decides_and_a_level_above_the_ceiling_needs_a_reason(client, world, period_2026):
    period, cell = period_2026, world.province.cell_1
    _review_cell(period, world)
    client.force_login(world.cell_staff)  # the cell does not decide for itself
    assert 'data-testid="decide-row"' not in client.get(
        f"/assessments/periods/{period.pk}/org/{cell.pk}/decide/").content.decode()
    client.force_login(world.grassroots_staff)
    page = client.get(f"/assessments/periods/{period.pk}/org/{cell.pk}/decide/").content.decode()
    assert page.count('data-testid="decide-row"') == 5
    data = {f"r{of(period, m).pk}-level": Level.GOOD for m in world.members}
    data[f"r{of(period, cell).pk}-level"] = Level.GOOD
    data[f"r{of(period, world.members[0]).pk}-level"] = Level.EXCELLENT  # 85 points: Good at most
    response = client.post(f"/assessments/periods/{period.pk}/org/{cell.pk}/decide/", data)
    assert response.status_code == 400 and "cần ghi lý do" in response.content.decode()
    assert not Assessment.objects.filter(period=period, state=Step.DECIDED).exists()
    data[f"r{of(period, world.members[0]).pk}-override_reason"] = "Thành tích đột xuất được khen thưởng"
    response = client.post(f"/assessments/periods/{period.pk}/org/{cell.pk}/decide/", data)
    # One Excellent beside three Good ratings: 20% of 3 rounds down to 0. The quota refuses.
    assert response.status_code == 400 and "chỉ được tối đa 0" in response.content.decode()
    data[f"r{of(period, world.members[0]).pk}-level"] = Level.GOOD
    response = client.post(f"/assessments/periods/{period.pk}/org/{cell.pk}/decide/", data)
    assert response.status_code == 302
    assert set(Assessment.objects.filter(period=period, organization=cell, person__in=world.members)
               .values_list("level", flat=True)) == {Level.GOOD}


def test_a_member_sees_and_acknowledges_their_own_result(client, world, period_2026):
    period = period_2026
    _review_cell(period, world)
    ids = [of(period, m).pk for m in world.members] + [of(period, world.province.cell_1).pk]
    svc.assessments_decide(period=period, decisions=[svc.Decision(i, Level.GOOD) for i in ids],
                           actor=world.grassroots_staff)
    an = world.members[0]
    client.force_login(an.user)
    assert "Chưa có kết quả" in client.get("/assessments/mine/").content.decode()  # decided, not notified
    svc.assessments_notify(period=period, ids=ids, actor=world.grassroots_staff)
    mine = client.get("/assessments/mine/").content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in mine and mine.count("/assessments/") >= 1
    other = of(period, world.members[1])
    assert client.get(f"/assessments/{other.pk}/").status_code == 404  # another member's result
    client.post(f"/assessments/{of(period, an).pk}/acknowledge/", {"text": "Tôi nhất trí"})
    assert of(period, an).state == Step.ACKNOWLEDGED
    assert of(period, an).events.last().note == "Tôi nhất trí"


def test_the_superior_annuls_and_the_result_returns_to_the_decision(client, world, period_2026):
    period = period_2026
    _review_cell(period, world)
    a = of(period, world.members[1])
    svc.assessments_decide(period=period, decisions=[svc.Decision(a.pk, Level.GOOD)], actor=world.grassroots_staff)
    client.force_login(world.grassroots_staff)  # the deciding level itself may not annul
    assert client.post(f"/assessments/{a.pk}/annul/", {"reason": "Sai"}).status_code == 403
    client.force_login(world.sub_a_staff)
    client.post(f"/assessments/{a.pk}/annul/", {"reason": ""})
    assert of(period, world.members[1]).level == Level.GOOD  # no reason, nothing annulled
    client.post(f"/assessments/{a.pk}/annul/", {"reason": "Hồ sơ thiếu biên bản"})
    a.refresh_from_db()
    assert a.state == Step.REVIEWED and a.level == "" and a.annulments == 1


def _dashboard_queries(client, period, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/assessments/periods/{period.pk}/org/{org.pk}/")
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_a_cell_and_the_province(client, world, board_officer,
                                                                         period_2026):
    _review_cell(period_2026, world)
    client.force_login(board_officer)
    _dashboard_queries(client, period_2026, world.province.root)  # warm the per-process caches
    province = _dashboard_queries(client, period_2026, world.province.root)
    grassroots = _dashboard_queries(client, period_2026, world.province.grassroots)
    cell = _dashboard_queries(client, period_2026, world.province.cell_1)
    assert province == grassroots == cell


def test_the_dashboard_counts_progress_and_levels_from_the_rollups(client, world, board_officer, period_2026):
    _review_cell(period_2026, world)
    client.force_login(board_officer)
    page = client.get(f"/assessments/periods/{period_2026.pk}/org/{world.province.root.pk}/").content.decode()
    assert f'data-testid="total">{period_2026.subjects}<' in page
    assert "Đảng bộ Khối A" in page and 'data-testid="drill"' in page
    export = client.get(f"/assessments/periods/{period_2026.pk}/org/{world.province.root.pk}/"
                        "?export=xlsx&table=children")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("path", ["", "review/", "decide/"])
def test_the_outsider_gets_404_on_a_s_pages_in_the_province_period(client, world, outsider, period_2026, path):
    client.force_login(outsider)
    assert client.get(period_2026.get_absolute_url()).status_code == 200  # B works in the province's period
    assert client.get(f"/assessments/periods/{period_2026.pk}/org/{world.province.cell_1.pk}/{path}").status_code \
        == 404
    assert client.get(f"/assessments/{of(period_2026, world.members[0]).pk}/").status_code == 404


def _sheet(rows: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_results_come_from_the_grid_s_template_all_or_nothing(client, world, period_2026):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    period, cell = period_2026, world.province.cell_1
    client.force_login(world.cell_staff)
    url = f"/assessments/periods/{period.pk}/org/{cell.pk}/import/"
    sheet = load_workbook(io.BytesIO(client.get(url + "?template=xlsx").content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[1] == "Mã đánh giá" and "Xếp loại" in header and len(rows) == 1 + 5  # not the secretary yet
    col = {name: i for i, name in enumerate(header)}
    criteria = {h.rsplit("[", 1)[1].rstrip("]"): i for i, h in enumerate(header) if h.endswith("]")}
    filled = [header]
    for row in rows[1:]:
        if row[2] == world.secretary.full_name:
            continue  # a leader waits for the appraisal
        is_cell = row[2] == cell.name
        values = ({"building": 8, "organization": 8, "inspection": 8, "tasks": 62} if is_cell else GOOD_366)
        for code, index in criteria.items():
            row[index] = values.get(code, "")
        row[col["Xếp loại"]] = "Tốt"
        filled.append(row)
    broken = [list(r) for r in filled]
    broken[2][criteria["tasks"]] = 80  # over 70
    response = client.post(url, {"file": SimpleUploadedFile("kq.xlsx", _sheet(broken))})
    assert response.status_code == 400 and "Dòng 3" in response.content.decode() and "tối đa 70" in \
        response.content.decode()
    assert not Assessment.objects.filter(period=period, state=Step.REVIEWED).exists()
    response = client.post(url, {"file": SimpleUploadedFile("kq.xlsx", _sheet(filled))})
    assert response.status_code == 200 and 'data-testid="import-preview"' in response.content.decode()
    assert not Assessment.objects.filter(period=period, state=Step.REVIEWED).exists()  # a preview saves nothing
    token = response.context["token"]
    client.post(url + "confirm/", {"token": token + "x"})
    assert not Assessment.objects.filter(period=period, state=Step.REVIEWED).exists()
    client.post(url + "confirm/", {"token": token})
    assert Assessment.objects.filter(period=period, state=Step.REVIEWED).count() == 5


def test_the_kept_table_of_subordinates_changes_with_the_figures(client, world, board_officer, period_2026):
    import re

    client.force_login(board_officer)
    url = f"/assessments/periods/{period_2026.pk}/org/{world.province.root.pk}/"

    def khoi_a_row() -> str:
        page = client.get(url).content.decode()
        return re.search(r"<tr[^>]*>(?:(?!</tr>).)*Đảng bộ Khối A(?:(?!</tr>).)*</tr>", page, re.S).group(0)

    before = khoi_a_row()
    _review_cell(period_2026, world)
    ids = [of(period_2026, m).pk for m in world.members] + [of(period_2026, world.province.cell_1).pk]
    svc.assessments_decide(period=period_2026, decisions=[svc.Decision(i, Level.GOOD) for i in ids],
                           actor=world.grassroots_staff)
    after = khoi_a_row()
    assert before != after and f">{len(ids)}<" in after  # five decided Good under committee A


def test_the_subordinates_come_a_page_at_a_time_and_export_whole(client, world, board_officer, period_2026,
                                                                 settings):
    import io

    from openpyxl import load_workbook

    from assessments import views
    from tests.factories import make_org

    for i in range(3):
        make_org(world.province.root, name=f"Đảng bộ thêm {i}")
    settings.DEBUG = False
    client.force_login(board_officer)
    url = f"/assessments/periods/{period_2026.pk}/org/{world.province.root.pk}/"
    old, views.CHILDREN_PER_PAGE = views.CHILDREN_PER_PAGE, 2
    try:
        first = client.get(url).content.decode()
        second = client.get(url + "?children-page=2").content.decode()
        export = client.get(url + "?export=xlsx&table=children")
    finally:
        views.CHILDREN_PER_PAGE = old
    assert "Đảng bộ Khối A" in first and "Đảng bộ Khối B" in first and "Đảng bộ thêm 0" not in first
    assert "Trang 1/3" in first and "Đảng bộ thêm 0" in second and "Đảng bộ Khối A" not in second
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Đảng bộ Khối A", "Đảng bộ Khối B", "Đảng bộ thêm 0", "Đảng bộ thêm 1", "Đảng bộ thêm 2"]


def test_the_grid_records_which_meeting_of_the_cell_reviewed_the_rows(client, world, period_2026):
    import datetime as dt

    from governance import services as gov
    from organizations.models import BodyKind
    from tests.factories import BodyFactory

    period, cell = period_2026, world.province.cell_1
    body = BodyFactory(organization=cell, kind=BodyKind.CELL_MEETING)
    meeting = gov.meeting_open(body=body, date=dt.date(2026, 11, 20), title="Hội nghị kiểm điểm năm 2026",
                               actor=SYSTEM)
    elsewhere = gov.meeting_open(body=BodyFactory(organization=world.province.cell_2, kind=BodyKind.CELL_MEETING),
                                 date=dt.date(2026, 11, 20), title="Hội nghị chi bộ thôn 2", actor=SYSTEM)
    data = _collective(period, cell)
    for member in world.members:
        data.update(_row(of(period, member), GOOD_366, Level.GOOD))
    url = f"/assessments/periods/{period.pk}/org/{cell.pk}/review/"
    client.force_login(world.cell_staff)
    response = client.post(url, {**data, "m-meeting": str(elsewhere.pk)})  # another cell's meeting
    assert response.status_code == 400 and not Assessment.objects.filter(period=period, state=Step.REVIEWED).exists()
    page = client.get(url).content.decode()
    assert "Hội nghị kiểm điểm năm 2026" in page and "Hội nghị chi bộ thôn 2" not in page
    response = client.post(url, {**data, "m-meeting": str(meeting.pk)})
    assert response.status_code == 302
    assert Meeting_count_reviewed(period) == 5 and of(period, world.members[0]).meeting == meeting


def Meeting_count_reviewed(period) -> int:  # noqa: N802
    return Assessment.objects.filter(period=period, meeting__isnull=False).count()
