"""Targets and tasks assigned at the start of the year, copied from last year, and their results."""


from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from audit.services import audit_record
from common.reasons import Reason, Refused
from organizations import access

from ..choices import (
    DONE_STEPS,
)
from ..models import (
    Assessment,
    Period,
    Target,
    TargetResult,
)
from ..permissions import DECIDE, MANAGE_PERIODS
from .base import BATCH, _lock

# --- Targets -------------------------------------------------------------------------------------


def _recount(assessment_ids: Iterable[int]) -> None:
    """The task counts of assessments, from their targets."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for aid, result in Target.objects.filter(assessment_id__in=list(assessment_ids)).values_list("assessment_id",
                                                                                                "result"):
        c = counts[aid]
        c["total"] += 1
        if result in (TargetResult.ON_TIME, TargetResult.EXCEEDED, TargetResult.LATE):
            c["done"] += 1
        if result in (TargetResult.ON_TIME, TargetResult.EXCEEDED):
            c["on_time"] += 1
        if result == TargetResult.EXCEEDED:
            c["exceeded"] += 1
    rows = list(Assessment.objects.filter(pk__in=list(assessment_ids)))
    for a in rows:
        c = counts[a.pk]
        a.tasks_total, a.tasks_done, a.tasks_on_time, a.tasks_exceeded = (c["total"], c["done"], c["on_time"],
                                                                           c["exceeded"])
    Assessment.objects.bulk_update(rows, ["tasks_total", "tasks_done", "tasks_on_time", "tasks_exceeded"])


def _not_assigner(actor, assessments: list[Assessment]) -> dict[int, list[Reason]]:
    """The subjects whose targets ``actor`` may not assign: whoever assigns the tasks evaluates them (RULES.md), so
    targets are assigned by the subject's competent level (``decider``), each subject on its own (one check per
    deciding organization)."""
    allowed: dict[int, bool] = {}
    refused: dict[int, list[Reason]] = {}
    for a in assessments:
        if a.decider_id not in allowed:
            try:
                access.authorize(actor, DECIDE, a.decider)
            except Refused:
                allowed[a.decider_id] = False
            else:
                allowed[a.decider_id] = True
        if not allowed[a.decider_id]:
            refused[a.pk] = [Reason("targets_not_assigner", {"subject": str(a), "org": a.decider.name})]
    return refused


def targets_assign(*, period: Period, assessments: list[Assessment], titles: list[str], due: dt.date | None,
                   actor) -> int:
    """The same targets for many subjects at the start of the year (before they are decided): all or none.

    Each subject's targets are assigned by its own competent level: an office that decides for a cell's members
    cannot assign targets to a head whom the level above decides, even on the same page.
    """
    titles = [t.strip()[:300] for t in titles if t.strip()]
    if not titles:
        raise Refused.because("targets_none")
    with transaction.atomic():
        locked = _lock([a.pk for a in assessments])
        refused = _not_assigner(actor, locked)
        if refused:
            raise Refused([], refused)
        frozen = [a for a in locked if a.frozen or a.period_id != period.pk]
        if frozen:
            raise Refused([Reason("wrong_step", {"subject": str(frozen[0]), "state": frozen[0].state})])
        start = Counter(dict(Target.objects.filter(assessment__in=locked).values("assessment_id")
                             .annotate(n=Count("pk")).values_list("assessment_id", "n")))
        Target.objects.bulk_create([Target(assessment=a, title=t, due=due, order=start[a.pk] + i)
                                    for a in locked for i, t in enumerate(titles)], batch_size=BATCH)
        _recount([a.pk for a in locked])
        audit_record(actor=actor, action="assessments.targets_assign", obj=period,
                     summary=period.plain_label, note=Reason("assessments_targets_assigned",
                                                      {"titles": len(titles), "subjects": len(locked)}),
                     data={"titles": titles, "assessments": [a.pk for a in locked]})
    return len(titles) * len(locked)


def targets_copy(*, period: Period, source: Period, actor) -> int:
    """Copy last year's targets to the same subjects of this period (results start again as pending)."""
    if source.pk == period.pk:
        raise Refused.because("targets_copy_same_period")
    with transaction.atomic():
        period = Period.objects.select_for_update().select_related("organization").get(pk=period.pk)
        access.authorize(actor, MANAGE_PERIODS, period.organization)  # the period's managers copy for all of it
        mine = {}
        for pk, person_id, org_id, _kind in Assessment.objects.filter(period=period).values_list(
                "pk", "person_id", "organization_id", "kind"):
            mine[(person_id, None if person_id else org_id)] = pk
        frozen = set(Assessment.objects.filter(period=period, state__in=list(DONE_STEPS)).values_list("pk", flat=True))
        copies = []
        for person_id, org_id, title, due, order in Target.objects.filter(assessment__period=source).values_list(
                "assessment__person_id", "assessment__organization_id", "title", "due", "order"):
            target = mine.get((person_id, None if person_id else org_id))
            if target and target not in frozen:
                moved = due.replace(year=due.year + (period.year - source.year)) if due and not (
                    due.month == 2 and due.day == 29) else due
                copies.append(Target(assessment_id=target, title=title, due=moved, order=order))
        Target.objects.bulk_create(copies, batch_size=BATCH)
        _recount({t.assessment_id for t in copies})
        audit_record(actor=actor, action="assessments.targets_copy", obj=period,
                     summary=period.plain_label, note=Reason("assessments_targets_copied",
                                                      {"n": len(copies), "source": source.plain_label}),
                     data={"source": source.pk, "count": len(copies)})
    return len(copies)


def target_result_record(*, target: Target, result: str, note: str, actor) -> Target:
    with transaction.atomic():
        (a,) = _lock([target.assessment_id])
        access.authorize(actor, DECIDE, a.decider)  # whoever assigned the target records its result
        if a.frozen:
            raise Refused([Reason("wrong_step", {"subject": str(a), "state": a.state})])
        if result not in TargetResult.values:
            raise Refused.because("target_result_invalid")
        target = Target.objects.select_for_update().get(pk=target.pk)
        before = target.result
        target.result, target.note = result, note[:300]
        target.save(update_fields=["result", "note"])
        _recount([a.pk])
        audit_record(actor=actor, action="assessments.target_result", obj=target, summary=target.title,
                     data={"from": before, "to": result})
    return target
