"""Targets and tasks: assigned by the superior at the start of the year, copied from last year, their results
recorded by whoever assigned them; they are the task counts the rules judge."""

from __future__ import annotations

import datetime as dt

from assessments import services as svc
from assessments.choices import Level, SubjectKind
from assessments.models import Target, TargetResult

from .conftest import of, open_period

GOOD = {"politics": 5, "ethics": 5, "lifestyle": 5, "example": 5, "innovation": 5, "self_criticism": 5, "tasks": 68}


def test_the_superior_assigns_targets_to_a_cell_s_members_and_records_their_results(client, world, period_2026):
    period, cell = period_2026, world.province.cell_1
    url = f"/assessments/periods/{period.pk}/org/{cell.pk}/targets/"
    client.force_login(world.cell_staff)  # the cell does not assign its own targets
    assert client.get(url).status_code == 403
    client.force_login(world.grassroots_staff)
    response = client.post(url, {"kind": SubjectKind.MEMBER, "titles": "Phát triển 1 đảng viên\n\nTham gia 100% "
                                 "sinh hoạt", "due": "30/11/2026"})
    assert response.status_code == 302
    a = of(period, world.members[0])
    assert list(a.targets.values_list("title", flat=True)) == ["Phát triển 1 đảng viên", "Tham gia 100% sinh hoạt"]
    assert (a.tasks_total, a.tasks_done) == (2, 0)
    first, second = a.targets.all()
    client.post(f"/assessments/targets/{first.pk}/result/", {"result": TargetResult.EXCEEDED, "note": ""})
    client.post(f"/assessments/targets/{second.pk}/result/", {"result": TargetResult.LATE, "note": "Chậm 1 tuần"})
    a.refresh_from_db()
    assert (a.tasks_total, a.tasks_done, a.tasks_on_time, a.tasks_exceeded) == (2, 2, 1, 1)
    # One task late: 366 allows at most Completed, whatever the score (95 points here).
    ceiling = svc.ceiling_of(a, svc.facts_for([a], grades_of=lambda _a: GOOD)[a.pk])
    assert ceiling.level == Level.COMPLETED and "tasks_not_all_on_time" in [r.code for r in ceiling.reasons]


def test_an_empty_list_of_targets_is_refused_with_a_message(client, world, period_2026):
    client.force_login(world.grassroots_staff)
    response = client.post(f"/assessments/periods/{period_2026.pk}/org/{world.province.cell_1.pk}/targets/",
                           {"kind": SubjectKind.MEMBER, "titles": " \n ", "due": ""})
    assert response.status_code == 400 and "Nhập ít nhất một chỉ tiêu" in response.content.decode()
    assert not Target.objects.exists()


def test_last_year_s_targets_are_copied_to_the_same_subjects(world, board_officer,
                                                             django_capture_on_commit_callbacks):
    root = world.province.root
    last = open_period(root, board_officer, year=2025, capture=django_capture_on_commit_callbacks)
    svc.targets_assign(period=last, assessments=[of(last, world.members[0]), of(last, world.province.cell_1)],
                       titles=["Chỉ tiêu A"], due=dt.date(2025, 6, 30), actor=world.grassroots_staff)
    this = open_period(root, board_officer, year=2026, capture=django_capture_on_commit_callbacks)
    assert svc.targets_copy(period=this, source=last, actor=board_officer) == 2
    copied = of(this, world.members[0]).targets.get()
    assert (copied.title, copied.due, copied.result) == ("Chỉ tiêu A", dt.date(2026, 6, 30), TargetResult.PENDING)
    assert of(this, world.members[0]).tasks_total == 1
