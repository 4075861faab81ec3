"""Confidence votes (Regulation 96): the paper counts, the thresholds, who is left off the list (pure).

A confidence vote is held at a meeting of the right body, at least 2/3 of those convened present; each ballot
lists the cadres, and the clerk copies the counts of each: high confidence, confidence, low confidence, invalid.
More than half low: the cadre is taken out of the planning for higher posts and considered for stepping down;
two thirds or more low: proposed for dismissal (96, with 377 which absorbed Regulation 41: high). The base of
the fractions is not confirmed (RULES.md, open): a setting, ``PERSONNEL_CONFIDENCE_BASE``, default the ballots
returned, shown on every result. Left off the list: cadres notified of retirement, and those elected or
appointed in the year of the vote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from common.reasons import Reason
from regulations.citations import cite

THRESHOLDS = cite("96-QĐ/TW", "", by="personnel.confidence (thresholds, exemptions)")
# The consequences for personnel work (taken out of planning, dismissal) now rest on 377 with 96.
CONSEQUENCES = cite("80-QĐ/TW", "", by="personnel.confidence (consequences)", successors={"377-QĐ/TW": ""})

BASES = ("returned", "issued", "convened")
DEFAULT_BASE = "returned"

OK, LOW_HALF, LOW_TWO_THIRDS = "ok", "low_half", "low_two_thirds"
RETIRING, NEW_THIS_YEAR = "retiring", "new_this_year"


@dataclass(frozen=True)
class CadreCounts:
    """One cadre's counts on the vote-counting minutes."""

    high: int
    confidence: int
    low: int
    invalid: int

    @property
    def total(self) -> int:
        return self.high + self.confidence + self.low + self.invalid


def count_reasons(*, issued: int, returned: int, present: int, rows: list[tuple[str, CadreCounts]]
                  ) -> list[Reason]:
    """Counts that cannot be true: refused, never recorded. ``rows`` are (cadre's name, counts)."""
    values = [issued, returned] + [v for _, c in rows for v in (c.high, c.confidence, c.low, c.invalid)]
    if any(v < 0 for v in values):
        return [Reason("ballots_negative")]
    reasons = []
    if issued > present:
        reasons.append(Reason("ballots_issued_over_present", {"issued": issued, "present": present}))
    if returned > issued:
        reasons.append(Reason("ballots_returned_over_issued", {"returned": returned, "issued": issued}))
    for name, counts in rows:
        if counts.total != returned:
            reasons.append(Reason("confidence_counts_not_returned", {
                "p": name, "high": counts.high, "confidence": counts.confidence, "low": counts.low,
                "invalid": counts.invalid, "returned": returned}))
    if not rows:
        reasons.append(Reason("confidence_list_empty"))
    return reasons


def base_of(rule: str, *, issued: int, returned: int, convened: int) -> int:
    if rule not in BASES:
        raise ValueError(rule)
    return {"returned": returned, "issued": issued, "convened": convened}[rule]


def outcome(low: int, base: int) -> str:
    """Two thirds or more low: proposed for dismissal; more than half: out of planning for higher posts."""
    if base <= 0:
        return OK
    if low * 3 >= base * 2:
        return LOW_TWO_THIRDS
    if low * 2 > base:
        return LOW_HALF
    return OK


def exemption(*, start: dt.date, year: int, retirement_notified: bool) -> str:
    """Why a cadre holding a post since ``start`` is left off the year's list ("" when on it)."""
    if retirement_notified:
        return RETIRING
    if start.year == year:
        return NEW_THIS_YEAR
    return ""


def outcome_reasons(name: str, low: int, base: int, rule: str, on: dt.date) -> list[Reason]:
    """The flag of a result over a threshold, citing the text in force on the vote's day."""
    result = outcome(low, base)
    if result == OK:
        return []
    cited = THRESHOLDS.on(on)
    return [Reason(f"confidence_{result}", {"p": name, "low": low, "base": base, "rule": rule},
                   cited.code, cited.ref)]
