"""Periods: creating, settings and deadlines, and the job that opens one (every subject, in batches)."""


from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import audit_record
from common.reasons import Refused
from jobs.models import Job
from jobs.services import TRANSIENT, AttemptSuperseded, job_check_attempt, job_start
from organizations import access
from organizations.models import (
    Membership,
    Organization,
    OrgKind,
    PositionRole,
    Tenure,
)
from regulations.services import citations_set

from .. import schemes
from ..choices import (
    DONE_STEPS,
    QuarterlySubjects,
    Step,
    SubjectKind,
)
from ..models import (
    Assessment,
    PeerGroup,
    Period,
    PeriodStatus,
    Rollup,
)
from ..permissions import DECIDE, MANAGE_PERIODS
from .base import BATCH, paths_within

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
        raise Refused.because("period_no_scheme", year=period.year) from None
    if period.scheme != scheme.code:
        raise Refused.because("period_wrong_scheme", year=period.year, scheme=scheme.code)
    if period.quarter and not scheme.quarterly:
        raise Refused.because("period_not_quarterly", scheme=scheme.code)
    if period.quota_share not in scheme.quota_shares:
        raise Refused.because("period_quota_share", scheme=scheme.code, shares=list(scheme.quota_shares))
    order = [period.self_by, period.appraisal_by, period.review_by, period.decision_by, period.notify_by]
    if order != sorted(order):
        raise Refused.because("period_deadlines_order")


def period_create(*, organization: Organization, year: int, quarter: int | None = None, actor,
                  **values) -> Period:
    """A draft period over ``organization``'s subtree, with the defaults of RULES.md for what is not given."""
    scheme = schemes.for_year(year) if 2023 <= year <= 2199 else None
    if scheme is None:
        raise Refused.because("period_no_scheme", year=year)
    fields = {**period_defaults(year, quarter), **{k: v for k, v in values.items() if v not in (None, "")}}
    period = Period(scheme=scheme.code, year=year, quarter=quarter or None, organization=organization,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    _check_period(period)
    with transaction.atomic():
        access.authorize(actor, MANAGE_PERIODS, organization)
        if Period.objects.filter(organization=organization, year=year, quarter=quarter or None).exists():
            raise Refused.because("period_exists")
        period.save()
        audit_record(actor=actor, action="assessments.period_create", obj=period, summary=period.plain_label,
                     data={"scheme": period.scheme, "year": year, "quarter": quarter})
    return period


def period_update(*, period: Period, actor, **values) -> Period:
    """Deadlines and settings; the settings only while the period is a draft (decisions rest on them)."""
    with transaction.atomic():
        period = Period.objects.select_for_update().select_related("organization").get(pk=period.pk)
        access.authorize(actor, MANAGE_PERIODS, period.organization)
        if period.status == PeriodStatus.CLOSED:
            raise Refused.because("period_closed")
        before = {k: str(getattr(period, k)) for k in [*PERIOD_SETTINGS, *PERIOD_DATES]}
        for name, value in values.items():
            if name in PERIOD_SETTINGS and period.status != PeriodStatus.DRAFT and str(value) != before[name]:
                raise Refused.because("period_settings_frozen")
            if name == "reference_date" and period.status != PeriodStatus.DRAFT and str(value) != before[name]:
                raise Refused.because("period_reference_date_frozen")
            if name in PERIOD_SETTINGS or name in PERIOD_DATES:
                setattr(period, name, value)
        _check_period(period)
        period.save()
        after = {k: str(getattr(period, k)) for k in before}
        audit_record(actor=actor, action="assessments.period_update", obj=period, summary=period.plain_label,
                     data={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return period


def period_open(*, period: Period, actor) -> Job:
    """Queue the job that lists every collective and person of the subtree; the period is open when it ends."""
    with transaction.atomic():
        period = Period.objects.select_for_update().select_related("organization").get(pk=period.pk)
        access.authorize(actor, MANAGE_PERIODS, period.organization)
        if period.status != PeriodStatus.DRAFT:
            raise Refused.because("period_already_open")
        job = job_start(kind="assessments.period_open", params={"period": period.pk}, actor=actor,
                        label=_("Lập danh sách đánh giá: %(p)s") % {"p": period})
        period.status, period.job = PeriodStatus.OPENING, job
        period.save(update_fields=["status", "job"])
        audit_record(actor=actor, action="assessments.period_open", obj=period, summary=period.plain_label,
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
    parent_path = base.parent_path
    parent = orgs_by_path.get(parent_path)
    if parent is None:
        return base if base.path == root.path else (orgs_by_path.get(root.path) or base)
    return parent


def period_open_job(job: Job, progress) -> dict:
    """The job of ``period_open``: create every assessment in batches, then the rollups; open the period.

    The period stays "opening" (no one can work in it) until the last
    transaction opens it; a failure removes what the batches wrote and puts the
    period back to draft, so it is all or nothing for its users.

    Each attempt starts from nothing: an attempt that takes over from one whose
    worker died first removes the rows the dead attempt wrote, under the
    period's lock, then does the whole work again; an attempt that finds the
    period already opened by this job (its worker died after the last
    transaction) only reports it. Every transaction of the work locks the
    period, then checks that its attempt still runs (``job_check_attempt``),
    so an attempt taken over while it still ran writes nothing more.
    """
    with transaction.atomic():
        period = (Period.objects.select_for_update(of=("self",)).select_related("organization")
                  .get(pk=job.params["period"]))
        if period.job_id == job.pk and period.status == PeriodStatus.OPEN:
            return _opened(period)
        if period.job_id != job.pk or period.status != PeriodStatus.OPENING:
            raise Refused.because("period_not_opening")
        job_check_attempt(job)
        _clear(period)  # an earlier attempt's rows, if a worker died in the middle (none on the first attempt)
    try:
        return _open(period, job, progress)
    except (AttemptSuperseded, *TRANSIENT):
        raise  # the attempt that took over, or the task's retry, does the work again from the start
    except BaseException:
        with transaction.atomic():
            Period.objects.select_for_update(of=("self",)).get(pk=period.pk)
            job_check_attempt(job)  # an attempt taken over leaves the work to the one that took it over
            _clear(period)
            Period.objects.filter(pk=period.pk).update(status=PeriodStatus.DRAFT)
        raise


def _clear(period: Period) -> None:
    """Remove what the opening writes (inside the transaction that holds the period's lock)."""
    Rollup.objects.filter(period=period).delete()
    Assessment.objects.filter(period=period).delete()
    PeerGroup.objects.filter(period=period).delete()


def _locked(period: Period, job: Job) -> Period:
    """Lock the period, then check that this attempt still runs the opening: every write of the job is made
    under this lock, after this check."""
    locked = Period.objects.select_for_update(of=("self",)).select_related("organization").get(pk=period.pk)
    job_check_attempt(job)
    return locked


def _opened(period: Period) -> dict:
    return {"url": reverse("assessments:period", args=[period.pk]), "label": gettext_noop("Mở kỳ đánh giá"),
            "subjects": period.subjects}


def _open(period: Period, job: Job, progress) -> dict:
    root = period.organization
    on = period.reference_date
    orgs = {o.pk: o for o in Organization.objects.filter(path__startswith=root.path)
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))}
    orgs_by_path = {o.path: o for o in orgs.values()}
    progress(0, 1, gettext_noop("Đang lập danh sách đối tượng"))
    subjects = _subjects(period, orgs)
    total = len(subjects)
    deciders = [_decider(s, orgs_by_path, root) for s in subjects]
    # One peer group per deciding organization and subject kind.
    keys = sorted({(d.pk, s.kind) for s, d in zip(subjects, deciders)})
    sizes = Counter((d.pk, s.kind) for s, d in zip(subjects, deciders))
    kind_labels = dict(SubjectKind.choices)
    with transaction.atomic():
        _locked(period, job)
        PeerGroup.objects.bulk_create([
            PeerGroup(period=period, organization_id=org_id, kind=kind, size=sizes[(org_id, kind)],
                      name=f"{orgs[org_id].name} — {kind_labels[kind]}"[:200]) for org_id, kind in keys],
            batch_size=BATCH)
    groups = {(g.organization_id, g.kind): g.pk for g in PeerGroup.objects.filter(period=period)}
    done = 0
    for start in range(0, total, BATCH):
        chunk = list(zip(subjects[start:start + BATCH], deciders[start:start + BATCH]))
        with transaction.atomic():
            _locked(period, job)
            Assessment.objects.bulk_create([
                Assessment(period=period, kind=s.kind, organization=s.organization, person_id=s.person_id,
                           role_organization=s.role_organization, decider=d, peer_group_id=groups[(d.pk, s.kind)])
                for s, d in chunk], batch_size=BATCH)
        done += len(chunk)
        progress(done, total, gettext_noop("Đang ghi các đối tượng của kỳ"))
    # Rollups: every assessment counts in its organization and in each ancestor inside the period's subtree.
    counts: Counter = Counter()
    direct = Counter((s.organization.path, s.kind) for s in subjects)
    for (path, kind), n in direct.items():
        for within in paths_within(root, path):
            counts[(orgs_by_path[within].pk, kind)] += n
    with transaction.atomic():
        locked = _locked(period, job)
        Rollup.objects.bulk_create([Rollup(period=period, organization_id=org_id, kind=kind, state=Step.PENDING,
                                           level="", count=n) for (org_id, kind), n in counts.items()],
                                   batch_size=BATCH)
        locked.status, locked.subjects, locked.opened_at = PeriodStatus.OPEN, total, timezone.now()
        locked.save(update_fields=["status", "subjects", "opened_at"])
        citations_set(obj=locked, refs=locked.rules.citations(), label=str(locked)[:400],
                      url=locked.get_absolute_url(), scope=root.path)
        audit_record(actor=job.requested_by, action="assessments.period_opened", obj=locked, summary=locked.plain_label,
                     data={"subjects": total, "job": job.pk, "peer_groups": len(keys), "attempt": job.attempts})
    return _opened(locked)


def peer_groups_merge(*, period: Period, source: PeerGroup, target: PeerGroup, actor) -> PeerGroup:
    """The deciding level puts two groups of similar roles, functions and tasks together for the quota.

    Only before either has a decision: the quota of a group already decided would change under it.
    """
    if source.pk == target.pk:
        raise Refused.because("peer_groups_same")
    with transaction.atomic():
        groups = {g.pk: g for g in PeerGroup.objects.select_for_update(of=("self",)).select_related("organization")
                  .filter(pk__in=[source.pk, target.pk], period=period).order_by("pk")}
        if len(groups) != 2:
            raise Refused.because("peer_group_not_in_period")
        source, target = groups[source.pk], groups[target.pk]
        # The deciding level groups its own subjects (the quota is counted per group).
        access.authorize(actor, DECIDE, source.organization)
        access.authorize(actor, DECIDE, target.organization)
        if source.organization_id != target.organization_id:
            raise Refused.because("peer_groups_other_decider")
        decided = (Assessment.objects.filter(peer_group__in=[source, target], state__in=sorted(DONE_STEPS))
                   .exists())
        if decided or source.excellent or source.good or target.excellent or target.good:
            raise Refused.because("peer_group_decided_merge")
        moved = Assessment.objects.filter(peer_group=source).update(peer_group=target)
        target.size += source.size
        target.save(update_fields=["size"])
        audit_record(actor=actor, action="assessments.peer_groups_merge", obj=target, summary=target.name,
                     data={"source": source.pk, "source_name": source.name, "moved": moved})
        source.delete()
    return target


def peer_group_split(*, period: Period, group: PeerGroup, name: str, organizations, actor) -> PeerGroup:
    """The deciding level takes the subjects of some organizations out of a group into a new group.

    For instance the cells of agencies apart from the cells of residential
    areas. Only before any decision in the group, and the group must keep
    some subjects (moving all of them would only rename it).
    """
    name = " ".join((name or "").split())
    if not name:
        raise Refused.because("peer_group_name_missing")
    org_ids = sorted({getattr(o, "pk", o) for o in organizations})
    if not org_ids:
        raise Refused.because("peer_group_no_organizations")
    with transaction.atomic():
        group = (PeerGroup.objects.select_for_update(of=("self",)).select_related("organization")
                 .filter(pk=group.pk, period=period).first())
        if group is None:
            raise Refused.because("peer_group_not_in_period")
        access.authorize(actor, DECIDE, group.organization)
        if PeerGroup.objects.filter(period=period, organization_id=group.organization_id, name=name).exists():
            raise Refused.because("peer_group_name_taken")
        members = Assessment.objects.filter(peer_group=group)
        if group.excellent or group.good or members.filter(state__in=sorted(DONE_STEPS)).exists():
            raise Refused.because("peer_group_decided_split")
        moving = members.filter(organization_id__in=org_ids)
        count = moving.count()
        if not count:
            raise Refused.because("peer_group_nothing_moves")
        if count == group.size:
            raise Refused.because("peer_group_all_move")
        new = PeerGroup.objects.create(period=period, organization_id=group.organization_id, kind=group.kind,
                                       name=name[:200], size=count)
        moving.update(peer_group=new)
        group.size -= count
        group.save(update_fields=["size"])
        audit_record(actor=actor, action="assessments.peer_group_split", obj=new, summary=new.name,
                     data={"source": group.pk, "source_name": group.name, "organizations": org_ids,
                           "moved": count})
    return new
