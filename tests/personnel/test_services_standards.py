"""The standards check in the services: a blocking failure refuses the introduction or the step, a warning goes
on only with a written explanation (a ledger entry), each step stores the check as it stood on its day, and the
organization board records its judgement of the Regulation 144 standards."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.utils import timezone

from assessments.choices import Level, SchemeCode, SubjectKind
from assessments.models import Assessment, PeerGroup, Period
from organizations.models import Discipline, DisciplineForm
from personnel import services
from personnel.models import EntryKind, ProcedureStep, ResponsibilityEntry, StandardsNote

from .conftest import counts, nothing_recorded, refused

pytestmark = pytest.mark.django_db
D = dt.date


def _classified(c, year: int, level: str, decided: dt.date | None = None) -> Assessment:
    """A decided annual result of the nominee (the review's machinery is tested in tests/assessments)."""
    period = Period.objects.create(scheme=SchemeCode.REG366, year=year, organization=c.org,
                                   reference_date=D(year, 11, 1), self_by=D(year, 11, 15),
                                   appraisal_by=D(year, 11, 20), review_by=D(year, 11, 30),
                                   decision_by=D(year, 12, 10), notify_by=D(year, 12, 20))
    group = PeerGroup.objects.create(period=period, organization=c.org, kind=SubjectKind.LEADER, name="Nhóm")
    decided_at = timezone.make_aware(dt.datetime.combine(decided or D(year, 12, 10), dt.time(9)))
    return Assessment.objects.create(period=period, kind=SubjectKind.LEADER, organization=c.org, person=c.nominee,
                                     decider=c.org, peer_group=group, level=level, decided_at=decided_at)


def _reprimand(c, on: dt.date) -> Discipline:
    return Discipline.objects.create(person=c.nominee, owner=c.org, form=DisciplineForm.REPRIMAND, decided_on=on,
                                     decided_by=c.org, decision_ref="01-QĐ/UBKT")


def test_a_reprimand_within_24_months_refuses_the_introduction(committee):
    c = committee
    _reprimand(c, D(2025, 1, 10))
    n = c.draft()
    with refused("standards_discipline_waiting") as info:
        services.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.head_user)
    assert info.value.reasons[0].params["until"] == "2027-01-10"
    n.refresh_from_db()
    assert n.state == "draft" and not ResponsibilityEntry.objects.exists()


def test_a_discipline_decided_after_the_introduction_stops_the_next_step(committee):
    c = committee
    n = c.introduced()
    _reprimand(c, D(2026, 3, 5))
    with nothing_recorded(), refused("standards_discipline_waiting"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive),
                             counts=counts(9, {c.nominee.pk: 7}), actor=c.clerk)


def test_a_not_completed_goes_on_only_with_an_explanation_kept_in_the_ledger(committee):
    c = committee
    _classified(c, 2024, Level.NOT_COMPLETED)
    _classified(c, 2025, Level.GOOD)
    n = c.draft()
    with refused("standards_explanation_missing", "standards_not_completed"):
        services.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.head_user)
    services.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.head_user,
                                  explanation="Năm 2024 đơn vị bị thiên tai; đã khắc phục")
    explained = ResponsibilityEntry.objects.get(nomination=n, kind=EntryKind.STANDARDS_EXPLAINED)
    assert explained.nominator_id == c.head.pk and explained.data["step"] == 1
    assert explained.data["explanation"] == "Năm 2024 đơn vị bị thiên tai; đã khắc phục"
    assert [w["code"] for w in explained.data["warnings"]] == ["standards_not_completed"]
    # The same warning, explained once, goes on; the step still keeps it in its check.
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive),
                                counts=counts(9, {c.nominee.pk: 7}), actor=c.clerk)
    by_code = {item["code"]: item for item in step.standards}
    assert by_code["classification"]["outcome"] == "failed" and by_code["classification"]["severity"] == "warn"
    assert by_code["discipline"]["outcome"] == "passed"
    assert ResponsibilityEntry.objects.filter(nomination=n, kind=EntryKind.STANDARDS_EXPLAINED).count() == 1
    _classified(c, 2023, Level.NOT_COMPLETED)  # a new warning needs its own explanation
    with refused("standards_explanation_missing") as info:
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(9, {c.nominee.pk: 6}),
                             actor=c.clerk)
    assert [r.params for r in info.value.reasons if r.code == "standards_not_completed"] == [{"year": 2023}]


def test_each_step_keeps_the_check_as_it_stood_on_its_day(committee):
    c = committee
    n = c.introduced()
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive),
                                counts=counts(9, {c.nominee.pk: 7}), actor=c.clerk)
    _classified(c, 2025, Level.NOT_COMPLETED, decided=D(2026, 3, 12))  # decided after that meeting
    step.refresh_from_db()
    assert {i["code"]: i["outcome"] for i in step.standards}["classification"] == "not_assessed"
    later = c.meeting(D(2026, 3, 16))
    with refused("standards_explanation_missing"):
        services.step_record(nomination=n, meeting=later, counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)
    assert ProcedureStep.objects.get(pk=step.pk).standards == step.standards  # unchanged


def test_the_board_judges_the_ethics_standards_and_an_unmet_one_warns(committee, board_officer):
    """A step reads the notes written by its meeting's day (the check as it stood then)."""
    c = committee
    n = c.introduced()
    with refused("not_permitted"):
        services.standards_note_record(nomination=n, standard="integrity", met=True, note="", actor=c.clerk)
    with refused("standards_note_missing"):
        services.standards_note_record(nomination=n, standard="integrity", met=False, note=" ", actor=board_officer)
    with refused("standards_unknown"):
        services.standards_note_record(nomination=n, standard="beauty", met=True, note="", actor=board_officer)
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC), tick=False):  # before the meeting
        services.standards_note_record(nomination=n, standard="integrity", met=False, note="Chưa kê khai tài sản",
                                       actor=board_officer)
    meeting = c.meeting(D(2026, 3, 9), c.executive)
    with refused("standards_explanation_missing", "standards_ethics_unmet"):
        services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 7}), actor=c.clerk)
    with time_machine.travel(dt.datetime(2026, 3, 8, 9, tzinfo=dt.UTC), tick=False):
        services.standards_note_record(nomination=n, standard="integrity", met=True, note="Đã bổ sung kê khai",
                                       actor=board_officer)  # a later judgement supersedes; both stay
    step = services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 7}), actor=c.clerk)
    assert {i["code"]: i["outcome"] for i in step.standards}["ethics"] == "not_assessed"  # four still unjudged
    assert StandardsNote.objects.filter(nomination=n).count() == 2
    with pytest.raises(DatabaseError), transaction.atomic():  # the database refuses: append-only
        StandardsNote.objects.filter(nomination=n).update(note="sửa")


def test_a_dismissal_has_no_standards_check(committee):
    from personnel.checking import standards_for

    n = committee.draft()
    n.dismissal = True
    assert standards_for(n, D(2026, 3, 2)) == []
