"""The standards check of a nominee, built from what the portal already holds.

Each item is judged on one day (the check shown on the nomination's page is today's; the one stored with a
step is its meeting's) from ``Facts`` gathered by ``personnel.checking.standards_facts``. An item that fails is
a reason code with parameters and the provision it rests on, the one in force that day (``Cite.on``, read only
when an item fails; otherwise pure). Whether a failure blocks the nomination or only warns is the province's
setting ``PERSONNEL_STANDARDS_SEVERITY`` (defaults in ``SEVERITY``), and a warning goes on only with a written
explanation (recorded in the ledger by the services). An item with nothing to judge yet (no classification
recorded for the years judged, the organization board's judgement of an ethics standard not given) is "not
assessed": shown, never a failure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta

from common.reasons import Reason
from regulations.citations import cite

# After a discipline, an appointment or a nomination only after 24 months (reprimand), 36 (warning) or 60
# (removal from office): Regulation 80, now 377 (medium-high in RULES.md): ``PERSONNEL_DISCIPLINE_WAIT_MONTHS``.
WAITING = cite("80-QĐ/TW", "", by="personnel.standards.discipline_item (waiting periods)",
               successors={"377-QĐ/TW": ""})
# The five standards of revolutionary ethics (Regulation 144): criteria in the standards check of a nominee.
ETHICS = cite("144-QĐ/TW", "", by="personnel.standards.ethics_item")
# The annual quality review: a Not completed in the last three years is flagged.
REVIEW = cite("124-QĐ/TW", "", by="personnel.standards.classification_item", successors={"366-QĐ/TW": ""})
# The candidate presents an action program in the "5 clear" form (the standard procedure, step 2).
PROGRAM = cite("80-QĐ/TW", "", by="personnel.standards.program_item", successors={"377-QĐ/TW": ""})

DEFAULT_WAIT_MONTHS = {"reprimand": 24, "warning": 36, "removal": 60}
# A form no waiting period ends (an expelled person is no longer a member).
NEVER = ("expulsion",)

ITEMS = ("planning", "classification", "discipline", "confidence", "ethics", "action_program", "conflicts")
# Whether a failed item blocks the nomination or warns (a warning needs a written explanation).
SEVERITY = {"planning": "block", "classification": "warn", "discipline": "block", "ethics": "warn",
            "action_program": "block", "conflicts": "warn", "confidence": "warn"}
SEVERITIES = ("block", "warn")

ETHICS_STANDARDS = ("patriotism", "political_steadfastness", "integrity", "solidarity", "exemplary")
PROGRAM_PARTS = ("work", "people", "schedule", "results", "responsibility")

PASSED, FAILED, NOT_ASSESSED = "passed", "failed", "not_assessed"


@dataclass(frozen=True)
class Facts:
    """What the record says of a nominee on ``on``."""

    on: dt.date
    planning: list[Reason] = field(default_factory=list)  # the planning requirement's reasons (none: met)
    planning_exception_ref: str = ""
    # (year, worst decided annual level of that year) for the years judged; a year absent is not assessed.
    classifications: tuple[tuple[int, str], ...] = ()
    years: tuple[int, ...] = ()
    # (form, decided on) of the standing measures (not annulled) against the nominee.
    disciplines: tuple[tuple[str, dt.date], ...] = ()
    # standard -> (met, note) as the organization board recorded it; a standard absent is not assessed.
    ethics: dict[str, tuple[bool, str]] = field(default_factory=dict)
    action_program: dict[str, str] = field(default_factory=dict)
    # The nominator, when related to the nominee: (name, relation as declared).
    nominator_kin: tuple[str, str] | None = None
    # The latest confidence vote of the nominee by then: (held on, low, base, outcome).
    confidence: tuple[dt.date, int, int, str] | None = None


@dataclass(frozen=True)
class Item:
    code: str
    outcome: str  # PASSED, FAILED or NOT_ASSESSED
    severity: str  # "block" or "warn": what a failure does
    reasons: tuple[Reason, ...] = ()
    details: tuple[tuple[str, Any], ...] = ()  # what was judged, for the page (codes and values)

    @property
    def blocks(self) -> bool:
        return self.outcome == FAILED and self.severity == "block"

    @property
    def warns(self) -> bool:
        return self.outcome == FAILED and self.severity == "warn"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "outcome": self.outcome, "severity": self.severity,
                "reasons": [r.to_json() for r in self.reasons], "details": [list(d) for d in self.details]}


def years_judged(on: dt.date, decided_years: set[int]) -> tuple[int, ...]:
    """The last three years: the three before ``on``'s year, or ending with it once its annual result is in."""
    last = on.year if on.year in decided_years else on.year - 1
    return (last, last - 1, last - 2)


def wait_ends(form: str, decided_on: dt.date, months: dict[str, int]) -> dt.date | None:
    """The first day a person disciplined with ``form`` on ``decided_on`` may be appointed or nominated again
    (``None``: no waiting period for this form; ``dt.date.max``: never)."""
    if form in NEVER:
        return dt.date.max
    if form not in months:
        return None
    return decided_on + relativedelta(months=months[form])


def planning_item(facts: Facts, severity: str) -> Item:
    if facts.planning:
        return Item("planning", FAILED, severity, tuple(facts.planning))
    details = (("exception", facts.planning_exception_ref),) if facts.planning_exception_ref else ()
    return Item("planning", PASSED, severity, details=details)


def classification_item(facts: Facts, severity: str) -> Item:
    found = dict(facts.classifications)
    details = tuple((str(year), found.get(year, "")) for year in facts.years)
    failed = [year for year in facts.years if found.get(year) == "not_completed"]
    if failed:
        cited = REVIEW.on(facts.on)
        return Item("classification", FAILED, severity, tuple(
            Reason("standards_not_completed", {"year": year}, cited.code, cited.ref) for year in failed), details)
    if not any(year in found for year in facts.years):
        return Item("classification", NOT_ASSESSED, severity, details=details)
    return Item("classification", PASSED, severity, details=details)


def discipline_item(facts: Facts, severity: str, months: dict[str, int]) -> Item:
    reasons, details = [], []
    for form, decided_on in sorted(facts.disciplines, key=lambda d: d[1]):
        ends = wait_ends(form, decided_on, months)
        details.append((form, decided_on.isoformat()))
        if ends is not None and facts.on < ends:
            cited = WAITING.on(facts.on)
            params = {"form": form, "d": decided_on.isoformat()}
            if ends != dt.date.max:
                params.update(until=ends.isoformat(), months=months[form])
                reasons.append(Reason("standards_discipline_waiting", params, cited.code, cited.ref))
            else:
                reasons.append(Reason("standards_discipline_never", params, cited.code, cited.ref))
    return Item("discipline", FAILED if reasons else PASSED, severity, tuple(reasons), tuple(details))


def ethics_item(facts: Facts, severity: str) -> Item:
    unmet = [s for s in ETHICS_STANDARDS if s in facts.ethics and not facts.ethics[s][0]]
    details = tuple((s, facts.ethics[s][0] if s in facts.ethics else None) for s in ETHICS_STANDARDS)
    if unmet:
        cited = ETHICS.on(facts.on)
        return Item("ethics", FAILED, severity, tuple(
            Reason("standards_ethics_unmet", {"standard": s, "note": facts.ethics[s][1]}, cited.code, cited.ref)
            for s in unmet), details)
    if any(s not in facts.ethics for s in ETHICS_STANDARDS):
        return Item("ethics", NOT_ASSESSED, severity, details=details)
    return Item("ethics", PASSED, severity, details=details)


def program_item(facts: Facts, severity: str) -> Item:
    missing = [p for p in PROGRAM_PARTS if not (facts.action_program or {}).get(p, "").strip()]
    if missing:
        cited = PROGRAM.on(facts.on)
        return Item("action_program", FAILED, severity,
                    (Reason("standards_program_missing", {"parts": missing}, cited.code, cited.ref),))
    return Item("action_program", PASSED, severity)


# A conflict of the nominator with the nominee (Regulation 114 condemns family influence; the portal's default,
# RULES.md "Relatives and conflicts of interest": flagged, and acknowledged in writing to go on).
CONFLICT = cite("114-QĐ/TW", "", by="personnel.standards.conflict_item")


def conflict_item(facts: Facts, severity: str) -> Item:
    if facts.nominator_kin is None:
        return Item("conflicts", PASSED, severity)
    name, relation = facts.nominator_kin
    cited = CONFLICT.on(facts.on)
    return Item("conflicts", FAILED, severity,
                (Reason("conflict_nominator", {"p": name, "relation": relation}, cited.code, cited.ref),))


# The latest confidence vote (Regulation 96): over half low takes the cadre out of the planning for higher posts.
CONFIDENCE = cite("96-QĐ/TW", "", by="personnel.standards.confidence_item")


def confidence_item(facts: Facts, severity: str) -> Item:
    if facts.confidence is None:
        return Item("confidence", NOT_ASSESSED, severity)
    held_on, low, base, outcome = facts.confidence
    details = (("held_on", held_on.isoformat()), ("low", f"{low}/{base}"))
    if outcome == "ok":
        return Item("confidence", PASSED, severity, details=details)
    cited = CONFIDENCE.on(facts.on)
    return Item("confidence", FAILED, severity, (Reason("standards_confidence_low", {
        "d": held_on.isoformat(), "low": low, "base": base, "outcome": outcome}, cited.code, cited.ref),), details)


def check(facts: Facts, *, severity: dict[str, str] | None = None,
          wait_months: dict[str, int] | None = None) -> list[Item]:
    """Every item of the standards check of ``facts``, in the order the page shows them."""
    chosen = {**SEVERITY, **(severity or {})}
    months = {**DEFAULT_WAIT_MONTHS, **(wait_months or {})}
    return [planning_item(facts, chosen["planning"]), classification_item(facts, chosen["classification"]),
            discipline_item(facts, chosen["discipline"], months), confidence_item(facts, chosen["confidence"]),
            ethics_item(facts, chosen["ethics"]),
            program_item(facts, chosen["action_program"]), conflict_item(facts, chosen["conflicts"])]


def blocking(items: list[Item]) -> list[Reason]:
    return [r for item in items if item.blocks for r in item.reasons]


def warnings(items: list[Item]) -> list[Reason]:
    return [r for item in items if item.warns for r in item.reasons]
