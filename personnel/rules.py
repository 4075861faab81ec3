"""The rules of personnel work: the procedures' steps, the ballot counts, the thresholds, the pilot's scope.

Pure functions over plain values (no database), each citing the provision it implements. A threshold is a
parameter (``Threshold``) whose citation is dated by the meeting it judges (``Cite.on``): Regulation 80
before 08/10/2025, Regulation 377 from then. The article numbers of the steps in 377 are not confirmed
(RULES.md), so the procedure is cited as a whole until the catalog knows them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from common.reasons import Reason
from regulations.citations import Cite, cite

# The standard procedure and its thresholds (80, then 377 which replaced it; steps cited as a whole).
PROCEDURE = cite("80-QĐ/TW", "", by="personnel.rules (procedure steps, thresholds)", successors={"377-QĐ/TW": ""})
# The planning requirement: internal candidates planned for the post or an equivalent or higher one (377).
PLANNING = cite("80-QĐ/TW", "", by="personnel.rules.planning_reasons", successors={"377-QĐ/TW": ""})
# Regulation 80 Art. 21.1 (now 377): at least 2/3 of those convened present at each step.
QUORUM = cite("80-QĐ/TW", "21.1", by="personnel.rules.check_counts (quorum)", successors={"377-QĐ/TW": ""})
# Regulation 142: the head introduces (Art. 3), proposes a standing-committee seat (Art. 4), appoints and
# dismisses the heads of directly subordinate units (Art. 5); a pilot to 23/04/2029.
ART_3 = cite("142-QĐ/TW", "3", by="personnel: introduction for election or a deputy's appointment")
ART_4 = cite("142-QĐ/TW", "4", by="personnel: a vacant standing-committee seat")
ART_5 = cite("142-QĐ/TW", "5", by="personnel: heads of directly subordinate units")
PILOT = cite("142-QĐ/TW", "", by="personnel.rules (pilot scope and end)")
PILOT_ISSUED = dt.date(2024, 4, 23)  # numbers restart each term: the pilot is the text of this date

DEFAULT_QUORUM = Fraction(2, 3)
HALF = Fraction(1, 2)


# --- steps ----------------------------------------------------------------------------------------------

# Modes of a step:
#   introduction  the head introduces (142): no meeting, no counts
#   agree         a leadership vote: more than half of the members in office
#   conference    a ballot whose counts are recorded as an opinion (no threshold)
#   select        step 3: the most votes and more than half of all members; else the top two go on
#   works         where an external nominee works: more than half of those convened
#   final         the last vote: more than half of the members in office
LEADERSHIP = ("standing", "leadership", "executive")
ANY_BODY = ("standing", "leadership", "executive", "standing_board", "cell_meeting")


@dataclass(frozen=True)
class StepSpec:
    number: int
    code: str  # a code of its own, shown through ``personnel.reasons.STEP_LABELS``
    mode: str
    bodies: tuple[str, ...] = ()
    where: str = "own"  # "own": the nominating organization; "nominee": where the nominee works
    confidential: bool = False  # results shown to the organization board only, until the process ends
    cite: Cite = PROCEDURE


_INTERNAL_TAIL = (
    StepSpec(2, "wider_conference", "conference", ANY_BODY, confidential=True),
    StepSpec(3, "leadership_nominates", "select", LEADERSHIP),
    StepSpec(4, "key_cadres", "conference", ANY_BODY),
    StepSpec(5, "leadership_votes", "final", LEADERSHIP),
)
_EXTERNAL_TAIL = (
    StepSpec(2, "where_nominee_works", "works", ANY_BODY, where="nominee"),
    StepSpec(3, "appraisal_and_vote", "final", LEADERSHIP),
)


SOURCES = ("internal", "external")
HALF_RULES = ("head_decides", "not_passed")


def steps_for(kind: str, source: str) -> tuple[StepSpec, ...]:
    """The steps of a nomination of ``kind`` from ``source``: 142 replaces step 1 of the standard procedure."""
    if source not in SOURCES:
        raise ValueError(source)
    if kind == "standard":
        first = StepSpec(1, "leadership_agrees", "agree", LEADERSHIP)
        return (first, *(_INTERNAL_TAIL if source == "internal" else _EXTERNAL_TAIL))
    if kind in ("election", "deputy"):
        first = StepSpec(1, "head_introduces", "introduction", cite=ART_3)
        return (first, *(_INTERNAL_TAIL if source == "internal" else _EXTERNAL_TAIL))
    if kind == "standing_seat":  # the head proposes, the standing committee submits, the executive votes
        return (StepSpec(1, "head_proposes", "introduction", cite=ART_4),
                StepSpec(2, "standing_submits", "agree", ("standing",), cite=ART_4),
                StepSpec(3, "executive_votes", "final", ("executive",), cite=ART_4))
    if kind in ("subordinate_head", "subordinate_dismissal"):  # after agreement with the collective
        return (StepSpec(1, "head_proposes", "introduction", cite=ART_5),
                StepSpec(2, "collective_agrees", "final", LEADERSHIP, cite=ART_5))
    raise ValueError(kind)


def step_spec(kind: str, source: str, number: int) -> StepSpec | None:
    return next((s for s in steps_for(kind, source) if s.number == number), None)


def last_step(kind: str, source: str) -> int:
    return steps_for(kind, source)[-1].number


# --- the pilot ------------------------------------------------------------------------------------------

LEVELS = ("provincial", "subordinate", "commune", "grassroots")


def level_of(kind: str, depth: int, parent_level: str | None = None) -> str:
    """The level of an organization for the pilot's scope: the province's own, a directly subordinate
    committee, a commune-level committee, or below; an agency or unit takes the level of the committee it
    sits under (``parent_level``)."""
    if depth == 1 or kind == "provincial":
        return "provincial"
    if kind == "commune":
        return "commune"
    if kind == "subordinate":
        return "subordinate"
    if kind == "agency" and parent_level:
        return "subordinate" if parent_level == "provincial" else parent_level
    return "grassroots"


def pilot_reasons(*, level: str, scope: tuple[str, ...] | list[str], in_force: bool, ends_on: str | None,
                  on: str, kind: str) -> list[Reason]:
    """Why the 142 power may not be used for ``kind`` on day ``on`` at an organization of ``level``."""
    if kind == "standard":
        return []
    reasons = []
    if not in_force:
        reasons.append(Reason("pilot_not_in_force", {"d": on, "end": ends_on or ""}, PILOT.code, PILOT.ref))
    if level not in scope:
        reasons.append(Reason("pilot_out_of_scope", {"level": level, "scope": list(scope)}, PILOT.code, PILOT.ref))
    return reasons


# --- planning -------------------------------------------------------------------------------------------


def planning_met(*, source: str, post_rank: int, same_org_ranks: list[int], other_org_ranks: list[int]) -> bool:
    """377: an internal candidate is planned for the post, or an equivalent or higher one, in its organization;
    an external candidate for an equivalent or higher post anywhere. A lower ``rank`` is a higher post."""
    ranks = same_org_ranks if source == "internal" else same_org_ranks + other_org_ranks
    return any(rank <= post_rank for rank in ranks)


# --- counts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """The vote-counting minutes of a step, as the clerk copies them from paper."""

    issued: int
    returned: int
    valid: int
    invalid: int
    votes: tuple[tuple[int, int], ...] = ()  # (person id, votes)


def count_reasons(counts: Counts, *, present: int) -> list[Reason]:
    """Counts that cannot be true: refused, never recorded."""
    values = [counts.issued, counts.returned, counts.valid, counts.invalid, *(v for _, v in counts.votes)]
    if any(v < 0 for v in values):
        return [Reason("ballots_negative")]
    reasons = []
    if counts.issued > present:
        reasons.append(Reason("ballots_issued_over_present", {"issued": counts.issued, "present": present}))
    if counts.returned > counts.issued:
        reasons.append(Reason("ballots_returned_over_issued", {"returned": counts.returned, "issued": counts.issued}))
    if counts.valid + counts.invalid != counts.returned:
        reasons.append(Reason("ballots_valid_invalid_not_returned", {
            "valid": counts.valid, "invalid": counts.invalid, "returned": counts.returned}))
    for person, votes in counts.votes:
        if votes > counts.valid:
            reasons.append(Reason("ballots_votes_over_valid", {"person": person, "votes": votes,
                                                             "valid": counts.valid}))
    if len({p for p, _ in counts.votes}) != len(counts.votes):
        reasons.append(Reason("ballots_candidate_twice"))
    return reasons


def quorum_needed(convened: int, fraction: Fraction = DEFAULT_QUORUM) -> int:
    return math.ceil(convened * fraction)


def quorum_reasons(*, present: int, convened: int, on: str, fraction: Fraction = DEFAULT_QUORUM,
                   cited: Cite = QUORUM) -> list[Reason]:
    """At least 2/3 of those convened present (80 Art. 21.1, then 377)."""
    if convened > 0 and present >= quorum_needed(convened, fraction):
        return []
    return [Reason("step_quorum", {"present": present, "convened": convened,
                                   "needed": quorum_needed(convened, fraction)}, cited.code, cited.ref)]


# --- thresholds -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """More than ``fraction`` of ``base`` people (members in office, or those convened), citing ``cite``."""

    fraction: Fraction
    base: int
    base_kind: str  # "members" (in office) or "convened"
    cite_code: str = ""
    cite_ref: str = ""

    @property
    def needed(self) -> int:
        """The fewest votes that are more than the fraction of the base."""
        return math.floor(self.base * self.fraction) + 1

    def passed(self, votes: int) -> bool:
        return self.base > 0 and votes >= self.needed

    def exactly(self, votes: int) -> bool:
        """Exactly the fraction (50%): a tie the head settles."""
        return self.base > 0 and Fraction(votes, self.base) == self.fraction

    def to_json(self) -> dict:
        return {"num": self.fraction.numerator, "den": self.fraction.denominator, "base": self.base,
                "base_kind": self.base_kind, "needed": self.needed,
                "cite": {"code": self.cite_code, "ref": self.cite_ref}}


@dataclass
class Outcome:
    result: str  # a StepResult value
    reasons: list[Reason] = field(default_factory=list)  # warnings kept with the step
    going_on: list[int] = field(default_factory=list)  # for step 3: who goes on


def outcome(*, mode: str, nominee: int, counts: Counts, threshold: Threshold | None,
            half_rule: str = "head_decides") -> Outcome:
    """The step's result from the counts; there is no other way to set it.

    ``half_rule``: what exactly 50% means ("head_decides", the default that RULES.md gives from Decree 170;
    or "not_passed").
    """
    if half_rule not in HALF_RULES:
        raise ValueError(half_rule)
    votes = dict(counts.votes)
    mine = votes.get(nominee, 0)
    if mode in ("introduction",):
        return Outcome("introduced")
    if mode == "conference":
        return Outcome("recorded")
    if threshold is None:
        raise ValueError(f"a {mode} step needs a threshold")
    if mode == "select":
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])
        top = ranked[0][1] if ranked else 0
        leaders = [p for p, v in ranked if v == top]
        if len(leaders) == 1 and threshold.passed(top):
            return Outcome("selected" if leaders[0] == nominee else "not_passed", going_on=leaders)
        if nominee in leaders and threshold.exactly(top) and half_rule == "head_decides":
            return Outcome("tie", going_on=leaders)
        if len(ranked) < 2:  # a single candidate short of the threshold is not selected
            return Outcome("not_passed")
        # Nobody has more than half: the two highest go on; all tied for second go on, with a warning (open).
        going = [p for p, v in ranked if v >= ranked[1][1]]
        warnings = [Reason("step_tie_for_second", {"n": len(going)})] if len(going) > 2 else []
        return Outcome("top_two" if nominee in going else "not_passed", warnings, going)
    # agree / works / final: the nominee alone against the threshold.
    if threshold.passed(mine):
        return Outcome("passed")
    if threshold.exactly(mine) and half_rule == "head_decides":
        return Outcome("tie")
    return Outcome("not_passed")


def threshold_for(mode: str, *, members: int, convened: int, cited: Cite) -> Threshold | None:
    """The threshold of a step: more than half of all members (step 3, the final vote, an agreement), or of
    those convened (where an external nominee works). ``cited`` is already dated by the meeting."""
    if mode in ("introduction", "conference"):
        return None
    if mode == "works":
        return Threshold(HALF, convened, "convened", cited.code, cited.ref)
    return Threshold(HALF, members, "members", cited.code, cited.ref)
