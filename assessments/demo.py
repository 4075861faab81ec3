"""The demo's review: registered with ``organizations.demo.register_demo_step``.

Last year's period (2025, Regulation 366) reviewed and decided in a few
cells, and this year's opened with some cells reviewed, all through the
services a committee's office uses, so the dashboards have something to show.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from jobs.services import job_execute
from organizations.models import Organization, OrgKind

from . import rules
from . import services as svc
from .choices import Level, Step, SubjectKind
from .models import Assessment, Period

POINTS = [{"politics": 5, "ethics": 5, "lifestyle": 5, "example": 5, "innovation": 5, "self_criticism": 5,
           "tasks": 66},  # 96: Excellent if the tasks allow
          {"politics": 5, "ethics": 4, "lifestyle": 4, "example": 4, "innovation": 4, "self_criticism": 4,
           "tasks": 58},  # 83: Good
          {"politics": 4, "ethics": 4, "lifestyle": 3, "example": 3, "innovation": 3, "self_criticism": 3,
           "tasks": 42}]  # 62: Completed
COLLECTIVE = {"building": 8, "organization": 9, "inspection": 8, "tasks": 60}
CELLS_REVIEWED = 12


def _open(root: Organization, year: int, actor) -> Period:
    period = svc.period_create(organization=root, year=year, actor=actor)
    job_execute(svc.period_open(period=period, actor=actor).pk)
    period.refresh_from_db()
    return period


def _review_and_decide(period: Period, cell: Organization, actor, decide: bool) -> None:
    rows = [a for a in Assessment.objects.filter(period=period, organization=cell, state=Step.PENDING)
            .exclude(kind=SubjectKind.LEADER).order_by("kind", "pk")]
    review, levels = [], {}
    for i, a in enumerate(rows):
        if a.kind == SubjectKind.COLLECTIVE:
            review.append(svc.Row(a.pk, grades=COLLECTIVE, level=Level.GOOD))
            levels[a.pk] = Level.GOOD
            continue
        points = POINTS[0] if i % 9 == 1 else POINTS[2] if i % 7 == 3 else POINTS[1]
        level = Level.EXCELLENT if points is POINTS[0] else Level.COMPLETED if points is POINTS[2] else Level.GOOD
        review.append(svc.Row(a.pk, grades=points, level=level))
        levels[a.pk] = level
    if not review:
        return
    svc.assessments_review(period=period, rows=review, actor=actor)
    if not decide:
        return
    reviewed = list(Assessment.objects.filter(pk__in=levels).select_related("period", "organization"))
    facts = svc.facts_for(reviewed)
    # The demo decides within what the facts allow (a member disciplined this year: Not completed).
    levels = {a.pk: rules.lower_of(levels[a.pk], period.rules.ceiling(facts[a.pk]).level) for a in reviewed}
    try:
        svc.assessments_decide(period=period, actor=actor,
                               decisions=[svc.Decision(pk, level) for pk, level in levels.items()])
    except svc.Refused:  # over the quota in a small group: the demo decides them Good instead
        svc.assessments_decide(period=period, actor=actor, decisions=[
            svc.Decision(pk, Level.GOOD if level == Level.EXCELLENT else level) for pk, level in levels.items()])


def review(organizations: list[Organization]) -> str:
    root = next(o for o in organizations if o.depth == 1)
    actor = get_user_model().objects.get(username="quantri")  # the demo's administrator
    last, this = _open(root, 2025, actor), _open(root, 2026, actor)
    cells = [o for o in organizations if o.kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL)][:CELLS_REVIEWED]
    for cell in cells:
        _review_and_decide(last, cell, actor, decide=True)
    for cell in cells[: CELLS_REVIEWED // 2]:
        _review_and_decide(this, cell, actor, decide=False)
    return f"{last.subjects + this.subjects} đối tượng đánh giá (năm 2025 và 2026)"
