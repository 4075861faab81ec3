"""Reads of the review: the dashboard of a subtree, the grid's rows, a member's results.

The dashboard reads the rollups (``models.Rollup``: counts per organization,
its whole subtree included, kept exact by the services), never the
assessments themselves, so a province costs the same few queries as a cell.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from organizations.models import Organization

from .choices import DONE_STEPS, LEVEL_ORDER, STEP_ORDER, QuotaRounding, Step
from .models import Assessment, PeerGroup, Period, Rollup


@dataclass
class Summary:
    """The counts of one organization's subtree in one period."""

    total: int = 0
    by_state: Counter = field(default_factory=Counter)
    by_level: Counter = field(default_factory=Counter)
    by_kind_level: dict = field(default_factory=lambda: defaultdict(Counter))

    def add(self, kind: str, state: str, level: str, count: int) -> None:
        self.total += count
        self.by_state[state] += count
        if level:
            self.by_level[level] += count
            self.by_kind_level[kind][level] += count

    @property
    def decided(self) -> int:
        return sum(self.by_state[s] for s in DONE_STEPS)

    @property
    def percent_decided(self) -> int:
        return round(self.decided * 100 / self.total) if self.total else 0

    def levels(self) -> list[tuple[str, str, int]]:
        return [(level.value, level.label, self.by_level[level]) for level in LEVEL_ORDER]

    def steps(self) -> list[tuple[str, str, int]]:
        return [(step.value, step.label, self.by_state[step]) for step in STEP_ORDER]

    def late_steps(self, period: Period, on: dt.date) -> list[tuple[str, int]]:
        """Steps whose deadline has passed with subjects still in them."""
        return [(step, self.by_state[step]) for step in STEP_ORDER
                if self.by_state[step] and (deadline := period.deadline_of(step)) and deadline < on]


def summarize(rows) -> dict[int, Summary]:
    out: dict[int, Summary] = defaultdict(Summary)
    for org_id, kind, state, level, count in rows:
        out[org_id].add(kind, state, level, count)
    return out


def rollup_rows(period: Period, org_ids) -> QuerySet:
    return (Rollup.objects.filter(period=period, organization_id__in=org_ids, count__gt=0)
            .values_list("organization_id", "kind", "state", "level", "count"))


@dataclass
class Visible(Summary):
    """The counts of the part of a period a reader may see; ``whole`` when it is all of the period."""

    whole: bool = False


def visible_counts(period: Period, paths: list[str] | None) -> Visible:
    """The counts of the part of ``period`` under the subtrees ``paths`` (``access.granted_paths``): the rollups
    of the tops of those subtrees inside the period, or of the period's organization when a grant covers it.
    Two queries whatever the reader; the covering paths do not overlap, so no subject counts twice."""
    root = period.organization
    counts = Visible()
    if paths is None or any(root.path.startswith(p) for p in paths):
        counts.whole = True
        tops: list[int] | QuerySet = [root.pk]
    else:
        tops = Organization.objects.filter(path__in=[p for p in paths if p.startswith(root.path)]).values("pk")
    for _org, kind, state, level, count in rollup_rows(period, tops):
        counts.add(kind, state, level, count)
    return counts


def previous_period(period: Period, org: Organization) -> Period | None:
    """The period before (the year before; the quarter before, Q1 after the year before) covering ``org``."""
    if period.quarter and period.quarter > 1:
        year, quarter = period.year, period.quarter - 1
    else:
        year, quarter = period.year - 1, None
    return (Period.objects.filter(year=year, quarter=quarter, organization__path__in=org.ancestor_paths())
            .exclude(status="draft").order_by("-organization__depth").first())


def breached_groups(period: Period, org: Organization) -> QuerySet[PeerGroup]:
    """Peer groups in ``org``'s subtree whose Excellent count exceeds the quota (after an annulment, say).

    ``rules.quota_max_excellent`` in integer SQL: with x = good * share / 100, Excellent e breaches when
    e > floor(x) (down), e > ceil(x) (up), e > floor(x + 1/2) (nearest).
    """
    e, g, s = F("excellent"), F("good"), period.quota_share
    if period.quota_rounding == QuotaRounding.UP:
        over, strict = e * 100 - 100 - g * s, False
    elif period.quota_rounding == QuotaRounding.NEAREST:
        over, strict = e * 200 - g * 2 * s - 100, True
    else:
        over, strict = e * 100 - g * s, True
    groups = PeerGroup.objects.filter(period=period, organization__path__startswith=org.path).alias(over=over)
    groups = groups.filter(over__gt=0) if strict else groups.filter(over__gte=0, excellent__gt=0)
    return groups.select_related("organization").order_by("organization__path")


FLAGS = Q(flag_cap_override=True) | Q(flag_head_above=True) | Q(flag_twice=True) | Q(flag_quota=True)


def flagged(period: Period, org: Organization) -> QuerySet[Assessment]:
    """Cases for the organization board: caps overridden, a head above the collective, Not completed twice,
    Excellent beyond the quota."""
    return (Assessment.objects.filter(FLAGS, period=period, organization__path__startswith=org.path)
            .select_related("person", "organization", "decider"))


def children_of(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")


def decided_organizations(period: Period, decider: Organization) -> list[tuple[int, str]]:
    """The organizations whose subjects ``decider`` classifies in the period (the choices of a split)."""
    return [(pk, name) for pk, name, _path in Assessment.objects.filter(period=period, decider=decider)
            .values_list("organization_id", "organization__name", "organization__path").distinct()
            .order_by("organization__path")]


def subject_rows(period: Period, org: Organization) -> QuerySet[Assessment]:
    """The assessments owned by ``org`` itself (the collective and, for a cell, its members)."""
    return (Assessment.objects.filter(period=period, organization=org)
            .select_related("person", "organization", "role_organization", "decider", "period")
            .order_by("-kind", "person__sort_name"))


def my_assessments(user) -> QuerySet[Assessment]:
    """A member's own results, once notified."""
    return (Assessment.objects.filter(person__user=user, state__in=[Step.NOTIFIED, Step.ACKNOWLEDGED])
            .select_related("period", "organization", "person").order_by("-period__year", "-period__quarter"))


def level_share(summary: Summary, level: str) -> int:
    decided = sum(summary.by_level.values())
    return round(summary.by_level[level] * 100 / decided) if decided else 0
