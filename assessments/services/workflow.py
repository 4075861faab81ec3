"""The steps of an assessment: self-assessment, appraisal, the review grid, the decision, notification,
acknowledgement, annulment; and the facts the rules judge."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from common.reasons import Reason, Refused, as_json
from organizations import events as person_events
from organizations.models import (
    Discipline,
    Organization,
    Tenure,
)

from .. import rules, schemes
from ..choices import (
    STEP_ORDER,
    Level,
    Step,
    SubjectKind,
)
from ..models import (
    Assessment,
    AssessmentEvent,
    PeerGroup,
    Period,
    Target,
)
from .base import _Change, _event, _key, _lock, _rollups_apply, _step

# --- Facts for the rules ------------------------------------------------------------------


def facts_for(assessments: list[Assessment], grades_of=None) -> dict[int, rules.Facts]:
    """The facts of each assessment for the ceiling rules, in a fixed number of queries."""
    if not assessments:
        return {}
    period = assessments[0].period
    year = period.year
    grades_of = grades_of or (lambda a: a.grades or a.self_grades)
    people = [a.person_id for a in assessments if a.person_id]
    disciplined: dict[int, bool] = {}
    # Standing measures only: an annulled discipline is no longer a fact of the year (a recorded act undid it).
    for person_id, remedied in (Discipline.objects.standing().filter(person_id__in=people, decided_on__year=year)
                                .values_list("person_id", "self_detected_remedied")):
        disciplined[person_id] = disciplined.get(person_id, False) or not remedied
    collectives = [a for a in assessments if a.kind == SubjectKind.COLLECTIVE]
    org_disciplined, leaders_disciplined, children, children_disciplined = set(), set(), Counter(), Counter()
    led_share: dict[int, Fraction | None] = {}
    if collectives:
        org_ids = [a.organization_id for a in collectives]
        org_disciplined = set(Discipline.objects.standing().filter(organization_id__in=org_ids,
                                                                   decided_on__year=year)
                              .values_list("organization_id", flat=True))
        leaders_disciplined = set(
            Tenure.objects.filter(organization_id__in=org_ids, start__lte=dt.date(year, 12, 31))
            .filter(Q(end__isnull=True) | Q(end__gte=dt.date(year, 1, 1)))
            .filter(person__disciplines__decided_on__year=year, person__disciplines__annulment__isnull=True)
            .values_list("organization_id", flat=True))
        paths = {a.organization.path: a.organization_id for a in collectives}
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path, depth=len(path) // assessments[0].organization.steplen + 1)
        sub = Organization.objects.filter(condition).values_list("pk", "path")
        sub_ids = {}
        for pk, path in sub:
            parent = paths.get(path[:-assessments[0].organization.steplen])
            if parent:
                children[parent] += 1
                sub_ids[pk] = parent
        for org_id in (Discipline.objects.standing().filter(organization_id__in=list(sub_ids), decided_on__year=year)
                       .values_list("organization_id", flat=True).distinct()):
            children_disciplined[sub_ids[org_id]] += 1
    leaders = [a for a in assessments if a.kind == SubjectKind.LEADER and a.role_organization_id]
    if leaders:
        for org_id, done, total in (Assessment.objects.filter(period=period, kind=SubjectKind.COLLECTIVE,
                                                              organization_id__in=[a.role_organization_id
                                                                                   for a in leaders])
                                    .values_list("organization_id", "tasks_done", "tasks_total")):
            led_share[org_id] = rules.share(done, total)
    facts = {}
    for a in assessments:
        facts[a.pk] = rules.Facts(
            kind=a.kind, grades=grades_of(a), tasks_total=a.tasks_total, tasks_done=a.tasks_done,
            tasks_on_time=a.tasks_on_time, tasks_exceeded=a.tasks_exceeded,
            disciplined=disciplined.get(a.person_id, False) if a.person_id else False,
            disciplined_remedied=a.person_id in disciplined and not disciplined[a.person_id],
            breach_37=a.breach_37, led_unit_share_met=led_share.get(a.role_organization_id),
            collective_disciplined=a.kind == SubjectKind.COLLECTIVE and a.organization_id in org_disciplined,
            leadership_member_disciplined=a.kind == SubjectKind.COLLECTIVE and a.organization_id in leaders_disciplined,
            subordinates_total=children[a.organization_id] if a.kind == SubjectKind.COLLECTIVE else 0,
            subordinates_disciplined=children_disciplined[a.organization_id] if a.kind == SubjectKind.COLLECTIVE else 0,
            disunity=a.disunity, shortcomings_fixed=a.shortcomings_fixed)
    return facts


def ceiling_of(assessment: Assessment, facts: rules.Facts) -> rules.Ceiling:
    return assessment.period.rules.ceiling(facts)


@dataclass
class Row:
    """One row of a grid: an assessment and what was entered for it."""

    assessment_id: int
    grades: dict = field(default_factory=dict)
    level: str = ""
    tasks_total: int | None = None
    tasks_done: int | None = None
    tasks_on_time: int | None = None
    tasks_exceeded: int | None = None
    text: str = ""
    override_reason: str = ""


def _apply_tasks(a: Assessment, row: Row, with_targets: set[int]) -> list[Reason]:
    """Task counts typed in the grid, for a subject whose targets are not itemized (otherwise they are counted)."""
    if a.pk in with_targets:
        return []
    values = {name: getattr(row, name) for name in ("tasks_total", "tasks_done", "tasks_on_time", "tasks_exceeded")}
    for name, value in values.items():
        if value is not None:
            setattr(a, name, value)
    if not (a.tasks_on_time <= a.tasks_done <= a.tasks_total and a.tasks_exceeded <= a.tasks_done):
        return [Reason("task_counts")]
    return []


def _with_targets(ids) -> set[int]:
    return set(Target.objects.filter(assessment_id__in=list(ids)).values_list("assessment_id", flat=True).distinct())


def _order_errors(rows: list[Assessment], period: Period) -> dict[int, list[Reason]]:
    """Collectives before individuals, lower levels before higher, the head after their organization."""
    errors: dict[int, list[Reason]] = defaultdict(list)
    in_batch = {a.organization_id for a in rows if a.kind == SubjectKind.COLLECTIVE}
    needed = {(a.role_organization_id or a.organization_id) for a in rows if a.kind != SubjectKind.COLLECTIVE}
    states = dict(Assessment.objects.filter(period=period, kind=SubjectKind.COLLECTIVE,
                                            organization_id__in=needed - in_batch)
                  .values_list("organization_id", "state"))
    reviewed = set(STEP_ORDER[STEP_ORDER.index(Step.REVIEWED):])
    for a in rows:
        if a.kind == SubjectKind.COLLECTIVE:
            continue
        org_id = a.role_organization_id or a.organization_id
        state = states.get(org_id)
        if org_id not in in_batch and state is not None and state not in reviewed:
            org = a.role_organization or a.organization
            errors[a.pk].append(Reason("collective_first", {"org": org.name, "state": state},
                                       rules.ORDER.code, rules.ORDER.ref))
    collectives = [a for a in rows if a.kind == SubjectKind.COLLECTIVE]
    if collectives:
        steplen = collectives[0].organization.steplen
        condition = Q()
        for a in collectives:
            condition |= Q(organization__path__startswith=a.organization.path,
                           organization__depth=a.organization.depth + 1)
        waiting = Counter(
            path[:-steplen] for path in Assessment.objects.filter(condition, period=period,
                                                                  kind=SubjectKind.COLLECTIVE)
            .exclude(state__in=reviewed).exclude(organization_id__in=in_batch)
            .values_list("organization__path", flat=True))
        for a in collectives:
            if waiting[a.organization.path]:
                errors[a.pk].append(Reason("lower_levels_first", {"count": waiting[a.organization.path],
                                                                  "org": a.organization.name},
                                           rules.ORDER.code, rules.ORDER.ref))
    return errors


def assessments_review(*, period: Period, rows: list[Row], actor, meeting=None) -> list[Assessment]:
    """The review meeting's results for many subjects at once (the grid): all or nothing.

    A subject that has not submitted a self-assessment has it entered on their
    behalf in the same act (logged as such). Each row carries the criteria as
    the meeting graded them and the level it proposes.
    """
    with transaction.atomic():
        locked = _lock([r.assessment_id for r in rows])
        by_id = {a.pk: a for a in locked}
        scheme = period.rules
        errors: dict[int, list[Reason]] = defaultdict(list)
        for row in rows:
            a = by_id.get(row.assessment_id)
            if a is None or a.period_id != period.pk:
                errors[row.assessment_id].append(Reason("wrong_step", {"subject": "?", "state": "?"}))
        if errors:
            raise Refused([], dict(errors))
        changes, events = [], []
        with_targets = _with_targets(by_id)
        for row in rows:
            a = by_id[row.assessment_id]
            errors[a.pk] += schemes.grade_errors(scheme, a.kind, row.grades)
            if row.level not in Level.values:
                errors[a.pk].append(Reason("level_missing"))
            errors[a.pk] += _apply_tasks(a, row, with_targets)
        for pk, reasons in _order_errors(locked, period).items():
            errors[pk] += reasons
        for row in rows:
            a = by_id[row.assessment_id]
            if errors[a.pk]:
                continue
            before = _key(a)
            if a.state == Step.PENDING:
                reasons = _step(a, "submit_self", actor)
                if reasons:
                    errors[a.pk] += reasons
                    continue
                a.self_grades = schemes.clean_grades(scheme, a.kind, row.grades)
                a.self_level = row.level
                events.append(_event(a, "submit_self", Step.PENDING, actor,
                                     reason=Reason("assessment_entered_at_meeting")))
            source = a.state
            reasons = _step(a, "review", actor)
            if reasons:
                errors[a.pk] += reasons
                continue
            a.grades = schemes.clean_grades(scheme, a.kind, row.grades)
            a.review_level = row.level
            a.meeting = meeting
            if row.text:
                a.self_text = a.self_text or row.text
            events.append(_event(a, "review", source, actor, row.text, {"level": row.level}))
            changes.append(_Change(a.organization.path, a.kind, before, _key(a)))
        errors = {k: v for k, v in errors.items() if v}
        if errors:
            raise Refused([], errors)
        Assessment.objects.bulk_update(locked, ["state", "self_grades", "self_level", "grades", "review_level",
                                                "meeting", "self_text", "tasks_total", "tasks_done",
                                                "tasks_on_time", "tasks_exceeded"])
        AssessmentEvent.objects.bulk_create(events)
        _rollups_apply(period, changes)
        audit_record(actor=actor, action="assessments.review", obj=period,
                     summary=period.plain_label, note=Reason("assessments_reviewed", {"n": len(rows)}),
                     data={"assessments": [a.pk for a in locked], "meeting": getattr(meeting, "pk", None)})
    return locked


def assessment_self_submit(*, assessment: Assessment, grades: dict, level: str, text: str, actor,
                           tasks: dict | None = None) -> Assessment:
    """A subject's own self-assessment (forms 02A/02B, 2A/2B/2C), or the office's on their behalf."""
    with transaction.atomic():
        (a,) = _lock([assessment.pk])
        errors = schemes.grade_errors(a.period.rules, a.kind, grades)
        if level not in Level.values:
            errors.append(Reason("level_missing"))
        errors += _apply_tasks(a, Row(a.pk, **(tasks or {})), _with_targets([a.pk]))
        before = _key(a)
        errors = errors or _step(a, "submit_self", actor)
        if errors:
            raise Refused(errors)
        a.self_grades, a.self_level, a.self_text = schemes.clean_grades(a.period.rules, a.kind, grades), level, text
        a.save()
        AssessmentEvent.objects.create(assessment=a, transition="submit_self", source=Step.PENDING, target=a.state,
                                       actor=actor, data={"level": level})
        _rollups_apply(a.period, [_Change(a.organization.path, a.kind, before, _key(a))])
        audit_record(actor=actor, action="assessments.self_submit", obj=a, summary=str(a), data={"level": level})
    return a


def assessment_appraise(*, assessment: Assessment, level: str, text: str, actor) -> Assessment:
    """The organization board's appraisal and proposed level (collectives and leaders)."""
    with transaction.atomic():
        (a,) = _lock([assessment.pk])
        errors = [] if level in Level.values else [Reason("level_missing")]
        before = _key(a)
        errors = errors or _step(a, "appraise", actor)
        if errors:
            raise Refused(errors)
        a.appraisal_level, a.appraisal_text = level, text
        a.save()
        AssessmentEvent.objects.create(assessment=a, transition="appraise", source=Step.SELF_ASSESSED,
                                       target=a.state, actor=actor, note=text, data={"level": level})
        _rollups_apply(a.period, [_Change(a.organization.path, a.kind, before, _key(a))])
        audit_record(actor=actor, action="assessments.appraise", obj=a, summary=str(a), data={"level": level})
    return a


@dataclass
class Decision:
    assessment_id: int
    level: str
    override_reason: str = ""


def _previous_levels(period: Period, people: list[int]) -> dict[int, str]:
    """Each person's decided level in the year before (annual periods)."""
    return dict(Assessment.objects.filter(person_id__in=people, period__year=period.year - 1,
                                          period__quarter__isnull=True).exclude(level="")
                .values_list("person_id", "level"))


def assessments_decide(*, period: Period, decisions: list[Decision], actor) -> list[Assessment]:
    """The competent level decides the levels of many subjects at once: caps, quota, order; all or nothing.

    A level above the ceiling the facts allow needs a written reason (kept and
    flagged for the dashboards). The quota is counted per peer group with the
    group's row locked, so two officers deciding at once cannot together
    exceed it.
    """
    scheme = period.rules
    with transaction.atomic():
        group_ids = sorted(set(Assessment.objects.filter(pk__in=[d.assessment_id for d in decisions],
                                                         period=period).values_list("peer_group_id", flat=True)))
        groups = {g.pk: g for g in PeerGroup.objects.select_for_update().filter(pk__in=group_ids).order_by("pk")}
        locked = _lock([d.assessment_id for d in decisions])
        if any(a.peer_group_id not in groups for a in locked):  # merged or split while this waited for the lock
            raise Refused([Reason("peer_group_changed")])
        by_id = {a.pk: a for a in locked}
        errors: dict[int, list[Reason]] = defaultdict(list)
        for d in decisions:
            a = by_id.get(d.assessment_id)
            if a is None or a.period_id != period.pk:
                errors[d.assessment_id].append(Reason("wrong_step", {"subject": "?", "state": "?"}))
            if d.level not in Level.values:
                errors[d.assessment_id].append(Reason("level_missing"))
        if errors:
            raise Refused([], dict(errors))
        facts = facts_for(locked)
        previous = _previous_levels(period, [a.person_id for a in locked if a.person_id]) if not period.quarter else {}
        collective_levels = dict(Assessment.objects.filter(
            period=period, kind=SubjectKind.COLLECTIVE,
            organization_id__in=[a.role_organization_id for a in locked if a.role_organization_id])
            .values_list("organization_id", "level"))
        batch_collective = {a.organization_id: d.level for d in decisions
                            for a in [by_id[d.assessment_id]] if a.kind == SubjectKind.COLLECTIVE}
        counts = {pk: Counter(excellent=g.excellent, good=g.good) for pk, g in groups.items()}
        changes, events = [], []
        now = timezone.now()
        for d in decisions:
            a = by_id[d.assessment_id]
            before = _key(a)
            reasons = _step(a, "decide", actor)
            if reasons:
                errors[a.pk] += reasons
                continue
            ceiling = scheme.ceiling(facts[a.pk])
            a.ceiling, a.reasons = ceiling.level, as_json(ceiling.reasons)
            a.flag_cap_override = not ceiling.allows(d.level)
            a.override_reason = d.override_reason.strip() if a.flag_cap_override else ""
            if a.flag_cap_override and not a.override_reason:
                errors[a.pk].append(Reason("above_ceiling", {"level": d.level, "ceiling": ceiling.level},
                                           scheme.levels_cite.code, scheme.levels_cite.ref))
                errors[a.pk] += list(ceiling.reasons)
            if a.kind == SubjectKind.LEADER and a.role_organization_id:
                collective = batch_collective.get(a.role_organization_id, collective_levels.get(a.role_organization_id))
                a.flag_head_above = rules.head_above_collective(d.level, collective)
                if a.flag_head_above and period.head_above_collective == "block":
                    errors[a.pk].append(Reason("head_above_collective", {
                        "level": d.level, "collective": collective, "org": a.role_organization.name}))
            a.flag_twice = rules.not_completed_twice(previous.get(a.person_id), d.level)
            a.score = rules.score_366(a.grades) if not scheme.graded and a.grades else None
            a.level, a.decided_at, a.decided_by = d.level, now, actor if actor.is_authenticated else None
            if d.level == Level.EXCELLENT:
                counts[a.peer_group_id]["excellent"] += 1
            elif d.level == Level.GOOD:
                counts[a.peer_group_id]["good"] += 1
            events.append(_event(a, "decide", Step.REVIEWED, actor, a.override_reason,
                                 {"level": d.level, "ceiling": ceiling.level}))
            changes.append(_Change(a.organization.path, a.kind, before, _key(a)))
        quota_errors = []
        for pk, count in counts.items():
            group = groups[pk]
            if (count["excellent"] > group.excellent
                    and not rules.quota_allows(count["excellent"], count["good"], period.quota_share,
                                               period.quota_rounding)):
                quota_errors.append(rules.quota_reason(scheme.levels_cite, excellent=count["excellent"],
                                                       good=count["good"], share_percent=period.quota_share,
                                                       rounding=period.quota_rounding, group=group.name))
        errors = {k: v for k, v in errors.items() if v}
        if errors or quota_errors:
            raise Refused(quota_errors, errors)
        Assessment.objects.bulk_update(locked, ["state", "level", "ceiling", "reasons", "override_reason", "score",
                                                "decided_at", "decided_by", "flag_cap_override", "flag_head_above",
                                                "flag_twice"])
        for pk, count in counts.items():
            PeerGroup.objects.filter(pk=pk).update(excellent=count["excellent"], good=count["good"])
        AssessmentEvent.objects.bulk_create(events)
        _rollups_apply(period, changes)
        for a in locked:  # followed by the responsibility ledger (personnel), through the organizations' events
            if a.person_id and a.level == Level.NOT_COMPLETED:
                person_events.announce(person_events.PersonEvent("not_completed", a.person_id, timezone.localdate(), {
                    "assessment": a.pk, "period": period.pk, "year": period.year, "quarter": period.quarter}))
        audit_record(actor=actor, action="assessments.decide", obj=period,
                     summary=period.plain_label, note=Reason("assessments_decided", {"n": len(decisions)}),
                     data={"levels": {str(d.assessment_id): d.level for d in decisions}})
    return locked


def assessments_notify(*, period: Period, ids: list[int], actor) -> int:
    """Notify decided results: each subject then sees theirs (and can acknowledge it)."""
    with transaction.atomic():
        locked = _lock(ids)
        errors, changes, events = {}, [], []
        now = timezone.now()
        for a in locked:
            before = _key(a)
            reasons = _step(a, "notify", actor) if a.period_id == period.pk else [
                Reason("wrong_step", {"subject": str(a), "state": a.state})]
            if reasons:
                errors[a.pk] = reasons
                continue
            a.notified_at = now
            events.append(_event(a, "notify", Step.DECIDED, actor))
            changes.append(_Change(a.organization.path, a.kind, before, _key(a)))
        if errors:
            raise Refused([], errors)
        Assessment.objects.bulk_update(locked, ["state", "notified_at"])
        AssessmentEvent.objects.bulk_create(events)
        _rollups_apply(period, changes)
        audit_record(actor=actor, action="assessments.notify", obj=period,
                     summary=period.plain_label, note=Reason("assessments_notified", {"n": len(locked)}),
                     data={"assessments": [a.pk for a in locked]})
    return len(locked)


def assessment_acknowledge(*, assessment: Assessment, actor, text: str = "") -> Assessment:
    """The member has seen their result."""
    with transaction.atomic():
        (a,) = _lock([assessment.pk])
        before = _key(a)
        reasons = _step(a, "acknowledge", actor)
        if reasons:
            raise Refused(reasons)
        a.acknowledged_at = timezone.now()
        a.save(update_fields=["state", "acknowledged_at"])
        AssessmentEvent.objects.create(assessment=a, transition="acknowledge", source=Step.NOTIFIED,
                                       target=a.state, actor=actor, note=text)
        _rollups_apply(a.period, [_Change(a.organization.path, a.kind, before, _key(a))])
        audit_record(actor=actor, action="assessments.acknowledge", obj=a, summary=str(a))
    return a


def assessment_annul(*, assessment: Assessment, reason: str, actor) -> Assessment:
    """The superior annuls a decided result (124 Art. 13); the subject returns to the decision step.

    The annulled result stays in the event log; the peer group's counters drop
    it. If the group's Excellent ratings then exceed the quota (a Good one was
    annulled), they are flagged for the dashboards rather than undone.
    """
    if not reason.strip():
        raise Refused([Reason("annul_reason")])
    with transaction.atomic():
        group = PeerGroup.objects.select_for_update().filter(pk=assessment.peer_group_id).first()
        (a,) = _lock([assessment.pk])
        if group is None or a.peer_group_id != group.pk:
            raise Refused([Reason("peer_group_changed")])
        before, annulled = _key(a), {"level": a.level, "state": a.state, "decided_at": str(a.decided_at),
                                     "decided_by": a.decided_by_id, "override_reason": a.override_reason}
        reasons = _step(a, "annul", actor)
        if reasons:
            raise Refused(reasons)
        if annulled["level"] == Level.EXCELLENT:
            group.excellent -= 1
        elif annulled["level"] == Level.GOOD:
            group.good -= 1
        group.save(update_fields=["excellent", "good"])
        a.level, a.decided_at, a.decided_by, a.notified_at, a.acknowledged_at = "", None, None, None, None
        a.annulments += 1
        a.flag_cap_override = a.flag_head_above = a.flag_twice = a.flag_quota = False
        a.save()
        AssessmentEvent.objects.create(assessment=a, transition="annul", source=before[0], target=a.state,
                                       actor=actor, note=reason.strip(), data={"annulled": annulled})
        period = a.period
        over = not rules.quota_allows(group.excellent, group.good, period.quota_share, period.quota_rounding)
        Assessment.objects.filter(peer_group=group, level=Level.EXCELLENT).update(flag_quota=over)
        _rollups_apply(period, [_Change(a.organization.path, a.kind, before, _key(a))])
        audit_record(actor=actor, action="assessments.annul", obj=a, summary=str(a),
                     data={"annulled": annulled, "reason": reason.strip()[:500]})
    return a
