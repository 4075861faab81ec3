"""The whole way of one cell through a 2026 period: open, review, decide, notify, acknowledge, annul."""

from assessments import services as svc
from assessments.choices import Level, Step, SubjectKind
from assessments.models import Assessment, PeriodStatus, Rollup
from common.actors import SYSTEM

from .conftest import of

GOOD_366 = {"politics": 5, "ethics": 4, "lifestyle": 4, "example": 4, "innovation": 4, "self_criticism": 4,
            "tasks": 60}  # 85 points


def test_a_cell_goes_the_whole_way(world, period_2026, board_officer):
    period, p = period_2026, world.province
    assert period.status == PeriodStatus.OPEN
    # 7 organizations (the agency kind excluded: none here) and 10 members plus the secretary.
    assert period.subjects == 7 + 1 + 4 + 3 + 2
    assert of(period, world.secretary).kind == SubjectKind.LEADER
    assert of(period, world.members[0]).decider == p.grassroots
    assert of(period, p.cell_1).decider == p.grassroots
    root_total = sum(Rollup.objects.filter(period=period, organization=p.root).values_list("count", flat=True))
    assert root_total == period.subjects

    cell_rows = [svc.Row(of(period, p.cell_1).pk, grades={"building": 8, "organization": 8, "inspection": 8,
                                                          "tasks": 65}, level=Level.GOOD)]
    member_rows = [svc.Row(of(period, m).pk, grades=GOOD_366, level=Level.GOOD) for m in world.members]
    svc.assessments_review(period=period, rows=cell_rows + member_rows, actor=world.cell_staff)
    assert set(Assessment.objects.filter(pk__in=[r.assessment_id for r in member_rows])
               .values_list("state", flat=True)) == {Step.REVIEWED}

    decisions = [svc.Decision(r.assessment_id, Level.GOOD) for r in cell_rows + member_rows]
    svc.assessments_decide(period=period, decisions=decisions, actor=world.grassroots_staff)
    mine = of(period, world.members[0])
    assert mine.level == Level.GOOD and mine.state == Step.DECIDED
    assert Rollup.objects.get(period=period, organization=p.root, kind=SubjectKind.MEMBER, state=Step.DECIDED,
                              level=Level.GOOD).count == 4

    svc.assessments_notify(period=period, ids=[d.assessment_id for d in decisions], actor=world.grassroots_staff)
    svc.assessment_acknowledge(assessment=of(period, world.members[0]), actor=world.members[0].user)
    assert of(period, world.members[0]).state == Step.ACKNOWLEDGED

    svc.assessment_annul(assessment=of(period, world.members[1]), reason="Sai sót hồ sơ", actor=world.sub_a_staff)
    annulled = of(period, world.members[1])
    assert annulled.state == Step.REVIEWED and annulled.level == "" and annulled.annulments == 1
    assert annulled.events.last().data["annulled"]["level"] == Level.GOOD


def test_the_rollups_rebuilt_from_scratch_equal_the_ones_kept_step_by_step(world, period_2026):
    period, p = period_2026, world.province
    rows = [svc.Row(of(period, p.cell_1).pk, grades={"building": 8, "organization": 8, "inspection": 8,
                                                     "tasks": 65}, level=Level.GOOD)]
    rows += [svc.Row(of(period, m).pk, grades=GOOD_366, level=Level.GOOD) for m in world.members]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period, decisions=[svc.Decision(r.assessment_id, Level.GOOD) for r in rows[:3]],
                           actor=world.grassroots_staff)

    def kept():
        return sorted(Rollup.objects.filter(period=period, count__gt=0)
                      .values_list("organization_id", "kind", "state", "level", "count"))

    before = kept()
    assert svc.rollups_rebuild(period=period, actor=SYSTEM) == len(before)
    assert kept() == before
