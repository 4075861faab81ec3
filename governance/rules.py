"""The arithmetic of collective decisions: quorum, majority, elections, recusal.

Pure functions over plain values (no database), each citing the provision it
implements, so that they can be read against the text and tested
exhaustively. The fractions are parameters: a working regulation may set its
own quorum and threshold; the defaults are the ones RULES.md gives. A failure
is a code with its figures (``Failure``); the sentence is written only when it
is shown (``governance.reasons``), and its citation is the text in force on
the date of the act (``Failure.reason(on)``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from common.reasons import Reason
from regulations.citations import Cite, cite

# Charter Art. 9.5: a resolution is valid only when more than half of the body's members approve.
MAJORITY = cite("ĐLĐ-2011", "9.5", by="governance.rules.majority_passed")
# Charter Art. 12.3: an election needs more than half of all convened delegates or full members.
ELECTION = cite("ĐLĐ-2011", "12.3", by="governance.rules.check_election")
# Regulation 80 Art. 21.1 (personnel steps): at least 2/3 of the convened members present. Replaced by
# Regulation 377 from 08/10/2025, whose article numbers are not confirmed: cited as a whole until known.
QUORUM = cite("80-QĐ/TW", "21.1", by="governance.rules.quorum_met", successors={"377-QĐ/TW": ""})
# Charter Art. 5: a probationary member does not vote (the voting base is the full members).
PROBATIONARY = cite("ĐLĐ-2011", "5", by="governance.services.meeting_open (voting base)")

DEFAULT_QUORUM = Fraction(2, 3)
DEFAULT_THRESHOLD = Fraction(1, 2)


def quorum_needed(in_office: int, fraction: Fraction = DEFAULT_QUORUM) -> int:
    """The fewest members present that make a quorum: at least ``fraction`` of those in office."""
    if in_office < 0:
        raise ValueError("in_office must not be negative")
    return math.ceil(in_office * fraction)


def quorum_met(present: int, in_office: int, fraction: Fraction = DEFAULT_QUORUM) -> bool:
    return in_office > 0 and present >= quorum_needed(in_office, fraction)


def votes_needed(base: int, threshold: Fraction = DEFAULT_THRESHOLD) -> int:
    """The fewest votes that are *more than* ``threshold`` of ``base`` (the members in office)."""
    if base < 0:
        raise ValueError("base must not be negative")
    return math.floor(base * threshold) + 1


def majority_passed(votes_for: int, base: int, threshold: Fraction = DEFAULT_THRESHOLD) -> bool:
    """More than ``threshold`` of the base (members in office, not those present) voted for."""
    return base > 0 and votes_for >= votes_needed(base, threshold)


@dataclass(frozen=True)
class Failure:
    code: str  # "quorum", "majority", "election", "count_*"
    params: dict[str, int] = field(default_factory=dict)
    citation: Cite | None = None  # the provision as declared; ``reason(on)`` dates it

    def reason(self, on: dt.date) -> Reason:
        """The stored shape, citing the text in force on ``on`` (the date of the act)."""
        cited = self.citation.on(on) if self.citation is not None else None
        return Reason(self.code, dict(self.params), cited.code if cited else "", cited.ref if cited else "")

    @property
    def message(self) -> str:
        return Reason(self.code, dict(self.params)).message


@dataclass
class VoteCheck:
    in_office: int
    present: int
    recused: int
    votes_for: int
    votes_against: int
    abstaining: int
    quorum_needed: int
    votes_needed: int
    failures: list[Failure] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.failures

    @property
    def impossible(self) -> bool:
        """Counts that cannot be true: never recorded, not even as irregular."""
        return any(f.code.startswith("count_") for f in self.failures)


def _count_failures(in_office: int, present: int, votes_for: int, votes_against: int, abstaining: int,
                    recused: int) -> list[Failure]:
    if min(in_office, present, votes_for, votes_against, abstaining, recused) < 0:
        return [Failure("count_negative")]
    failures = []
    if present > in_office:
        failures.append(Failure("count_present_over_in_office", {"present": present, "in_office": in_office}))
    if recused > present:
        failures.append(Failure("count_recused_over_present", {"recused": recused, "present": present}))
    if votes_for + votes_against + abstaining > present - recused:
        failures.append(Failure("count_votes_over_voters", {"votes": votes_for + votes_against + abstaining,
                                                            "voters": max(0, present - recused)}))
    return failures


def check_vote(*, in_office: int, present: int, votes_for: int, votes_against: int = 0, abstaining: int = 0,
               recused: int = 0, quorum: Fraction = DEFAULT_QUORUM,
               threshold: Fraction = DEFAULT_THRESHOLD) -> VoteCheck:
    """Check a collective vote. ``in_office`` and ``present`` count voting members only (a cell's
    probationary members attend but are not in the base). Recused members (a declared kinship with
    the person the decision concerns) neither vote nor count in the base of the majority."""
    base = in_office - recused
    check = VoteCheck(in_office, present, recused, votes_for, votes_against, abstaining,
                      quorum_needed(max(in_office, 0), quorum), votes_needed(base, threshold) if base >= 0 else 0)
    check.failures = _count_failures(in_office, present, votes_for, votes_against, abstaining, recused)
    if check.failures:
        return check
    if not quorum_met(present, in_office, quorum):
        check.failures.append(Failure("quorum", {"present": present, "in_office": in_office,
                                                 "needed": check.quorum_needed}, QUORUM))
    if not majority_passed(votes_for, base, threshold):
        check.failures.append(Failure("majority", {"votes": votes_for, "base": base,
                                                   "needed": check.votes_needed}, MAJORITY))
    return check


def check_election(*, convened: int, present: int, votes_for: int, votes_against: int = 0,
                   abstaining: int = 0) -> VoteCheck:
    """An election: more than half of all convened full members (or delegates) vote for the candidate,
    whoever is present; there is no separate quorum (Charter Art. 12.3). 5 of 10 present in an
    11-member cell does not elect."""
    check = VoteCheck(convened, present, 0, votes_for, votes_against, abstaining, 0,
                      votes_needed(convened) if convened >= 0 else 0)
    check.failures = _count_failures(convened, present, votes_for, votes_against, abstaining, 0)
    if not check.failures and not majority_passed(votes_for, convened):
        check.failures.append(Failure("election", {"votes": votes_for, "convened": convened,
                                                   "needed": check.votes_needed}, ELECTION))
    return check
