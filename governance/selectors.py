"""Reads of the working regulations that are more than one filter; each costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery

from organizations.models import Organization, Person, Tenure, active_on_q

from .models import Assignment, Decision, DecisionKind, DecisionStatus, Meeting, MeetingStatus, WorkingRegulation

# --- working regulations ------------------------------------------------------


def responsibility_matrix(org: Organization, on: dt.date) -> list:
    """Who is in charge of what in ``org`` on ``on``: assignments with their person (one query)."""
    return list(Assignment.objects.filter(organization=org).filter(active_on_q(on))
                .select_related("person").order_by("field", "person__sort_name"))


def responsibilities_of(person: Person) -> list:
    """Every assignment a person has held, newest first (one query)."""
    return list(Assignment.objects.filter(person=person).select_related("organization").order_by("-start"))


@dataclass
class DecisionDashboard:
    by_authority: list[tuple[str, str, int]]  # (kind label, status label, count)
    irregular: list  # Decision rows with reasons
    overdue: list  # individual decisions not reported back by their deadline
    stale_regulations: list  # (organization, regulation in force, first tenure started after its adoption)
    irregular_count: int = 0  # every one in the range; ``irregular`` holds the latest few, the register all
    overdue_count: int = 0


def decision_dashboard(org: Organization, start: dt.date, end: dt.date, on: dt.date, limit: int = 10
                       ) -> DecisionDashboard:
    """For the inspection committee and the organization board, over a subtree and a date range.

    Five queries whatever the size of the subtree.
    """
    decisions = Decision.objects.filter(organization__path__startswith=org.path, date__range=(start, end))
    counts = decisions.order_by().values_list("kind", "status").annotate(n=Count("pk"))
    counts = list(counts)
    by_authority = [(DecisionKind(k).label, DecisionStatus(s).label, n) for k, s, n in counts]
    irregular_count = sum(n for _k, s, n in counts if s == DecisionStatus.IRREGULAR)
    irregular = list(decisions.filter(status=DecisionStatus.IRREGULAR).select_related("organization", "matter")
                     .order_by("-date")[:limit])
    late = decisions.filter(kind=DecisionKind.INDIVIDUAL, reported_on__isnull=True, report_due__lt=on)
    overdue = list(late.select_related("organization", "matter", "signatory").order_by("report_due")[:limit])
    overdue_count = len(overdue) if len(overdue) < limit else late.count()
    in_force = WorkingRegulation.objects.filter(organization__path__startswith=org.path).in_force_on(on)
    newer_tenure = (Tenure.objects.filter(organization=OuterRef("organization"), start__gt=OuterRef("start"))
                    .active_on(on).order_by("start").values("start")[:1])
    # Every one: at most one version in force per organization.
    stale = list(in_force.annotate(first_newer=Subquery(newer_tenure)).filter(first_newer__isnull=False)
                 .select_related("organization").order_by("organization__path"))
    return DecisionDashboard(by_authority, irregular, overdue, stale, irregular_count, overdue_count)


# --- registers --------------------------------------------------------------------------


def meeting_register(org: Organization):
    """Every meeting of a body in ``org``'s subtree, with its number of decisions: one query a page."""
    return (Meeting.objects.filter(body__organization__path__startswith=org.path)
            .select_related("body__organization")
            .annotate(n_decisions=Count("decisions")))


def decision_register(org: Organization):
    """Every decision recorded in ``org``'s subtree, with whether it has been corrected: one query a page."""
    return (Decision.objects.filter(organization__path__startswith=org.path)
            .select_related("organization", "matter", "signatory")
            .annotate(corrected=Exists(Decision.objects.filter(corrects=OuterRef("pk")))))


# --- work waiting (the home page) ----------------------------------------------------------


@dataclass
class Waiting:
    """What one organization's office has to do: a count and the first few, oldest first."""

    count: int
    first: list


def _waiting(qs, first: int = 5) -> Waiting:
    return Waiting(qs.count(), list(qs[:first]))


def minutes_to_approve(org: Organization, on: dt.date) -> Waiting:
    """Meetings held (on or before ``on``) in the subtree whose minutes are not approved yet."""
    return _waiting(Meeting.objects.filter(body__organization__path__startswith=org.path, status=MeetingStatus.OPEN,
                                           date__lte=on).select_related("body__organization").order_by("date", "pk"))


def report_backs_overdue(org: Organization, on: dt.date) -> Waiting:
    """Heads' own decisions in the subtree not reported to the collective by their deadline."""
    return _waiting(Decision.objects.filter(organization__path__startswith=org.path, report_due__lt=on,
                                            reported_on__isnull=True)
                    .select_related("organization", "signatory").order_by("report_due", "pk"))


def report_backs_of(person: Person) -> Waiting:
    """The decisions ``person`` signed that still wait for their report to the collective."""
    return _waiting(Decision.objects.filter(signatory=person, report_due__isnull=False, reported_on__isnull=True)
                    .select_related("organization").order_by("report_due", "pk"))


def irregular_count(org: Organization) -> int:
    return Decision.objects.filter(organization__path__startswith=org.path, status=DecisionStatus.IRREGULAR).count()

