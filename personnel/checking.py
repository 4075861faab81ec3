"""The standards check of a nomination on a day, from the record: the facts gathered here (six queries), the
judgement in ``personnel.standards`` (pure), the province's settings applied."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from assessments.choices import Level
from assessments.models import Assessment
from organizations.models import Discipline

from . import standards
from .conflicts import relatives
from .models import ConfidenceResult, Nomination, StandardsNote

# Worst last: a year's classification is the worst of the person's decided annual results (as a member, as a
# leader).
_LEVEL_ORDER = [Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED]


def standards_facts(nomination: Nomination, on: dt.date, planning: list | None = None) -> standards.Facts:
    """What the record held on ``on`` of the nominee: planning, annual classifications decided by then,
    standing disciplines decided by then, the organization board's latest notes on each ethics standard.
    ``planning``: the planning requirement's reasons, when the caller has just read them."""
    from .services import planning_requirement

    person = nomination.nominee_id
    annual = (Assessment.objects.filter(person_id=person, period__quarter__isnull=True, decided_at__isnull=False,
                                        decided_at__date__lte=on, period__year__lte=on.year)
              .exclude(level="").values_list("period__year", "level"))
    worst: dict[int, str] = {}
    for year, level in annual:
        if year not in worst or _LEVEL_ORDER.index(level) > _LEVEL_ORDER.index(worst[year]):
            worst[year] = level
    years = standards.years_judged(on, set(worst))
    disciplines = tuple(Discipline.objects.standing().filter(person_id=person, decided_on__lte=on)
                        .values_list("form", "decided_on"))
    ethics: dict[str, tuple[bool, str]] = {}
    for standard, met, note in (StandardsNote.objects.filter(nomination=nomination, recorded_at__date__lte=on)
                                .order_by("recorded_at", "pk").values_list("standard", "met", "note")):
        ethics[standard] = (met, note)  # the latest note of each standard wins
    kin = None
    if nomination.nominator_id:
        relation = relatives(person, [nomination.nominator_id], on).get(nomination.nominator_id)
        if relation:
            kin = (str(nomination.nominator), relation)
    latest = (ConfidenceResult.objects.filter(person_id=person, vote__held_on__lte=on)
              .order_by("-vote__held_on", "-pk").values_list("vote__held_on", "low", "base", "outcome").first())
    return standards.Facts(
        nominator_kin=kin, on=on, confidence=latest,
        planning=planning_requirement(nomination, on) if planning is None else planning,
        planning_exception_ref=nomination.planning_exception_ref.strip(),
        classifications=tuple((y, worst[y]) for y in years if y in worst), years=years,
        disciplines=disciplines, ethics=ethics, action_program=dict(nomination.action_program or {}))


def standards_for(nomination: Nomination, on: dt.date, planning: list | None = None) -> list[standards.Item]:
    """The standards check of ``nomination`` on ``on`` under the province's settings; none for a dismissal (the
    holder is judged by its grounds and procedure)."""
    if nomination.dismissal:
        return []
    return judged(standards_facts(nomination, on, planning))


def judged(facts: standards.Facts) -> list[standards.Item]:
    """``facts`` judged under the province's settings."""
    return standards.check(facts, severity=settings.PERSONNEL_STANDARDS_SEVERITY,
                           wait_months=settings.PERSONNEL_DISCIPLINE_WAIT_MONTHS)
