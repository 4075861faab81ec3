"""Reads that are more than one filter; each costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from .access import MANAGE_MEMBERS, orgs_for
from .models import Body, BodyKind, Discipline, Membership, Organization, OrgKind, Person, Tenure
from .rules import parent_kinds

# The smallest, most senior body first.
BODY_ORDER = [BodyKind.STANDING_BOARD, BodyKind.STANDING, BodyKind.EXECUTIVE, BodyKind.LEADERSHIP,
              BodyKind.CELL_MEETING]


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
               .order_by("position__rank", "person__sort_name"))
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
            .order_by("person__sort_name", "person_id"))


def person_record(person: Person) -> dict:
    """Memberships, tenures, disciplines and declared relatives of one person (four queries)."""
    return {
        "memberships": list(person.memberships.select_related("organization")),
        "tenures": list(person.tenures.select_related("position", "organization", "body")),
        "disciplines": list(Discipline.objects.filter(person=person)
                            .select_related("owner", "decided_by", "annulment")),
        "kinships": list(person.kinships.select_related("relative", "organization")),
    }


def move_targets(user, org: Organization) -> QuerySet[Organization]:
    """Where ``user`` may move ``org``: organizations they manage members of, of a kind ``org`` may stand under,
    not dissolved, outside its own subtree and not its present superior. One query."""
    return (orgs_for(user, MANAGE_MEMBERS).filter(kind__in=parent_kinds(org.kind), dissolved_on__isnull=True)
            .exclude(path__startswith=org.path).exclude(path=org.parent_path).only("name", "code", "path"))
