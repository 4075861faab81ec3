"""The rules of review and classification: quota, ceilings, score bands, consequences.

Pure functions over plain values (no database), each citing the provision it
implements, so they can be read against the regulations and tested
exhaustively. Every figure (the 20% quota, the 50% target share, the score
bands) is a parameter of the scheme or of the period, never a literal in a
rule. A ceiling comes with its reasons: codes with figures, citing the text of
the period's own scheme (a 2024 period keeps citing Regulation 124 forever),
rendered through ``assessments.reasons`` only when shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from common.reasons import Reason
from regulations.citations import Cite, cite

from .choices import GRADE_ORDER, LEVEL_ORDER, Grade, Level, QuotaRounding, SubjectKind

# 124 Art. 12: the four levels and what each requires (criteria, tasks, discipline, the quota).
LEVELS_124 = cite("124-QĐ/TW", "12", by="assessments.rules.ceiling_124, quota_max_excellent")
# 124 Art. 13: the superior decides, inspects, annuls and re-classifies.
AUTHORITY_124 = cite("124-QĐ/TW", "13", by="assessments.services.assessments_decide, assessment_annul")
# 366 Art. 11: the levels, the 100-point score and its bands, the quota.
LEVELS_366 = cite("366-QĐ/TW", "11", by="assessments.rules.ceiling_366, quota_max_excellent")
# Regulation 37: the things a party member must not do; a breach means Not completed.
NOT_TO_DO = cite("37-QĐ/TW", "", by="assessments.rules (breach of Regulation 37)")
# Two years running Not completed: grounds for dismissal of a leader (Regulation 41, now 377).
DISMISSAL = cite("377-QĐ/TW", "", by="assessments.rules.not_completed_twice")
# Charter Art. 9 (democratic centralism): the order of a review, lower levels and collectives first.
ORDER = cite("ĐLĐ-2011", "9", by="assessments.rules.order_of_review")


def rank(level: str) -> int:
    """0 for Excellent ... 3 for Not completed."""
    return LEVEL_ORDER.index(Level(level))


def better(a: str, b: str) -> bool:
    """``a`` is a higher level than ``b``."""
    return rank(a) < rank(b)


def lower_of(a: str, b: str) -> str:
    return a if rank(a) >= rank(b) else b


# --- Quota -------------------------------------------------------------------


def quota_max_excellent(good: int, share_percent: int, rounding: str = QuotaRounding.DOWN) -> int:
    """The most Excellent ratings allowed beside ``good`` Good ones in one peer group.

    The base is the number rated Good, not the size of the group (124 Art. 12;
    366 Art. 11 with the share a setting of the period, 20 or 25). How a
    fraction is rounded is not confirmed: a setting, default down.
    """
    if good < 0 or share_percent < 0:
        raise ValueError("counts and shares are not negative")
    exact = Fraction(good * share_percent, 100)
    if rounding == QuotaRounding.UP:
        return math.ceil(exact)
    if rounding == QuotaRounding.NEAREST:
        return math.floor(exact + Fraction(1, 2))
    return math.floor(exact)


def quota_allows(excellent: int, good: int, share_percent: int, rounding: str = QuotaRounding.DOWN) -> bool:
    return excellent <= quota_max_excellent(good, share_percent, rounding)


# --- Facts and ceilings --------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What is known about one subject when it is classified."""

    kind: str
    grades: Mapping[str, object] = field(default_factory=dict)  # 124: criterion -> grade; 366: -> points
    # Targets and tasks (assigned at the start of the year).
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_on_time: int = 0
    tasks_exceeded: int = 0
    # Discipline in the year.
    disciplined: bool = False  # at least one measure not self-detected and remedied
    disciplined_remedied: bool = False  # only measures self-detected and remedied
    breach_37: bool = False  # a breach of Regulation 37 or of the duty to set an example
    # Leaders: the share of targets met by the unit they lead (``None``: not known).
    led_unit_share_met: Fraction | None = None
    # Collectives.
    collective_disciplined: bool = False  # the organization (its leadership collective) disciplined
    leadership_member_disciplined: bool = False  # a member of its leadership disciplined
    subordinates_total: int = 0
    subordinates_disciplined: int = 0
    disunity: bool = False
    # 366: every shortcoming found earlier has been fixed.
    shortcomings_fixed: bool = True


@dataclass(frozen=True)
class Ceiling:
    """The highest level the facts allow, and why it is not higher."""

    level: str
    reasons: tuple[Reason, ...] = ()

    def allows(self, level: str) -> bool:
        return not better(level, self.level)


@dataclass(frozen=True)
class Parameters:
    """The figures of a scheme's rules (the scheme module gives them)."""

    targets_floor: Fraction = Fraction(1, 2)  # under half of targets met: Not completed (124)
    subordinates_ceiling: Fraction = Fraction(1, 5)  # over 20% of subordinate units disciplined (124)
    excellent_score: int = 90  # 366 bands
    good_score: int = 70
    completed_score: int = 50
    exceeded_floor: Fraction = Fraction(3, 10)  # Excellent: at least 30% of tasks beyond requirements (366)
    late_ceiling: Fraction = Fraction(1, 5)  # a Completed collective: at most 20% of tasks late (366)


def share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.0f}"


class _Cap:
    """Collects the lowest ceiling and every reason that lowers it."""

    def __init__(self, cited: Cite):
        self.level = Level.EXCELLENT
        self.reasons: list[Reason] = []
        self.cited = cited

    def at_most(self, level: str, code: str, params: dict | None = None, cited: Cite | None = None) -> None:
        cited = cited or self.cited
        self.reasons.append(Reason(code, {**(params or {}), "level": str(level)}, cited.code, cited.ref))
        self.level = lower_of(self.level, level)

    def result(self) -> Ceiling:
        return Ceiling(str(self.level), tuple(self.reasons))


def _discipline(cap: _Cap, facts: Facts) -> None:
    """Disciplined in the year: Not completed, unless self-detected and remedied."""
    if facts.disciplined:
        cap.at_most(Level.NOT_COMPLETED, "disciplined")
    if facts.breach_37:
        cap.at_most(Level.NOT_COMPLETED, "breach_37", cited=NOT_TO_DO)


def _collective_discipline(cap: _Cap, facts: Facts, p: Parameters, *, disciplined_not_completed: bool) -> None:
    """124: the collective disciplined, or over 20% of its subordinate units, is Not completed; 366 names
    discipline of the collective, its leadership or its subordinate units only as barring Excellent."""
    if facts.collective_disciplined:
        cap.at_most(Level.NOT_COMPLETED if disciplined_not_completed else Level.GOOD, "collective_disciplined")
    if facts.leadership_member_disciplined:
        cap.at_most(Level.GOOD, "leadership_member_disciplined")
    disciplined = share(facts.subordinates_disciplined, facts.subordinates_total)
    if disciplined_not_completed and disciplined is not None and disciplined > p.subordinates_ceiling:
        cap.at_most(Level.NOT_COMPLETED, "subordinates_disciplined",
                    {"count": facts.subordinates_disciplined, "total": facts.subordinates_total,
                     "percent": _percent(p.subordinates_ceiling)})
    elif facts.subordinates_disciplined:
        cap.at_most(Level.GOOD, "subordinates_disciplined_excellent", {"count": facts.subordinates_disciplined})


def ceiling_124(facts: Facts, p: Parameters = Parameters()) -> Ceiling:
    """The highest level Regulation 124 allows (Art. 12). ``facts.grades`` are criterion grades X/T/B/K."""
    cap = _Cap(LEVELS_124)
    grades = [Grade(g) for g in facts.grades.values()]
    worst = max((GRADE_ORDER.index(g) for g in grades), default=0)
    if Grade.POOR in grades:
        cap.at_most(Level.NOT_COMPLETED, "criterion_poor")
    elif worst > GRADE_ORDER.index(Grade.GOOD):
        cap.at_most(Level.GOOD, "criterion_average")
    task_grade = facts.grades.get("tasks")
    if task_grade is not None and Grade(task_grade) != Grade.EXCELLENT:
        cap.at_most(Level.GOOD if Grade(task_grade) == Grade.GOOD else Level.COMPLETED, "tasks_grade",
                    {"grade": str(task_grade)})
    _discipline(cap, facts)
    met = share(facts.tasks_done, facts.tasks_total)
    if facts.kind == SubjectKind.COLLECTIVE:
        if met is not None and met < p.targets_floor:
            cap.at_most(Level.NOT_COMPLETED, "targets_under", {"done": facts.tasks_done, "total": facts.tasks_total,
                                                               "percent": _percent(p.targets_floor)})
        _collective_discipline(cap, facts, p, disciplined_not_completed=True)
        if facts.disunity:
            cap.at_most(Level.NOT_COMPLETED, "disunity")
    elif facts.kind == SubjectKind.LEADER and facts.led_unit_share_met is not None \
            and facts.led_unit_share_met < p.targets_floor:
        cap.at_most(Level.NOT_COMPLETED, "led_unit_targets_under",
                    {"percent": _percent(facts.led_unit_share_met), "floor": _percent(p.targets_floor)})
    return cap.result()


def score_366(points: Mapping[str, object]) -> Decimal:
    """The 100-point score: the sum of the criteria's points (70 for tasks, 30 for the general criteria)."""
    return sum((Decimal(str(v)) for v in points.values()), Decimal(0))


def band_366(score: Decimal, p: Parameters = Parameters()) -> str:
    """The level a score reaches on its own (366 Art. 11): >= 90, 70 to < 90, 50 to < 70, below 50."""
    if score >= p.excellent_score:
        return Level.EXCELLENT
    if score >= p.good_score:
        return Level.GOOD
    if score >= p.completed_score:
        return Level.COMPLETED
    return Level.NOT_COMPLETED


def ceiling_366(facts: Facts, p: Parameters = Parameters()) -> Ceiling:
    """The highest level Regulation 366 allows (Art. 11): score bands and their conditions."""
    cap = _Cap(LEVELS_366)
    score = score_366(facts.grades)
    band = band_366(score, p)
    if band != Level.EXCELLENT:
        cap.at_most(band, "score_band", {"score": f"{score:g}"})
    on_time = share(facts.tasks_on_time, facts.tasks_total)
    if on_time is not None and on_time < 1:
        cap.at_most(Level.COMPLETED, "tasks_not_all_on_time",
                    {"on_time": facts.tasks_on_time, "total": facts.tasks_total})
    exceeded = share(facts.tasks_exceeded, facts.tasks_total)
    if exceeded is not None and exceeded < p.exceeded_floor:
        cap.at_most(Level.GOOD, "tasks_exceeded_under", {"exceeded": facts.tasks_exceeded,
                                                         "total": facts.tasks_total,
                                                         "percent": _percent(p.exceeded_floor)})
    if not facts.shortcomings_fixed:
        cap.at_most(Level.GOOD, "shortcomings_open")
    _discipline(cap, facts)
    if facts.kind == SubjectKind.COLLECTIVE:
        _collective_discipline(cap, facts, p, disciplined_not_completed=False)
        late = share(facts.tasks_total - facts.tasks_on_time, facts.tasks_total)
        if facts.tasks_total and (facts.tasks_done < facts.tasks_total or late > p.late_ceiling):
            cap.at_most(Level.NOT_COMPLETED, "collective_tasks_late",
                        {"done": facts.tasks_done, "total": facts.tasks_total,
                         "late": facts.tasks_total - facts.tasks_on_time, "percent": _percent(p.late_ceiling)})
    return cap.result()


# --- Consequences and order ------------------------------------------------------


def not_completed_twice(previous_level: str | None, level: str | None) -> bool:
    """Not completed this year and the year before: listed for the competent level's consideration."""
    return previous_level == Level.NOT_COMPLETED and level == Level.NOT_COMPLETED


def head_above_collective(head_level: str | None, collective_level: str | None) -> bool:
    """A head rated above the collective they lead (not confirmed as a rule: a setting says warn or block)."""
    return bool(head_level and collective_level) and better(head_level, collective_level)


def quota_reason(scheme_cite: Cite, *, excellent: int, good: int, share_percent: int, rounding: str,
                 group: str) -> Reason:
    return Reason("quota", {"excellent": excellent, "good": good, "share": share_percent,
                            "allowed": quota_max_excellent(good, share_percent, rounding),
                            "rounding": str(rounding), "group": group}, scheme_cite.code, scheme_cite.ref)
