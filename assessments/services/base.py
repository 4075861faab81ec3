"""What every service of the review shares: the refusal, the locks, the step, the event, the rollups."""


from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django_fsm import can_proceed, has_transition_perm

from audit.services import audit_record
from common.actors import SYSTEM
from common.reasons import Reason, Refused
from organizations import access
from organizations.models import (
    Organization,
)

from ..models import (
    Assessment,
    AssessmentEvent,
    Period,
    PeriodStatus,
    Rollup,
)
from ..permissions import MANAGE_PERIODS

BATCH = 5000


# --- Rollups ---------------------------------------------------------------------------


@dataclass
class _Change:
    """An assessment moving from one (state, level) to another, for the rollups."""

    path: str
    kind: str
    old: tuple[str, str]
    new: tuple[str, str]


def paths_within(root: Organization, path: str) -> list[str]:
    """The tree paths from ``root`` down to ``path`` (both included): the organizations whose subtree
    rollups count a record of ``path``."""
    return [path[:end] for end in range(len(root.path), len(path) + 1, root.steplen)]


def _rollups_apply(period: Period, changes: Iterable[_Change]) -> None:
    """Add the changes to the rollups of each organization and its ancestors in the period's subtree.

    Rows are locked in key order before they change, so two acts touching the
    same ancestors wait for each other instead of deadlocking.
    """
    deltas: Counter = Counter()
    paths: set[str] = set()
    for change in changes:
        if change.old == change.new:
            continue
        for path in paths_within(period.organization, change.path):
            paths.add(path)
            deltas[(path, change.kind, *change.old)] -= 1
            deltas[(path, change.kind, *change.new)] += 1
    deltas = Counter({k: v for k, v in deltas.items() if v})
    if not deltas:
        return
    _share_period(period)
    ids = dict(Organization.objects.filter(path__in=paths).values_list("path", "pk"))
    keyed = {(ids[path], kind, state, level): delta for (path, kind, state, level), delta in deltas.items()}
    # Missing rows are inserted in key order too: two acts inserting the same new keys in opposite orders
    # would each wait for the other's uncommitted row.
    Rollup.objects.bulk_create([Rollup(period=period, organization_id=o, kind=k, state=s, level=lv, count=0)
                                for (o, k, s, lv), d in sorted(keyed.items()) if d > 0], ignore_conflicts=True)
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


def _share_period(period: Period) -> None:
    """Changes to the rollups hold the period's row in share mode: many at once, but never while a rebuild
    (which takes it for update) counts and rewrites them, so no change is counted against rows the rebuild
    removes, and the rebuild counts only what has committed. SQLite has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Period._meta.db_table} WHERE id = %s FOR SHARE", [period.pk])


def rollups_rebuild(*, period: Period, actor) -> int:
    """Recount a period's rollups from its assessments (after a bulk load, or to check them): one act.

    The counts per organization and subject kind, by state and level, are
    summed up the tree inside the period's subtree, exactly as the services
    keep them one change at a time.
    """
    with transaction.atomic():
        period = Period.objects.select_for_update().select_related("organization").get(pk=period.pk)
        access.authorize(actor, MANAGE_PERIODS, period.organization)
        root = period.organization
        direct = (Assessment.objects.filter(period=period).values_list("organization__path", "kind", "state", "level")
                  .annotate(n=Count("pk")).order_by())
        paths = dict(Organization.objects.filter(path__startswith=root.path).values_list("path", "pk"))
        counts: Counter = Counter()
        for path, kind, state, level, n in direct:
            for within in paths_within(root, path):
                counts[(paths[within], kind, state, level or "")] += n
        Rollup.objects.filter(period=period).delete()
        Rollup.objects.bulk_create([Rollup(period=period, organization_id=o, kind=k, state=s, level=lv, count=n)
                                    for (o, k, s, lv), n in counts.items()], batch_size=BATCH)
        audit_record(actor=actor, action="assessments.rollups_rebuild", obj=period, summary=period.plain_label,
                     data={"rows": len(counts)})
    return len(counts)


def periods_follow_move(old_path: str, new_path: str) -> None:
    """An organization has moved in the tree (a path follower of ``organizations.services.organization_move``,
    inside its transaction): the periods still running above its old place count their rollups again on the
    new tree. A move out of such a period's subtree is refused: its subjects were listed from that subtree,
    and a period keeps the tree it was opened on until it is closed."""
    steplen = Organization.steplen
    above = [old_path[:end] for end in range(steplen, len(old_path), steplen)]
    running = (Period.objects.select_for_update().select_related("organization")
               .filter(organization__path__in=above).exclude(status=PeriodStatus.CLOSED).order_by("pk"))
    for period in running:
        if not Assessment.objects.filter(period=period, organization__path__startswith=new_path).exists():
            continue
        if not new_path.startswith(period.organization.path):
            raise Refused.because("period_move_out_of_subtree", period=str(period),
                                  org=period.organization.name)
        rollups_rebuild(period=period, actor=SYSTEM)


def _key(a: Assessment) -> tuple[str, str]:
    return (a.state, a.level or "")


# --- Steps -------------------------------------------------------------------------------------


def _lock(ids: list[int]) -> list[Assessment]:
    return list(Assessment.objects.select_for_update(of=("self",)).filter(pk__in=ids)
                .select_related("period__organization", "organization", "decider", "person", "role_organization")
                .order_by("pk"))


def _event(a: Assessment, transition: str, source: str, actor, note: str = "", data: dict | None = None,
           reason: Reason | None = None) -> AssessmentEvent:
    """One step for the log: ``note`` is what the person wrote; ``reason`` what the portal says of the step, kept
    as a code (read in the reader's language, ``AssessmentEvent.text``)."""
    data = dict(data or {})
    if reason is not None:
        data["reason"] = reason.to_json()
    return AssessmentEvent(assessment=a, transition=transition, source=source, target=a.state,
                           actor=actor if getattr(actor, "is_authenticated", False) else None,
                           note=note, data=data)


def _step(a: Assessment, method_name: str, actor) -> list[Reason]:
    """Move ``a`` by its transition if the state and the actor allow it; otherwise the reasons."""
    method = getattr(a, method_name)
    if not can_proceed(method):
        return [Reason("wrong_step", {"subject": str(a), "state": a.state})]
    if not has_transition_perm(method, actor):
        return [Reason("not_allowed", {"subject": str(a)})]
    method()
    return []
