"""Services of the review: periods, the opening job, the workflow, the grid, targets, rollups.

Every service runs in one transaction, locks the rows whose state it checks
(``select_for_update``, peer groups before assessments, each in key order)
before checking them, applies the rules of the period's scheme, moves the
state by the model's django-fsm-2 transitions, appends one event per
assessment and one audit entry per act, and keeps the rollups exact in the
same transaction. A grid of rows is one act: any row refused, nothing saved,
with every row's reasons returned to the page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from audit.services import audit_record
from common.reasons import Reason, as_json
from jobs.models import Job
from jobs.services import job_start
from organizations.models import (
    Discipline,
    Membership,
    Organization,
    OrgKind,
    PositionRole,
    Tenure,
)
from regulations.services import citations_set

from . import rules, schemes
from .choices import (
    DONE_STEPS,
    STEP_ORDER,
    Level,
    QuarterlySubjects,
    Step,
    SubjectKind,
)
from .models import (
    Assessment,
    AssessmentEvent,
    PeerGroup,
    Period,
    PeriodStatus,
    Rollup,
    Target,
    TargetResult,
)

BATCH = 5000


class Refused(ValidationError):
    """A rule or a step refused the act; ``rows`` maps a row's key to its reasons (grids)."""

    def __init__(self, reasons: list[Reason], rows: dict | None = None):
        self.reasons = reasons
        self.rows = rows or {}
        messages = [r.message for r in reasons] or [
            r.message for row in self.rows.values() for r in row][:5]
        super().__init__(messages or [_("Không ghi được.")])


# --- Periods -------------------------------------------------------------------------


def period_defaults(year: int, quarter: int | None = None) -> dict[str, dt.date]:
    """Reference date and deadlines of a period, from RULES.md where it says, otherwise the portal's defaults.

    A quarter's report is due before the 15th of its last month (Guidance 43);
    a year's steps run through December, the decision by its last day.
    """
    if quarter:
        month = quarter * 3
        return {"reference_date": dt.date(year, month, 1), "self_by": dt.date(year, month, 5),
                "appraisal_by": dt.date(year, month, 8), "review_by": dt.date(year, month, 11),
                "decision_by": dt.date(year, month, 14), "notify_by": dt.date(year, month, 14)}
    return {"reference_date": dt.date(year, 12, 1), "self_by": dt.date(year, 12, 10),
            "appraisal_by": dt.date(year, 12, 15), "review_by": dt.date(year, 12, 22),
            "decision_by": dt.date(year, 12, 31), "notify_by": dt.date(year + 1, 1, 10)}


PERIOD_SETTINGS = ["quota_share", "quota_rounding", "head_above_collective", "leader_form", "quarterly_subjects"]
PERIOD_DATES = ["reference_date", "self_by", "appraisal_by", "review_by", "decision_by", "notify_by"]


def _check_period(period: Period) -> None:
    try:
        scheme = schemes.for_year(period.year)
    except LookupError:
        raise ValidationError(_("Không có quy định đánh giá cho năm %(y)s.") % {"y": period.year}) from None
    if period.scheme != scheme.code:
        raise ValidationError(_("Kỳ năm %(y)s đánh giá theo %(s)s.") % {"y": period.year, "s": scheme.label})
    if period.quarter and not scheme.quarterly:
        raise ValidationError(_("%(s)s không có đánh giá hằng quý.") % {"s": scheme.label})
    if period.quota_share not in scheme.quota_shares:
        raise ValidationError(_("Tỷ lệ Hoàn thành xuất sắc của %(s)s: %(v)s%% số Hoàn thành tốt.") % {
            "s": scheme.label, "v": ", ".join(str(v) for v in scheme.quota_shares)})
    order = [period.self_by, period.appraisal_by, period.review_by, period.decision_by, period.notify_by]
    if order != sorted(order):
        raise ValidationError(_("Các hạn phải theo thứ tự: tự đánh giá, thẩm định, hội nghị, quyết định, "
                                "thông báo."))


def period_create(*, organization: Organization, year: int, quarter: int | None = None, actor,
                  **values) -> Period:
    """A draft period over ``organization``'s subtree, with the defaults of RULES.md for what is not given."""
    scheme = schemes.for_year(year) if 2023 <= year <= 2199 else None
    if scheme is None:
        raise ValidationError(_("Không có quy định đánh giá cho năm %(y)s.") % {"y": year})
    fields = {**period_defaults(year, quarter), **{k: v for k, v in values.items() if v not in (None, "")}}
    period = Period(scheme=scheme.code, year=year, quarter=quarter or None, organization=organization,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    _check_period(period)
    with transaction.atomic():
        if Period.objects.filter(organization=organization, year=year, quarter=quarter or None).exists():
            raise ValidationError(_("Đã có kỳ đánh giá này cho tổ chức này."))
        period.save()
        audit_record(actor=actor, action="assessments.period_create", obj=period, summary=str(period),
                     data={"scheme": period.scheme, "year": year, "quarter": quarter})
    return period


def period_update(*, period: Period, actor, **values) -> Period:
    """Deadlines and settings; the settings only while the period is a draft (decisions rest on them)."""
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.status == PeriodStatus.CLOSED:
            raise ValidationError(_("Kỳ đánh giá đã kết thúc."))
        before = {k: str(getattr(period, k)) for k in [*PERIOD_SETTINGS, *PERIOD_DATES]}
        for name, value in values.items():
            if name in PERIOD_SETTINGS and period.status != PeriodStatus.DRAFT and str(value) != before[name]:
                raise ValidationError(_("Thiết lập chỉ sửa được khi kỳ đánh giá chưa mở."))
            if name == "reference_date" and period.status != PeriodStatus.DRAFT and str(value) != before[name]:
                raise ValidationError(_("Ngày chốt danh sách chỉ sửa được khi kỳ đánh giá chưa mở."))
            if name in PERIOD_SETTINGS or name in PERIOD_DATES:
                setattr(period, name, value)
        _check_period(period)
        period.save()
        after = {k: str(getattr(period, k)) for k in before}
        audit_record(actor=actor, action="assessments.period_update", obj=period, summary=str(period),
                     data={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return period


def period_open(*, period: Period, actor) -> Job:
    """Queue the job that lists every collective and person of the subtree; the period is open when it ends."""
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.status != PeriodStatus.DRAFT:
            raise ValidationError(_("Kỳ đánh giá đã mở."))
        job = job_start(kind="assessments.period_open", params={"period": period.pk}, actor=actor,
                        label=_("Lập danh sách đánh giá: %(p)s") % {"p": period})
        period.status, period.job = PeriodStatus.OPENING, job
        period.save(update_fields=["status", "job"])
        audit_record(actor=actor, action="assessments.period_open", obj=period, summary=str(period),
                     data={"job": job.pk})
    return job


@dataclass
class _Subject:
    kind: str
    organization: Organization
    person_id: int | None = None
    role_organization: Organization | None = None


def _subjects(period: Period, orgs: dict[int, Organization]) -> list[_Subject]:
    """Who is reviewed: the organizations and the members of the subtree as they stood on the reference date."""
    on = period.reference_date
    root = period.organization
    quarterly = period.quarter is not None
    wanted = set(period.rules.kinds)
    if quarterly and period.quarterly_subjects == QuarterlySubjects.LEADERS:
        wanted = {SubjectKind.LEADER}
    elif quarterly and period.quarterly_subjects == QuarterlySubjects.LEADERS_AND_COLLECTIVES:
        wanted = {SubjectKind.LEADER, SubjectKind.COLLECTIVE}
    subjects: list[_Subject] = []
    if SubjectKind.COLLECTIVE in wanted:
        subjects += [_Subject(SubjectKind.COLLECTIVE, org) for org in orgs.values() if org.kind != OrgKind.AGENCY]
    # Leaders: a head or deputy post held on the reference date; a head's post before a deputy's, the higher first.
    leads: dict[int, Organization] = {}
    tenures = (Tenure.objects.active_on(on).filter(organization__path__startswith=root.path,
                                                   position__role__in=[PositionRole.HEAD, PositionRole.DEPUTY])
               .order_by("person_id", "position__role", "organization__depth", "organization__path")
               .values_list("person_id", "organization_id"))
    for person_id, org_id in tenures:
        if person_id not in leads and org_id in orgs:
            leads[person_id] = orgs[org_id]
    members = (Membership.objects.active_on(on).filter(organization__path__startswith=root.path)
               .values_list("person_id", "organization_id").order_by("organization__path", "person__sort_name"))
    for person_id, cell_id in members:
        led = leads.get(person_id)
        kind = SubjectKind.LEADER if led else SubjectKind.MEMBER
        if kind in wanted:
            subjects.append(_Subject(kind, orgs[cell_id], person_id, led))
    return subjects


def _decider(subject: _Subject, orgs_by_path: dict[str, Organization], root: Organization) -> Organization:
    """The competent level: the superior of the organization reviewed, of the cell, or of the unit led."""
    base = subject.role_organization or subject.organization
    parent_path = base.path[: -base.steplen]
    parent = orgs_by_path.get(parent_path)
    if parent is None:
        return base if base.path == root.path else (orgs_by_path.get(root.path) or base)
    return parent


def period_open_job(job: Job, progress) -> dict:
    """The job of ``period_open``: create every assessment in batches, then the rollups; open the period.

    The period stays "opening" (no one can work in it) until the last
    transaction opens it; a failure removes what the batches wrote and puts the
    period back to draft, so it is all or nothing for its users.
    """
    period = Period.objects.select_related("organization").get(pk=job.params["period"])
    if period.status != PeriodStatus.OPENING:
        raise ValidationError(_("Kỳ đánh giá không ở trạng thái chờ lập danh sách."))
    try:
        return _open(period, job, progress)
    except BaseException:
        with transaction.atomic():
            Rollup.objects.filter(period=period).delete()
            Assessment.objects.filter(period=period).delete()
            PeerGroup.objects.filter(period=period).delete()
            Period.objects.filter(pk=period.pk).update(status=PeriodStatus.DRAFT)
        raise


def _open(period: Period, job: Job, progress) -> dict:
    root = period.organization
    on = period.reference_date
    orgs = {o.pk: o for o in Organization.objects.filter(path__startswith=root.path)
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))}
    orgs_by_path = {o.path: o for o in orgs.values()}
    progress(0, 1, _("Đang lập danh sách đối tượng"))
    subjects = _subjects(period, orgs)
    total = len(subjects)
    deciders = [_decider(s, orgs_by_path, root) for s in subjects]
    # One peer group per deciding organization and subject kind.
    keys = sorted({(d.pk, s.kind) for s, d in zip(subjects, deciders)})
    sizes = Counter((d.pk, s.kind) for s, d in zip(subjects, deciders))
    kind_labels = dict(SubjectKind.choices)
    with transaction.atomic():
        PeerGroup.objects.bulk_create([
            PeerGroup(period=period, organization_id=org_id, kind=kind, size=sizes[(org_id, kind)],
                      name=f"{orgs[org_id].name} — {kind_labels[kind]}"[:200]) for org_id, kind in keys],
            batch_size=BATCH)
    groups = {(g.organization_id, g.kind): g.pk for g in PeerGroup.objects.filter(period=period)}
    done = 0
    for start in range(0, total, BATCH):
        chunk = list(zip(subjects[start:start + BATCH], deciders[start:start + BATCH]))
        with transaction.atomic():
            Assessment.objects.bulk_create([
                Assessment(period=period, kind=s.kind, organization=s.organization, person_id=s.person_id,
                           role_organization=s.role_organization, decider=d, peer_group_id=groups[(d.pk, s.kind)])
                for s, d in chunk], batch_size=BATCH)
        done += len(chunk)
        progress(done, total, _("Đã lập %(n)s/%(t)s đối tượng") % {"n": done, "t": total})
    # Rollups: every assessment counts in its organization and in each ancestor inside the period's subtree.
    counts: Counter = Counter()
    direct = Counter((s.organization.path, s.kind) for s in subjects)
    depth0 = len(root.path)
    steplen = root.steplen
    for (path, kind), n in direct.items():
        for end in range(depth0, len(path) + 1, steplen):
            counts[(orgs_by_path[path[:end]].pk, kind)] += n
    with transaction.atomic():
        Rollup.objects.bulk_create([Rollup(period=period, organization_id=org_id, kind=kind, state=Step.PENDING,
                                           level="", count=n) for (org_id, kind), n in counts.items()],
                                   batch_size=BATCH)
        locked = Period.objects.select_for_update().get(pk=period.pk)
        locked.status, locked.subjects, locked.opened_at = PeriodStatus.OPEN, total, timezone.now()
        locked.save(update_fields=["status", "subjects", "opened_at"])
        citations_set(obj=locked, refs=locked.rules.citations(), label=str(locked)[:400],
                      url=locked.get_absolute_url(), scope=root.path)
        audit_record(actor=job.requested_by, action="assessments.period_opened", obj=locked, summary=str(locked),
                     data={"subjects": total, "job": job.pk, "peer_groups": len(keys)})
    return {"url": reverse("assessments:period", args=[period.pk]), "label": _("Mở kỳ đánh giá"),
            "subjects": total}


# --- Rollups ---------------------------------------------------------------------------


@dataclass
class _Change:
    """An assessment moving from one (state, level) to another, for the rollups."""

    path: str
    kind: str
    old: tuple[str, str]
    new: tuple[str, str]


def _rollups_apply(period: Period, changes: Iterable[_Change]) -> None:
    """Add the changes to the rollups of each organization and its ancestors in the period's subtree.

    Rows are locked in key order before they change, so two acts touching the
    same ancestors wait for each other instead of deadlocking.
    """
    root_path, steplen = period.organization.path, period.organization.steplen
    deltas: Counter = Counter()
    paths: set[str] = set()
    for change in changes:
        if change.old == change.new:
            continue
        for end in range(len(root_path), len(change.path) + 1, steplen):
            path = change.path[:end]
            paths.add(path)
            deltas[(path, change.kind, *change.old)] -= 1
            deltas[(path, change.kind, *change.new)] += 1
    deltas = Counter({k: v for k, v in deltas.items() if v})
    if not deltas:
        return
    ids = dict(Organization.objects.filter(path__in=paths).values_list("path", "pk"))
    keyed = {(ids[path], kind, state, level): delta for (path, kind, state, level), delta in deltas.items()}
    Rollup.objects.bulk_create([Rollup(period=period, organization_id=o, kind=k, state=s, level=lv, count=0)
                                for (o, k, s, lv), d in keyed.items() if d > 0], ignore_conflicts=True)
    condition = Q()
    for org_id, kind, state, level in keyed:
        condition |= Q(organization_id=org_id, kind=kind, state=state, level=level)
    rows = (Rollup.objects.select_for_update().filter(condition, period=period).order_by("pk")
            .values_list("pk", "organization_id", "kind", "state", "level"))
    by_delta: dict[int, list[int]] = defaultdict(list)
    for pk, *key in rows:
        by_delta[keyed[tuple(key)]].append(pk)
    for delta, pks in by_delta.items():
        Rollup.objects.filter(pk__in=pks).update(count=F("count") + delta)


def rollups_rebuild(*, period: Period, actor) -> int:
    """Recount a period's rollups from its assessments (after a bulk load, or to check them): one act.

    The counts per organization and subject kind, by state and level, are
    summed up the tree inside the period's subtree, exactly as the services
    keep them one change at a time.
    """
    root = period.organization
    with transaction.atomic():
        Period.objects.select_for_update().get(pk=period.pk)
        direct = (Assessment.objects.filter(period=period).values_list("organization__path", "kind", "state", "level")
                  .annotate(n=Count("pk")).order_by())
        paths = dict(Organization.objects.filter(path__startswith=root.path).values_list("path", "pk"))
        counts: Counter = Counter()
        for path, kind, state, level, n in direct:
            for end in range(len(root.path), len(path) + 1, root.steplen):
                counts[(paths[path[:end]], kind, state, level or "")] += n
        Rollup.objects.filter(period=period).delete()
        Rollup.objects.bulk_create([Rollup(period=period, organization_id=o, kind=k, state=s, level=lv, count=n)
                                    for (o, k, s, lv), n in counts.items()], batch_size=BATCH)
        audit_record(actor=actor, action="assessments.rollups_rebuild", obj=period, summary=str(period),
                     data={"rows": len(counts)})
    return len(counts)


def _key(a: Assessment) -> tuple[str, str]:
    return (a.state, a.level or "")


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
    for person_id, remedied in (Discipline.objects.filter(person_id__in=people, decided_on__year=year)
                                .values_list("person_id", "self_detected_remedied")):
        disciplined[person_id] = disciplined.get(person_id, False) or not remedied
    collectives = [a for a in assessments if a.kind == SubjectKind.COLLECTIVE]
    org_disciplined, leaders_disciplined, children, children_disciplined = set(), set(), Counter(), Counter()
    led_share: dict[int, Fraction | None] = {}
    if collectives:
        org_ids = [a.organization_id for a in collectives]
        org_disciplined = set(Discipline.objects.filter(organization_id__in=org_ids, decided_on__year=year)
                              .values_list("organization_id", flat=True))
        leaders_disciplined = set(
            Tenure.objects.filter(organization_id__in=org_ids, start__lte=dt.date(year, 12, 31))
            .filter(Q(end__isnull=True) | Q(end__gte=dt.date(year, 1, 1)))
            .filter(person__disciplines__decided_on__year=year).values_list("organization_id", flat=True))
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
        for org_id in (Discipline.objects.filter(organization_id__in=list(sub_ids), decided_on__year=year)
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


# --- Steps -------------------------------------------------------------------------------------


def _lock(ids: list[int]) -> list[Assessment]:
    return list(Assessment.objects.select_for_update(of=("self",)).filter(pk__in=ids)
                .select_related("period__organization", "organization", "decider", "person", "role_organization")
                .order_by("pk"))


def _event(a: Assessment, transition: str, source: str, actor, note: str = "", data: dict | None = None):
    return AssessmentEvent(assessment=a, transition=transition, source=source, target=a.state,
                           actor=actor if getattr(actor, "is_authenticated", False) else None,
                           note=note, data=data or {})


def _step(a: Assessment, method_name: str, actor) -> list[Reason]:
    """Move ``a`` by its transition if the state and the actor allow it; otherwise the reasons."""
    method = getattr(a, method_name)
    if not can_proceed(method):
        return [Reason("wrong_step", {"subject": str(a), "state": a.state})]
    if not has_transition_perm(method, actor):
        return [Reason("not_allowed", {"subject": str(a)})]
    method()
    return []


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
                events.append(_event(a, "submit_self", Step.PENDING, actor, _("Nhập thay tại hội nghị")))
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
                     summary=_("Kiểm điểm %(n)s đối tượng") % {"n": len(rows)},
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
        audit_record(actor=actor, action="assessments.decide", obj=period,
                     summary=_("Quyết định xếp loại %(n)s đối tượng") % {"n": len(decisions)},
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
                     summary=_("Thông báo kết quả %(n)s đối tượng") % {"n": len(locked)},
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
        group = PeerGroup.objects.select_for_update().get(pk=assessment.peer_group_id)
        (a,) = _lock([assessment.pk])
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


def targets_assign(*, period: Period, assessments: list[Assessment], titles: list[str], due: dt.date | None,
                   actor) -> int:
    """The same targets for many subjects at the start of the year (before they are decided)."""
    titles = [t.strip()[:300] for t in titles if t.strip()]
    if not titles:
        raise ValidationError(_("Chưa có chỉ tiêu, nhiệm vụ nào."))
    with transaction.atomic():
        locked = _lock([a.pk for a in assessments])
        frozen = [a for a in locked if a.frozen or a.period_id != period.pk]
        if frozen:
            raise Refused([Reason("wrong_step", {"subject": str(frozen[0]), "state": frozen[0].state})])
        start = Counter(dict(Target.objects.filter(assessment__in=locked).values("assessment_id")
                             .annotate(n=Count("pk")).values_list("assessment_id", "n")))
        Target.objects.bulk_create([Target(assessment=a, title=t, due=due, order=start[a.pk] + i)
                                    for a in locked for i, t in enumerate(titles)], batch_size=BATCH)
        _recount([a.pk for a in locked])
        audit_record(actor=actor, action="assessments.targets_assign", obj=period,
                     summary=_("Giao %(t)s chỉ tiêu cho %(n)s đối tượng") % {"t": len(titles), "n": len(locked)},
                     data={"titles": titles, "assessments": [a.pk for a in locked][:1000]})
    return len(titles) * len(locked)


def targets_copy(*, period: Period, source: Period, actor) -> int:
    """Copy last year's targets to the same subjects of this period (results start again as pending)."""
    if source.pk == period.pk:
        raise ValidationError(_("Chọn một kỳ khác để sao chép."))
    with transaction.atomic():
        Period.objects.select_for_update().get(pk=period.pk)
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
                     summary=_("Sao chép %(n)s chỉ tiêu từ %(s)s") % {"n": len(copies), "s": source},
                     data={"source": source.pk, "count": len(copies)})
    return len(copies)


def target_result_record(*, target: Target, result: str, note: str, actor) -> Target:
    with transaction.atomic():
        (a,) = _lock([target.assessment_id])
        if a.frozen:
            raise Refused([Reason("wrong_step", {"subject": str(a), "state": a.state})])
        if result not in TargetResult.values:
            raise ValidationError(_("Kết quả không hợp lệ."))
        target = Target.objects.select_for_update().get(pk=target.pk)
        before = target.result
        target.result, target.note = result, note[:300]
        target.save(update_fields=["result", "note"])
        _recount([a.pk])
        audit_record(actor=actor, action="assessments.target_result", obj=target, summary=target.title,
                     data={"from": before, "to": result})
    return target

