"""The arithmetic of collective decisions: quorum, majority, recusal.

Pure functions over plain values (no database), each citing the provision it
implements, so that they can be read against the text and tested
exhaustively. The fractions are parameters: a working regulation may set its
own quorum and threshold; the defaults are the ones RULES.md gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from regulations.citations import Cite, cite

# Charter Art. 9.5: a resolution is valid only when more than half of the body's members approve.
MAJORITY = cite("ĐLĐ-2011", "9.5", by="governance.rules.majority_passed")
# Charter Art. 12.3: an election needs more than half of all convened delegates or full members.
ELECTION = cite("ĐLĐ-2011", "12.3", by="governance.rules.majority_passed (elections)")
# Regulation 80 Art. 21.1 (personnel steps): at least 2/3 of the convened members present.
QUORUM = cite("80-QĐ/TW", "21.1", by="governance.rules.quorum_met")

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
    code: str  # "quorum", "majority", "count"
    message: str
    citation: Cite | None = None  # rendered by the caller: rules stay free of the database


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


def check_vote(*, in_office: int, present: int, votes_for: int, votes_against: int = 0, abstaining: int = 0,
               recused: int = 0, quorum: Fraction = DEFAULT_QUORUM,
               threshold: Fraction = DEFAULT_THRESHOLD) -> VoteCheck:
    """Check a collective vote. Recused members (a declared kinship with the person the
    decision concerns) neither vote nor count in the base of the majority."""
    base = in_office - recused
    check = VoteCheck(in_office, present, recused, votes_for, votes_against, abstaining,
                      quorum_needed(in_office, quorum), votes_needed(base, threshold) if base >= 0 else 0)
    if min(in_office, present, votes_for, votes_against, abstaining, recused) < 0:
        check.failures.append(Failure("count", "Số liệu không được âm."))
        return check
    if present > in_office:
        check.failures.append(Failure("count", f"Số có mặt ({present}) nhiều hơn số thành viên đương nhiệm "
                                               f"({in_office})."))
    if recused > present:
        check.failures.append(Failure("count", f"Số thành viên không tham gia biểu quyết ({recused}) nhiều hơn "
                                               f"số có mặt ({present})."))
    if votes_for + votes_against + abstaining > present - recused:
        check.failures.append(Failure("count", f"Tổng số phiếu ({votes_for + votes_against + abstaining}) "
                                               f"nhiều hơn số người được biểu quyết ({max(0, present - recused)})."))
    if check.failures:
        return check
    if not quorum_met(present, in_office, quorum):
        check.failures.append(Failure(
            "quorum", f"Chỉ có {present}/{in_office} thành viên có mặt; cần ít nhất {check.quorum_needed}.",
            QUORUM))
    if not majority_passed(votes_for, base, threshold):
        check.failures.append(Failure(
            "majority", f"{votes_for} phiếu tán thành trên {base} thành viên; cần ít nhất {check.votes_needed} "
                        f"(quá nửa số thành viên đương nhiệm, không phải số có mặt).",
            MAJORITY))
    return check
