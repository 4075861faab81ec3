"""Reads that are more than one filter; each costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from regulations.citations import CitedBy, anchor_for

from .models import (
    Assignment,
    Body,
    BodyKind,
    Discipline,
    Matter,
    Membership,
    Organization,
    OrgKind,
    Person,
    Tenure,
    active_on_q,
)

# The smallest, most senior body first.
BODY_ORDER = [BodyKind.STANDING_BOARD, BodyKind.STANDING, BodyKind.EXECUTIVE, BodyKind.LEADERSHIP,
              BodyKind.CELL_MEETING]


def ancestors(org: Organization) -> QuerySet[Organization]:
    """The chain from the root down to the parent: one query on path prefixes."""
    return Organization.objects.filter(path__in=org.ancestor_paths()[:-1])


@dataclass
class SubtreeCounts:
    by_kind: list[tuple[str, int]]  # (label, count) below the node, in kind order
    members_here: int
    members_subtree: int


def subtree_counts(org: Organization, on: dt.date) -> SubtreeCounts:
    """Organizations below ``org`` by kind, and its current members (two queries)."""
    rows = dict(
        Organization.objects.in_subtree(org).active().filter(depth__gt=org.depth)
        .order_by().values_list("kind").annotate(n=Count("pk"))
    )
    by_kind = [(label, rows[value]) for value, label in OrgKind.choices if rows.get(value)]
    members = (Membership.objects.active_on(on).in_subtree(org).order_by()
               .aggregate(subtree=Count("pk"), here=Count("pk", filter=Q(organization=org))))
    return SubtreeCounts(by_kind, members["here"], members["subtree"])


def bodies_with_holders(org: Organization, on: dt.date) -> list[Body]:
    """Bodies of ``org`` with ``current_tenures`` (office holders on ``on``): two queries."""
    holders = (Tenure.objects.active_on(on).select_related("person", "position")
               .order_by("position__rank", "person__search_name"))
    bodies = org.bodies.prefetch_related(Prefetch("tenures", queryset=holders, to_attr="current_tenures"))
    return sorted(bodies, key=lambda b: BODY_ORDER.index(b.kind))


def posts_outside_bodies(org: Organization, on: dt.date) -> list[Tenure]:
    """Office holders of ``org`` not attached to a body (an agency director, say)."""
    return list(org.tenures.filter(body__isnull=True).active_on(on)
                .select_related("person", "position").order_by("position__rank"))


def members_list(org: Organization, on: dt.date, *, subtree: bool, query: str = "") -> QuerySet:
    """Current memberships in ``org`` (or its subtree), with person and cell, name order."""
    qs = Membership.objects.active_on(on)
    qs = qs.in_subtree(org) if subtree else qs.filter(organization=org)
    if query:
        qs = qs.filter(person__in=Person.objects.search(query))
    return (qs.select_related("person", "organization")
            .order_by("person__search_name", "person_id"))


def person_record(person: Person) -> dict:
    """Memberships, tenures, disciplines and declared relatives of one person (four queries)."""
    return {
        "memberships": list(person.memberships.select_related("organization")),
        "tenures": list(person.tenures.select_related("position", "organization", "body")),
        "disciplines": list(Discipline.objects.filter(person=person)
                            .select_related("decided_by")),
        "kinships": list(person.kinships.select_related("relative")),
    }


# --- working regulations ------------------------------------------------------


def matters_citing(document, anchor: str):
    """"Cited by" for the regulations catalog: matters of working regulations resting on the provision."""
    candidates = Matter.objects.filter(provisions__contains=[{"code": document.code}]) \
        if connection.vendor == "postgresql" else Matter.objects.all()
    for matter in candidates.select_related("regulation__organization"):
        for p in matter.provisions:
            if p.get("code") == document.code and anchor_for(p.get("ref", "")) == anchor:
                yield CitedBy(f"{matter.code} — {matter.title} ({matter.regulation.organization}, "
                              f"{matter.regulation})", matter.regulation.get_absolute_url())
                break


def responsibility_matrix(org: Organization, on: dt.date) -> list:
    """Who is in charge of what in ``org`` on ``on``: assignments with their person (one query)."""
    return list(Assignment.objects.filter(organization=org).filter(active_on_q(on))
                .select_related("person").order_by("field", "person__search_name"))


def responsibilities_of(person: Person) -> list:
    """Every assignment a person has held, newest first (one query)."""
    return list(Assignment.objects.filter(person=person).select_related("organization").order_by("-start"))


@dataclass
class DecisionDashboard:
    by_authority: list[tuple[str, str, int]]  # (kind label, status label, count)
    irregular: list  # Decision rows with reasons
    overdue: list  # individual decisions not reported back by their deadline
    stale_regulations: list  # (organization, regulation in force, first tenure started after its adoption)


def decision_dashboard(org: Organization, start: dt.date, end: dt.date, on: dt.date, limit: int = 100
                       ) -> DecisionDashboard:
    """For the inspection committee and the organization board, over a subtree and a date range.

    Five queries whatever the size of the subtree.
    """
    from django.db.models import OuterRef, Subquery

    from .models import Decision, DecisionKind, DecisionStatus, WorkingRegulation

    decisions = Decision.objects.filter(organization__path__startswith=org.path, date__range=(start, end))
    counts = decisions.order_by().values_list("kind", "status").annotate(n=Count("pk"))
    by_authority = [(DecisionKind(k).label, DecisionStatus(s).label, n) for k, s, n in counts]
    irregular = list(decisions.filter(status=DecisionStatus.IRREGULAR).select_related("organization", "matter")
                     .order_by("-date")[:limit])
    overdue = list(decisions.filter(kind=DecisionKind.INDIVIDUAL, reported_on__isnull=True, report_due__lt=on)
                   .select_related("organization", "matter", "signatory").order_by("report_due")[:limit])
    in_force = WorkingRegulation.objects.filter(organization__path__startswith=org.path).in_force_on(on)
    newer_tenure = (Tenure.objects.filter(organization=OuterRef("organization"), start__gt=OuterRef("effective_start"))
                    .active_on(on).order_by("start").values("start")[:1])
    stale = list(in_force.annotate(first_newer=Subquery(newer_tenure)).filter(first_newer__isnull=False)
                 .select_related("organization").order_by("organization__path")[:limit])
    return DecisionDashboard(by_authority, irregular, overdue, stale)
