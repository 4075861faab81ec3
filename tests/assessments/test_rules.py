"""The rules of review and classification read against RULES.md ("Annual review and classification").

Ceilings of Regulation 124 (periods 2023, 2024: criteria graded X/T/B/K) and of
Regulation 366 (from 2025: a 100-point score), the quota of Excellent ratings,
properties of the arithmetic, the facts of the two schemes (criteria, maxima,
forms, citations) and the consequences (two years Not completed, a head rated
above their collective). Pure functions: only the citation check needs the
database (the regulations catalog is loaded by a migration).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import rules
from assessments.choices import Grade, LeaderForm, Level, QuotaRounding, SubjectKind
from assessments.rules import Facts
from assessments.schemes import for_year, grade_errors, reg124, reg366
from common.reasons import registered_codes
from regulations.citations import resolve

S124, S366 = reg124.SCHEME, reg366.SCHEME
X, T, B, K = Grade.EXCELLENT, Grade.GOOD, Grade.AVERAGE, Grade.POOR
EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED
COLLECTIVE, LEADER, MEMBER = SubjectKind.COLLECTIVE, SubjectKind.LEADER, SubjectKind.MEMBER
OUTSIDE = SubjectKind.OUTSIDE
DOWN, NEAREST, UP = QuotaRounding.DOWN, QuotaRounding.NEAREST, QuotaRounding.UP

# Best first, written out by hand (not taken from the code under test).
LEVELS = [EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED]
GRADES = [X, T, B, K]

# The criteria of each kind, as the schemes name them.
MEMBER_124 = ("politics", "s144_1", "s144_2", "s144_3", "s144_4", "s144_5", "tasks")
LEADER_124 = (*MEMBER_124, "leadership")
COLLECTIVE_124 = ("building", "organization", "inspection", "tasks")
INDIVIDUAL_366 = ("politics", "ethics", "lifestyle", "example", "innovation", "self_criticism", "tasks")
COLLECTIVE_366 = ("building", "organization", "inspection", "tasks")
CRITERIA_124 = {MEMBER: MEMBER_124, LEADER: LEADER_124, COLLECTIVE: COLLECTIVE_124}

# What a reason cites: the period's own scheme (a 2024 period keeps citing 124 after 366 replaced it).
C124 = ("124-QĐ/TW", "12")
C366 = ("366-QĐ/TW", "11")
C37 = ("37-QĐ/TW", "")  # Regulation 37 as a whole

# A year's work: an individual with 8 tasks, a collective with 10 targets and 10 subordinate units.
INDIVIDUAL_TASKS = dict(tasks_total=8, tasks_done=8, tasks_on_time=8, tasks_exceeded=3)
COLLECTIVE_TASKS = dict(tasks_total=10, tasks_done=10, tasks_on_time=10, tasks_exceeded=4, subordinates_total=10)

# 366 points as the portal stores them (strings of decimals): the general criteria add up to 29.
GENERAL_29 = {"politics": "5", "ethics": "4.75", "lifestyle": "5", "example": "4.25", "innovation": "5",
              "self_criticism": "5"}


def f124(kind: str, grades: dict | None = None, **facts) -> Facts:
    """Every criterion Xuất sắc unless ``grades`` says otherwise; a year's tasks all done."""
    base = COLLECTIVE_TASKS if kind == COLLECTIVE else INDIVIDUAL_TASKS
    return Facts(kind=kind, grades={code: X for code in CRITERIA_124[kind]} | (grades or {}), **(base | facts))


def f366(kind: str, tasks: str = "66", **facts) -> Facts:
    """An individual with 29 general points plus ``tasks`` (95 by default); a year's tasks done, on time, 3/8 beyond."""
    return Facts(kind=kind, grades=GENERAL_29 | {"tasks": tasks}, **(INDIVIDUAL_TASKS | facts))


def c366(tasks: str = "63", **facts) -> Facts:
    """A collective: 10 + 10 + 10 + ``tasks`` points (93 by default), 10 targets, 4 beyond requirements."""
    grades = {"building": "10", "organization": "10", "inspection": "10", "tasks": tasks}
    return Facts(kind=COLLECTIVE, grades=grades, **(COLLECTIVE_TASKS | facts))


def r124(code, level):
    return code, level, C124


def r366(code, level):
    return code, level, C366


def r37(level=NOT_COMPLETED):
    return "breach_37", level, C37


def assert_ceiling(ceiling, level, reasons):
    assert ceiling.level == level
    assert [r.code for r in ceiling.reasons] == [code for code, _cap, _cite in reasons]
    assert [r.params["level"] for r in ceiling.reasons] == [cap for _code, cap, _cite in reasons]
    assert [(r.cite_code, r.cite_ref) for r in ceiling.reasons] == [cite for _code, _cap, cite in reasons]
    # The ceiling allows its own level and nothing better.
    position = LEVELS.index(level)
    assert all(ceiling.allows(lv) == (i >= position) for i, lv in enumerate(LEVELS))


# --- Regulation 124 --------------------------------------------------------------

CASES_124 = [
    # Individuals (member: politics, five standards of Regulation 144, tasks).
    pytest.param(f124(MEMBER), EXCELLENT, [], id="124-member-all-X-tasks-X-excellent"),
    pytest.param(f124(MEMBER, {"politics": T, "s144_2": T}), EXCELLENT, [],
                 id="124-member-criteria-T-tasks-X-still-excellent"),
    pytest.param(f124(MEMBER, {"s144_3": B}), GOOD, [r124("criterion_average", GOOD)],
                 id="124-member-one-criterion-B-caps-at-good"),
    pytest.param(f124(MEMBER, {"tasks": T}), GOOD, [r124("tasks_grade", GOOD)],
                 id="124-member-tasks-T-caps-at-good"),
    pytest.param(f124(MEMBER, {"tasks": B}), COMPLETED,
                 [r124("criterion_average", GOOD), r124("tasks_grade", COMPLETED)],
                 id="124-member-tasks-B-caps-at-completed"),
    pytest.param(f124(MEMBER, {code: B for code in MEMBER_124}), COMPLETED,
                 [r124("criterion_average", GOOD), r124("tasks_grade", COMPLETED)],
                 id="124-member-every-criterion-B-is-completed"),
    pytest.param(f124(MEMBER, {"s144_4": K}), NOT_COMPLETED, [r124("criterion_poor", NOT_COMPLETED)],
                 id="124-member-criterion-K-not-completed"),
    pytest.param(f124(MEMBER, {code: K for code in MEMBER_124}), NOT_COMPLETED,
                 [r124("criterion_poor", NOT_COMPLETED), r124("tasks_grade", COMPLETED)],
                 id="124-member-every-criterion-K-not-completed"),
    pytest.param(f124(MEMBER, {"tasks": K}), NOT_COMPLETED,
                 [r124("criterion_poor", NOT_COMPLETED), r124("tasks_grade", COMPLETED)],
                 id="124-member-tasks-K-not-completed"),
    pytest.param(f124(MEMBER, disciplined=True), NOT_COMPLETED, [r124("disciplined", NOT_COMPLETED)],
                 id="124-member-disciplined-not-self-detected-not-completed"),
    pytest.param(f124(MEMBER, disciplined_remedied=True), EXCELLENT, [],
                 id="124-member-discipline-self-detected-remedied-does-not-lower"),
    pytest.param(f124(MEMBER, {"tasks": T}, disciplined_remedied=True), GOOD, [r124("tasks_grade", GOOD)],
                 id="124-member-remedied-discipline-still-good"),
    pytest.param(f124(MEMBER, breach_37=True), NOT_COMPLETED, [r37()],
                 id="124-member-breach-of-regulation-37-not-completed"),
    pytest.param(f124(MEMBER, {"s144_1": B}, disciplined=True, breach_37=True), NOT_COMPLETED,
                 [r124("criterion_average", GOOD), r124("disciplined", NOT_COMPLETED), r37()],
                 id="124-member-every-reason-is-listed"),
    # Leaders (plus the results of leading the unit they are in charge of).
    pytest.param(f124(LEADER, led_unit_share_met=Fraction(9, 10)), EXCELLENT, [], id="124-leader-all-X-excellent"),
    pytest.param(f124(LEADER, {"leadership": B}), GOOD, [r124("criterion_average", GOOD)],
                 id="124-leader-leadership-B-caps-at-good"),
    pytest.param(f124(LEADER, led_unit_share_met=Fraction(49, 100)), NOT_COMPLETED,
                 [r124("led_unit_targets_under", NOT_COMPLETED)], id="124-leader-led-unit-under-50pct-not-completed"),
    pytest.param(f124(LEADER, led_unit_share_met=Fraction(4, 9)), NOT_COMPLETED,
                 [r124("led_unit_targets_under", NOT_COMPLETED)], id="124-leader-led-unit-4-of-9-not-completed"),
    pytest.param(f124(LEADER, led_unit_share_met=Fraction(1, 2)), EXCELLENT, [],
                 id="124-leader-led-unit-exactly-50pct-is-not-under"),
    pytest.param(f124(LEADER, breach_37=True), NOT_COMPLETED, [r37()], id="124-leader-breach-of-regulation-37"),
    # Collectives (building, organization, inspection, tasks).
    pytest.param(f124(COLLECTIVE), EXCELLENT, [], id="124-collective-all-X-excellent"),
    pytest.param(f124(COLLECTIVE, {"organization": B}), GOOD, [r124("criterion_average", GOOD)],
                 id="124-collective-criterion-B-caps-at-good"),
    pytest.param(f124(COLLECTIVE, {"tasks": T}), GOOD, [r124("tasks_grade", GOOD)],
                 id="124-collective-tasks-T-caps-at-good"),
    pytest.param(f124(COLLECTIVE, {"inspection": K}), NOT_COMPLETED, [r124("criterion_poor", NOT_COMPLETED)],
                 id="124-collective-criterion-K-not-completed"),
    pytest.param(f124(COLLECTIVE, tasks_done=4, tasks_on_time=4, tasks_exceeded=1), NOT_COMPLETED,
                 [r124("targets_under", NOT_COMPLETED)], id="124-collective-4-of-10-targets-under-50pct"),
    pytest.param(f124(COLLECTIVE, tasks_done=5, tasks_on_time=5, tasks_exceeded=1), EXCELLENT, [],
                 id="124-collective-5-of-10-targets-is-not-under-50pct"),
    pytest.param(f124(COLLECTIVE, collective_disciplined=True), NOT_COMPLETED,
                 [r124("collective_disciplined", NOT_COMPLETED)], id="124-collective-disciplined-not-completed"),
    pytest.param(f124(COLLECTIVE, subordinates_disciplined=3), NOT_COMPLETED,
                 [r124("subordinates_disciplined", NOT_COMPLETED)],
                 id="124-collective-3-of-10-subordinates-disciplined-over-20pct"),
    pytest.param(f124(COLLECTIVE, subordinates_total=14, subordinates_disciplined=3), NOT_COMPLETED,
                 [r124("subordinates_disciplined", NOT_COMPLETED)],
                 id="124-collective-3-of-14-subordinates-disciplined-over-20pct"),
    pytest.param(f124(COLLECTIVE, subordinates_disciplined=2), GOOD,
                 [r124("subordinates_disciplined_excellent", GOOD)],
                 id="124-collective-exactly-20pct-subordinates-disciplined-blocks-only-excellent"),
    pytest.param(f124(COLLECTIVE, subordinates_disciplined=1), GOOD,
                 [r124("subordinates_disciplined_excellent", GOOD)],
                 id="124-collective-one-subordinate-disciplined-blocks-excellent"),
    pytest.param(f124(COLLECTIVE, disunity=True), NOT_COMPLETED, [r124("disunity", NOT_COMPLETED)],
                 id="124-collective-disunity-not-completed"),
    pytest.param(f124(COLLECTIVE, leadership_member_disciplined=True), GOOD,
                 [r124("leadership_member_disciplined", GOOD)],
                 id="124-collective-leadership-member-disciplined-caps-at-good"),
    pytest.param(f124(COLLECTIVE, {"building": B}, tasks_done=3, tasks_on_time=3, tasks_exceeded=0, disunity=True,
                      leadership_member_disciplined=True), NOT_COMPLETED,
                 [r124("criterion_average", GOOD), r124("targets_under", NOT_COMPLETED),
                  r124("leadership_member_disciplined", GOOD), r124("disunity", NOT_COMPLETED)],
                 id="124-collective-every-reason-is-listed"),
]


@pytest.mark.parametrize(("facts", "level", "reasons"), CASES_124)
def test_ceiling_124(facts, level, reasons):
    assert_ceiling(S124.ceiling(facts), level, reasons)
    assert rules.ceiling_124(facts) == S124.ceiling(facts)


# --- Regulation 366 --------------------------------------------------------------

CASES_366 = [
    # Score bands: >= 90 Excellent, 70 to < 90 Good, 50 to < 70 Completed, below Not completed.
    pytest.param(f366(MEMBER, "61"), EXCELLENT, [], id="366-score-90-excellent"),
    pytest.param(f366(MEMBER, "60.99"), GOOD, [r366("score_band", GOOD)], id="366-score-89.99-good"),
    pytest.param(f366(MEMBER, "41"), GOOD, [r366("score_band", GOOD)], id="366-score-70-good"),
    pytest.param(f366(MEMBER, "40.99"), COMPLETED, [r366("score_band", COMPLETED)], id="366-score-69.99-completed"),
    pytest.param(f366(MEMBER, "21"), COMPLETED, [r366("score_band", COMPLETED)], id="366-score-50-completed"),
    pytest.param(f366(MEMBER, "20.99"), NOT_COMPLETED, [r366("score_band", NOT_COMPLETED)],
                 id="366-score-49.99-not-completed"),
    pytest.param(f366(LEADER, "70", tasks_total=10, tasks_done=10, tasks_on_time=10, tasks_exceeded=10), EXCELLENT,
                 [], id="366-leader-score-99-every-task-beyond-excellent"),
    pytest.param(f366(OUTSIDE, "61"), EXCELLENT, [], id="366-outside-score-90-excellent"),
    pytest.param(c366("60"), EXCELLENT, [], id="366-collective-score-90-excellent"),
    pytest.param(c366("59.99"), GOOD, [r366("score_band", GOOD)], id="366-collective-score-89.99-good"),
    # Excellent needs 100% on time and at least 30% beyond requirements.
    pytest.param(f366(MEMBER, tasks_total=10, tasks_done=10, tasks_on_time=10, tasks_exceeded=3), EXCELLENT, [],
                 id="366-3-of-10-beyond-requirements-excellent"),
    pytest.param(f366(MEMBER, tasks_total=10, tasks_done=10, tasks_on_time=10, tasks_exceeded=2), GOOD,
                 [r366("tasks_exceeded_under", GOOD)], id="366-2-of-10-beyond-requirements-caps-at-good"),
    pytest.param(f366(MEMBER, tasks_on_time=7), COMPLETED, [r366("tasks_not_all_on_time", COMPLETED)],
                 id="366-score-95-one-task-late-caps-at-completed"),
    pytest.param(f366(MEMBER, "45", tasks_on_time=7), COMPLETED,
                 [r366("score_band", GOOD), r366("tasks_not_all_on_time", COMPLETED)],
                 id="366-good-needs-100pct-on-time"),
    pytest.param(f366(MEMBER, "45", tasks_exceeded=0), GOOD, [r366("score_band", GOOD),
                                                             r366("tasks_exceeded_under", GOOD)],
                 id="366-good-does-not-need-tasks-beyond-requirements"),
    # Every earlier shortcoming fixed.
    pytest.param(f366(MEMBER, shortcomings_fixed=False), GOOD, [r366("shortcomings_open", GOOD)],
                 id="366-shortcomings-not-fixed-caps-at-good"),
    pytest.param(c366(shortcomings_fixed=False), GOOD, [r366("shortcomings_open", GOOD)],
                 id="366-collective-shortcomings-not-fixed-caps-at-good"),
    # Collectives: every task done, at most 20% late, for Completed.
    pytest.param(c366(), EXCELLENT, [], id="366-collective-93-all-on-time-excellent"),
    pytest.param(c366(tasks_on_time=8), COMPLETED, [r366("tasks_not_all_on_time", COMPLETED)],
                 id="366-collective-2-of-10-late-allowed-completed"),
    pytest.param(c366(tasks_on_time=7), NOT_COMPLETED,
                 [r366("tasks_not_all_on_time", COMPLETED), r366("collective_tasks_late", NOT_COMPLETED)],
                 id="366-collective-3-of-10-late-not-completed"),
    pytest.param(c366(tasks_done=9, tasks_on_time=9), NOT_COMPLETED,
                 [r366("tasks_not_all_on_time", COMPLETED), r366("collective_tasks_late", NOT_COMPLETED)],
                 id="366-collective-a-task-not-done-not-completed"),
    pytest.param(c366(tasks_on_time=0), NOT_COMPLETED,
                 [r366("tasks_not_all_on_time", COMPLETED), r366("collective_tasks_late", NOT_COMPLETED)],
                 id="366-collective-every-task-late-not-completed"),
    pytest.param(f366(MEMBER, tasks_done=7, tasks_on_time=7), COMPLETED, [r366("tasks_not_all_on_time", COMPLETED)],
                 id="366-individual-a-task-not-done-is-not-the-collective-rule"),
    # Discipline. Collectives: no subordinate unit and no leadership member disciplined, for Excellent.
    pytest.param(c366(subordinates_disciplined=1), GOOD, [r366("subordinates_disciplined_excellent", GOOD)],
                 id="366-collective-a-subordinate-disciplined-blocks-excellent"),
    pytest.param(c366(subordinates_disciplined=2), GOOD, [r366("subordinates_disciplined_excellent", GOOD)],
                 id="366-collective-2-of-10-subordinates-disciplined-blocks-excellent"),
    pytest.param(c366(leadership_member_disciplined=True), GOOD, [r366("leadership_member_disciplined", GOOD)],
                 id="366-collective-leadership-member-disciplined-blocks-excellent"),
    # Individuals: RULES.md states discipline for 124 only; the code carries it over to 366 (see the report).
    pytest.param(f366(MEMBER, disciplined=True), NOT_COMPLETED, [r366("disciplined", NOT_COMPLETED)],
                 id="366-member-disciplined-not-completed"),
    pytest.param(f366(MEMBER, disciplined_remedied=True), EXCELLENT, [],
                 id="366-member-discipline-self-detected-remedied-does-not-lower"),
    pytest.param(f366(LEADER, breach_37=True), NOT_COMPLETED, [r37()], id="366-leader-breach-of-regulation-37"),
]


@pytest.mark.parametrize(("facts", "level", "reasons"), CASES_366)
def test_ceiling_366(facts, level, reasons):
    assert_ceiling(S366.ceiling(facts), level, reasons)
    assert rules.ceiling_366(facts) == S366.ceiling(facts)


def test_366_collective_with_over_20pct_subordinates_disciplined_is_still_good():
    """RULES.md, 366: a disciplined subordinate unit only bars Excellent (124's Not completed does not apply)."""
    ceiling = S366.ceiling(c366(subordinates_disciplined=3))
    assert ceiling.level == GOOD
    assert {(r.cite_code, r.cite_ref) for r in ceiling.reasons} == {C366}


def test_the_reasons_carry_their_figures():
    targets = S124.ceiling(f124(COLLECTIVE, tasks_done=4, tasks_on_time=4, tasks_exceeded=0)).reasons[0]
    assert targets.params == {"done": 4, "total": 10, "percent": "50", "level": NOT_COMPLETED}
    subordinates = S124.ceiling(f124(COLLECTIVE, subordinates_disciplined=3)).reasons[0]
    assert subordinates.params == {"count": 3, "total": 10, "percent": "20", "level": NOT_COMPLETED}
    led = S124.ceiling(f124(LEADER, led_unit_share_met=Fraction(2, 5))).reasons[0]
    assert led.params == {"percent": "40", "floor": "50", "level": NOT_COMPLETED}
    band = S366.ceiling(f366(MEMBER, "60.99")).reasons[0]
    assert band.params == {"score": "89.99", "level": GOOD}
    late = S366.ceiling(c366(tasks_on_time=7)).reasons[1]
    assert late.params == {"done": 10, "total": 10, "late": 3, "percent": "20", "level": NOT_COMPLETED}
    exceeded = S366.ceiling(f366(MEMBER, tasks_total=10, tasks_done=10, tasks_on_time=10, tasks_exceeded=2))
    assert exceeded.reasons[0].params == {"exceeded": 2, "total": 10, "percent": "30", "level": GOOD}


def test_every_reason_of_the_tables_reads_as_a_sentence():
    codes = {code for case in CASES_124 + CASES_366 for code, _cap, _cite in case.values[2]}
    assert codes <= registered_codes()
    for case in CASES_124[:14]:
        for reason in S124.ceiling(case.values[0]).reasons:
            assert reason.message != reason.code  # a message rendered, not the bare code


# --- Quota ------------------------------------------------------------------------


@pytest.mark.parametrize(("good", "share", "down", "nearest", "up"), [
    pytest.param(10, 20, 2, 2, 2, id="10-good-at-20pct-allow-2"),
    pytest.param(4, 20, 0, 1, 1, id="4-good-at-20pct-0.8"),
    pytest.param(4, 25, 1, 1, 1, id="4-good-at-25pct-exactly-1"),
    pytest.param(3, 25, 0, 1, 1, id="3-good-at-25pct-0.75"),
    pytest.param(7, 20, 1, 1, 2, id="7-good-at-20pct-1.4"),
    pytest.param(13, 20, 2, 3, 3, id="13-good-at-20pct-2.6"),
    pytest.param(10, 25, 2, 3, 3, id="10-good-at-25pct-2.5-half-rounds-up-to-nearest"),
    pytest.param(2, 25, 0, 1, 1, id="2-good-at-25pct-0.5"),
    pytest.param(1, 20, 0, 0, 1, id="1-good-at-20pct-0.2"),
    pytest.param(5, 20, 1, 1, 1, id="5-good-at-20pct-exactly-1"),
    pytest.param(0, 20, 0, 0, 0, id="no-good-no-excellent"),
    pytest.param(40, 25, 10, 10, 10, id="40-good-at-25pct-10"),
])
def test_quota_max_excellent(good, share, down, nearest, up):
    assert rules.quota_max_excellent(good, share) == down  # round down by default
    assert rules.quota_max_excellent(good, share, DOWN) == down
    assert rules.quota_max_excellent(good, share, NEAREST) == nearest
    assert rules.quota_max_excellent(good, share, UP) == up


def test_the_quota_base_is_the_good_count_not_the_group_size():
    # A group of 30: 10 Good, 15 Completed, the rest to decide. 20% of the group would be 6; of the Good, 2.
    assert rules.quota_allows(2, 10, 20)
    assert not rules.quota_allows(3, 10, 20)
    assert not rules.quota_allows(6, 10, 20)
    # 25% (a setting of a 366 period): 2 beside 10 Good rounded down, 3 rounded up.
    assert rules.quota_allows(2, 10, 25) and not rules.quota_allows(3, 10, 25)
    assert rules.quota_allows(3, 10, 25, UP)
    # 4 Good: no Excellent rounded down, one rounded up.
    assert rules.quota_allows(0, 4, 20) and not rules.quota_allows(1, 4, 20)
    assert rules.quota_allows(1, 4, 20, UP) and rules.quota_allows(1, 4, 20, NEAREST)


def test_the_quota_reason_states_the_figures_and_cites_the_scheme():
    reason = rules.quota_reason(rules.LEVELS_124, excellent=3, good=10, share_percent=20, rounding=DOWN,
                                group="Đảng viên chi bộ thôn 1")
    assert (reason.code, reason.cite_code, reason.cite_ref) == ("quota", *C124)
    assert reason.params["allowed"] == 2 and reason.params["good"] == 10 and reason.params["excellent"] == 3
    later = rules.quota_reason(rules.LEVELS_366, excellent=3, good=10, share_percent=25, rounding=UP, group="Chi bộ")
    assert (later.cite_code, later.cite_ref, later.params["allowed"]) == (*C366, 3)


@pytest.mark.parametrize(("good", "share"), [(-1, 20), (10, -5)])
def test_negative_counts_are_refused(good, share):
    with pytest.raises(ValueError):
        rules.quota_max_excellent(good, share)


def test_the_schemes_quota_shares():
    assert S124.quota_shares == (20,)
    assert S366.quota_shares == (20, 25)


goods = st.integers(min_value=0, max_value=5000)
shares = st.integers(min_value=0, max_value=100)
roundings = st.sampled_from([DOWN, NEAREST, UP])


@given(goods, shares, roundings)
def test_quota_is_monotonic_in_the_good_count(good, share, rounding):
    assert rules.quota_max_excellent(good, share, rounding) <= rules.quota_max_excellent(good + 1, share, rounding)
    assert 0 <= rules.quota_max_excellent(good, share, rounding) <= good


@given(goods, shares)
def test_the_roundings_are_ordered_and_one_apart(good, share):
    down = rules.quota_max_excellent(good, share, DOWN)
    nearest = rules.quota_max_excellent(good, share, NEAREST)
    up = rules.quota_max_excellent(good, share, UP)
    assert down <= nearest <= up
    assert up - down <= 1
    assert (up == down) == (good * share % 100 == 0)


@given(goods, shares)
def test_the_roundings_in_integer_arithmetic(good, share):
    assert rules.quota_max_excellent(good, share, DOWN) == good * share // 100
    assert rules.quota_max_excellent(good, share, UP) == -(-good * share // 100)
    assert rules.quota_max_excellent(good, share, NEAREST) == (2 * good * share + 100) // 200


@given(st.integers(min_value=0, max_value=2000), goods, shares, roundings)
def test_quota_allows_exactly_up_to_the_maximum(excellent, good, share, rounding):
    allowed = rules.quota_allows(excellent, good, share, rounding)
    assert allowed == (excellent <= rules.quota_max_excellent(good, share, rounding))
    if rounding == DOWN:  # e <= floor(g*s/100)  <=>  100e <= g*s
        assert allowed == (100 * excellent <= good * share)
    if rounding == UP:  # e <= ceil(g*s/100)  <=>  100(e-1) < g*s
        assert allowed == (100 * (excellent - 1) < good * share)


# --- 366 arithmetic ------------------------------------------------------------------

scores = st.decimals(min_value=0, max_value=100, places=2)
# RULES.md: >= 90, 70 to < 90, 50 to < 70, below that.
BANDS = [(Decimal(90), EXCELLENT), (Decimal(70), GOOD), (Decimal(50), COMPLETED), (Decimal(0), NOT_COMPLETED)]


@given(scores, scores)
def test_band_366_is_monotonic_in_the_score(a, b):
    low, high = sorted([a, b])
    assert LEVELS.index(rules.band_366(low)) >= LEVELS.index(rules.band_366(high))


@given(scores)
def test_band_366_follows_the_thresholds(score):
    expected = next(level for floor, level in BANDS if score >= floor)
    assert rules.band_366(score) == expected


@pytest.mark.parametrize(("score", "level"), [("90", EXCELLENT), ("89.99", GOOD), ("70", GOOD), ("69.99", COMPLETED),
                                              ("50", COMPLETED), ("49.99", NOT_COMPLETED), ("100", EXCELLENT),
                                              ("0", NOT_COMPLETED)])
def test_band_366_boundaries(score, level):
    assert rules.band_366(Decimal(score)) == level


@given(st.lists(st.integers(min_value=0, max_value=7000), min_size=1, max_size=8), st.data())
def test_the_score_is_the_exact_decimal_sum_of_the_points(cents, data):
    points = {}
    for i, c in enumerate(cents):
        as_text = f"{c // 100}.{c % 100:02d}"
        # Stored as strings of decimals; whole points may come as integers.
        points[f"c{i}"] = c // 100 if c % 100 == 0 and data.draw(st.booleans()) else as_text
    score = rules.score_366(points)
    assert isinstance(score, Decimal)
    assert score == Decimal(sum(cents)) / 100
    assert score * 100 == sum(cents)


def test_the_score_of_tenths_is_exact():
    # Ten 0.1s add up to exactly 1 (a float sum would not), plus 89 for the tasks: 90, Excellent.
    points = {f"c{i}": "0.1" for i in range(10)} | {"tasks": "89"}
    assert rules.score_366(points) == Decimal("90")
    assert rules.score_366({"a": 0.1, "b": 0.2}) == Decimal("0.3")
    assert rules.score_366({}) == 0


# --- The ceiling never rises when a fact gets worse ----------------------------------------


# Subjects are mostly in good standing: wholly random facts are nearly always Not completed already,
# and a ceiling that rose with a worse fact would then go unseen.
rarely = st.sampled_from([False, False, False, True])


def mostly(value, others):
    return st.one_of(st.just(value), st.just(value), others)


@st.composite
def subjects(draw, scheme):
    kind = draw(st.sampled_from(scheme.kinds))
    grades = {}
    for criterion in scheme.criteria_for(kind):
        if criterion.max_points is None:
            grades[criterion.code] = draw(mostly(X, st.sampled_from(GRADES)))
        else:
            most = Decimal(criterion.max_points)
            grades[criterion.code] = str(draw(mostly(most, st.decimals(min_value=0, max_value=most, places=2))))
    total = draw(st.integers(min_value=0, max_value=20))
    done = draw(mostly(total, st.integers(min_value=0, max_value=total)))
    facts = dict(tasks_total=total, tasks_done=done,
                 tasks_on_time=draw(mostly(done, st.integers(min_value=0, max_value=done))),
                 tasks_exceeded=draw(mostly(done, st.integers(min_value=0, max_value=done))),
                 disciplined=draw(rarely), disciplined_remedied=draw(st.booleans()),
                 breach_37=draw(rarely), shortcomings_fixed=not draw(rarely))
    if kind == COLLECTIVE:
        subordinates = draw(st.integers(min_value=0, max_value=15))
        facts |= dict(collective_disciplined=draw(rarely), leadership_member_disciplined=draw(rarely),
                      subordinates_total=subordinates,
                      subordinates_disciplined=draw(st.integers(min_value=0, max_value=min(subordinates, 2))
                                                   | st.integers(min_value=0, max_value=subordinates)),
                      disunity=draw(rarely))
    if kind == LEADER:
        facts["led_unit_share_met"] = draw(st.none() | st.fractions(min_value=0, max_value=1, max_denominator=20))
    return Facts(kind=kind, grades=grades, **facts)


def worsenings(draw, facts: Facts) -> dict[str, Facts]:
    """Every way one fact of ``facts`` gets worse (a criterion lowered: one drawn, to every lower value)."""
    replace = dataclasses.replace
    code = draw(st.sampled_from(sorted(facts.grades)))
    value = facts.grades[code]
    if value in GRADES:
        lowered = GRADES[GRADES.index(value) + 1:]
    else:
        lowered = ["0", *(str(draw(st.decimals(min_value=0, max_value=Decimal(value), places=2))) for _ in range(3))]
    options = {f"{code} lowered to {low}": replace(facts, grades={**facts.grades, code: low}) for low in lowered}
    done = max(facts.tasks_done - 1, 0)
    options |= {
        "disciplined": replace(facts, disciplined=True),
        "breach of 37": replace(facts, breach_37=True),
        "a shortcoming left open": replace(facts, shortcomings_fixed=False),
        "a task fewer done": replace(facts, tasks_done=done, tasks_on_time=min(facts.tasks_on_time, done),
                                     tasks_exceeded=min(facts.tasks_exceeded, done)),
        "a task fewer on time": replace(facts, tasks_on_time=max(facts.tasks_on_time - 1, 0)),
        "a task fewer beyond requirements": replace(facts, tasks_exceeded=max(facts.tasks_exceeded - 1, 0)),
        "no task done": replace(facts, tasks_done=0, tasks_on_time=0, tasks_exceeded=0),
        "no task on time": replace(facts, tasks_on_time=0),
        "no task beyond requirements": replace(facts, tasks_exceeded=0),
    }
    if facts.kind == COLLECTIVE:
        options |= {
            "the collective disciplined": replace(facts, collective_disciplined=True),
            "a leadership member disciplined": replace(facts, leadership_member_disciplined=True),
            "disunity": replace(facts, disunity=True),
            "a subordinate more disciplined": replace(facts, subordinates_disciplined=min(
                facts.subordinates_disciplined + 1, facts.subordinates_total)),
            "every subordinate disciplined": replace(facts, subordinates_disciplined=facts.subordinates_total),
        }
    if facts.kind == LEADER and facts.led_unit_share_met is not None:
        options["the led unit met fewer targets"] = replace(facts, led_unit_share_met=draw(
            st.fractions(min_value=0, max_value=facts.led_unit_share_met, max_denominator=20)))
    return options


@st.composite
def near_the_top(draw, scheme):
    """A subject with nothing against it, then up to four things gone wrong: where a rising ceiling would show."""
    kind = draw(st.sampled_from(scheme.kinds))
    total = draw(st.integers(min_value=1, max_value=20))
    facts = Facts(kind=kind, grades={c.code: X if c.max_points is None else str(c.max_points)
                                     for c in scheme.criteria_for(kind)},
                  tasks_total=total, tasks_done=total, tasks_on_time=total, tasks_exceeded=total,
                  subordinates_total=draw(st.integers(min_value=0, max_value=15)) if kind == COLLECTIVE else 0,
                  led_unit_share_met=draw(st.none() | st.fractions(min_value=Fraction(1, 2), max_value=1,
                                                                  max_denominator=20)) if kind == LEADER else None)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        options = worsenings(draw, facts)
        facts = options[draw(st.sampled_from(sorted(options)))]
    return facts


@pytest.mark.parametrize("scheme", [S124, S366], ids=["124", "366"])
@settings(max_examples=300)
@given(data=st.data())
def test_the_ceiling_never_rises_when_a_fact_gets_worse(scheme, data):
    facts = data.draw(st.one_of(subjects(scheme), near_the_top(scheme)))
    for _step in range(4):  # every worsening of the subject, then of one of them, and so on
        before = LEVELS.index(scheme.ceiling(facts).level)
        options = worsenings(data.draw, facts)
        for what, worsened in options.items():
            assert LEVELS.index(scheme.ceiling(worsened).level) >= before, what
        facts = options[data.draw(st.sampled_from(sorted(options)))]


@pytest.mark.parametrize("scheme", [S124, S366], ids=["124", "366"])
@given(data=st.data())
def test_discipline_self_detected_and_remedied_never_changes_the_ceiling(scheme, data):
    facts = data.draw(subjects(scheme))
    flipped = dataclasses.replace(facts, disciplined_remedied=not facts.disciplined_remedied)
    assert scheme.ceiling(flipped) == scheme.ceiling(facts)


@pytest.mark.parametrize("scheme", [S124, S366], ids=["124", "366"])
@given(data=st.data())
def test_the_ceiling_is_the_lowest_of_its_reasons(scheme, data):
    ceiling = scheme.ceiling(data.draw(subjects(scheme)))
    caps = [LEVELS.index(r.params["level"]) for r in ceiling.reasons]
    assert LEVELS.index(ceiling.level) == max(caps, default=0)
    assert all(r.cite_code in {scheme.document, "37-QĐ/TW"} for r in ceiling.reasons)


# --- The schemes --------------------------------------------------------------------


def test_the_criteria_of_each_kind():
    assert S124.kinds == (COLLECTIVE, LEADER, MEMBER)
    assert S366.kinds == (COLLECTIVE, LEADER, MEMBER, OUTSIDE)
    for kind, codes in CRITERIA_124.items():
        assert tuple(c.code for c in S124.criteria_for(kind)) == codes
    for kind in (LEADER, MEMBER, OUTSIDE):
        assert tuple(c.code for c in S366.criteria_for(kind)) == INDIVIDUAL_366
    assert tuple(c.code for c in S366.criteria_for(COLLECTIVE)) == COLLECTIVE_366
    assert S124.graded and not S366.graded


def test_124_individuals_are_graded_on_the_five_standards_of_regulation_144():
    for kind in (LEADER, MEMBER):
        by_code = {c.code: c for c in S124.criteria_for(kind)}
        for n in range(1, 6):
            assert [(c.code, c.ref) for c in by_code[f"s144_{n}"].cites] == [("144-QĐ/TW", str(n))]


@pytest.mark.parametrize("kind", [COLLECTIVE, LEADER, MEMBER, OUTSIDE])
def test_366_points_add_up_to_100_70_for_tasks_30_general(kind):
    criteria = S366.criteria_for(kind)
    assert sum(c.max_points for c in criteria) == 100
    assert [c.max_points for c in criteria if c.code == "tasks"] == [70]
    assert sum(c.max_points for c in criteria if c.code != "tasks") == 30


def test_366_individual_general_criteria_carry_5_points_each_collective_10():
    assert {c.code: c.max_points for c in S366.criteria_for(MEMBER) if c.code != "tasks"} == dict.fromkeys(
        INDIVIDUAL_366[:-1], 5)
    assert {c.code: c.max_points for c in S366.criteria_for(COLLECTIVE) if c.code != "tasks"} == dict.fromkeys(
        COLLECTIVE_366[:-1], 10)


@pytest.mark.django_db
def test_every_criterion_cites_only_provisions_that_resolve():
    for scheme in (S124, S366):
        for kind in scheme.kinds:
            for criterion in scheme.criteria_for(kind):
                for cited in criterion.cites:
                    provision = cited.resolve()  # raises CitationError when the catalog lacks it
                    assert provision is not None and provision.version.document.code == cited.code
                    assert provision.anchor == f"dieu-{cited.ref}"
        for code, ref in scheme.citations():  # the levels, the authority, the guidance, the criteria
            assert (resolve(code, ref) is None) == (ref == "")  # a document as a whole resolves to None
    assert S124.document == "124-QĐ/TW" and S366.document == "366-QĐ/TW"


def test_the_scheme_of_a_year():
    assert for_year(2023) is S124 and for_year(2024) is S124
    assert for_year(2025) is S366 and for_year(2026) is S366
    with pytest.raises(LookupError):
        for_year(2022)


@pytest.mark.parametrize(("scheme", "kind", "setting", "form"), [
    pytest.param(S124, MEMBER, LeaderForm.AS_GUIDANCE_25, "02A", id="124-member-02A"),
    pytest.param(S124, LEADER, LeaderForm.AS_GUIDANCE_25, "02B", id="124-leader-02B"),
    pytest.param(S124, MEMBER, LeaderForm.SWAPPED, "02A", id="124-member-02A-whatever-the-366-setting"),
    pytest.param(S124, LEADER, LeaderForm.SWAPPED, "02B", id="124-leader-02B-whatever-the-366-setting"),
    pytest.param(S366, COLLECTIVE, LeaderForm.AS_GUIDANCE_25, "01", id="366-collective-01"),
    pytest.param(S366, COLLECTIVE, LeaderForm.SWAPPED, "01", id="366-collective-01-swapped"),
    pytest.param(S366, OUTSIDE, LeaderForm.AS_GUIDANCE_25, "2C", id="366-outside-2C"),
    pytest.param(S366, OUTSIDE, LeaderForm.SWAPPED, "2C", id="366-outside-2C-swapped"),
    pytest.param(S366, MEMBER, LeaderForm.AS_GUIDANCE_25, "2A", id="366-member-2A-by-default"),
    pytest.param(S366, LEADER, LeaderForm.AS_GUIDANCE_25, "2B", id="366-leader-2B-by-default"),
    pytest.param(S366, MEMBER, LeaderForm.SWAPPED, "2B", id="366-member-2B-swapped"),
    pytest.param(S366, LEADER, LeaderForm.SWAPPED, "2A", id="366-leader-2A-swapped"),
])
def test_the_form_of_each_kind(scheme, kind, setting, form):
    assert scheme.form_for(kind, setting) == form


def test_the_default_form_setting_is_guidance_25():
    assert S366.form_for(LEADER) == "2B" and S366.form_for(MEMBER) == "2A"


def _label(scheme, kind, code) -> str:
    return next(str(c.label) for c in scheme.criteria_for(kind) if c.code == code)


def test_grade_errors_complete_grades_are_clean():
    assert grade_errors(S124, MEMBER, dict.fromkeys(MEMBER_124, "T")) == []
    assert grade_errors(S124, COLLECTIVE, dict.fromkeys(COLLECTIVE_124, "K")) == []
    assert grade_errors(S366, MEMBER, GENERAL_29 | {"tasks": "70"}) == []
    assert grade_errors(S366, COLLECTIVE, {"building": 10, "organization": "0", "inspection": "9.5",
                                           "tasks": 70}) == []


def test_grade_errors_report_missing_criteria():
    grades = dict.fromkeys(MEMBER_124, "X") | {"s144_2": ""}
    del grades["tasks"]
    errors = grade_errors(S124, MEMBER, grades)
    assert [e.code for e in errors] == ["grades_missing"]
    assert errors[0].params["missing"] == ", ".join([_label(S124, MEMBER, "s144_2"), _label(S124, MEMBER, "tasks")])
    leader = grade_errors(S124, LEADER, dict.fromkeys(MEMBER_124, "X"))  # leaders also grade their leadership
    assert [e.code for e in leader] == ["grades_missing"]
    assert leader[0].params["missing"] == _label(S124, LEADER, "leadership")
    assert [e.code for e in grade_errors(S366, COLLECTIVE, {})] == ["grades_missing"]


@pytest.mark.parametrize("value", ["A", "Xuất sắc", "1", "XT"])
def test_grade_errors_report_a_value_that_is_not_a_grade(value):
    errors = grade_errors(S124, MEMBER, dict.fromkeys(MEMBER_124, "X") | {"politics": value})
    assert [e.code for e in errors] == ["grade_invalid"]
    assert errors[0].params == {"criterion": _label(S124, MEMBER, "politics"), "value": value}


@pytest.mark.parametrize(("code", "value", "maximum"), [
    pytest.param("tasks", "70.01", 70, id="tasks-over-70"),
    pytest.param("tasks", 71, 70, id="tasks-71"),
    pytest.param("ethics", "5.5", 5, id="general-criterion-over-5"),
])
def test_grade_errors_report_points_over_the_maximum(code, value, maximum):
    errors = grade_errors(S366, MEMBER, GENERAL_29 | {"tasks": "60", code: value})
    assert [e.code for e in errors] == ["points_over"]
    assert errors[0].params == {"criterion": _label(S366, MEMBER, code), "max": maximum}


def test_grade_errors_collective_points_over_10():
    errors = grade_errors(S366, COLLECTIVE, {"building": "10.5", "organization": 10, "inspection": 10, "tasks": 60})
    assert [(e.code, e.params["max"]) for e in errors] == [("points_over", 10)]


@pytest.mark.parametrize("value", ["abc", "-1", "NaN", "Infinity", "X"])
def test_grade_errors_report_points_that_are_not_points(value):
    errors = grade_errors(S366, MEMBER, GENERAL_29 | {"tasks": value})
    assert [e.code for e in errors] == ["grade_invalid"]


def test_grade_errors_missing_comes_first_and_kind_must_be_in_the_scheme():
    errors = grade_errors(S366, MEMBER, {"politics": "9", "ethics": "x"})
    assert [e.code for e in errors] == ["grades_missing", "points_over", "grade_invalid"]
    assert [e.code for e in grade_errors(S124, OUTSIDE, {})] == ["kind_not_in_scheme"]


# --- Consequences ---------------------------------------------------------------------


@pytest.mark.parametrize(("previous", "level", "listed"), [
    (NOT_COMPLETED, NOT_COMPLETED, True),
    (NOT_COMPLETED, COMPLETED, False),
    (NOT_COMPLETED, EXCELLENT, False),
    (COMPLETED, NOT_COMPLETED, False),
    (GOOD, NOT_COMPLETED, False),
    (None, NOT_COMPLETED, False),  # no rating the year before
    (NOT_COMPLETED, None, False),  # not yet decided this year
    ("", NOT_COMPLETED, False),
    (None, None, False),
    (COMPLETED, COMPLETED, False),
    (EXCELLENT, EXCELLENT, False),
])
def test_not_completed_twice(previous, level, listed):
    assert rules.not_completed_twice(previous, level) is listed


def test_not_completed_twice_over_every_pair():
    values = [*LEVELS, None]
    listed = [(a, b) for a in values for b in values if rules.not_completed_twice(a, b)]
    assert listed == [(NOT_COMPLETED, NOT_COMPLETED)]


@pytest.mark.parametrize(("head", "collective", "above"), [
    (EXCELLENT, GOOD, True),
    (EXCELLENT, NOT_COMPLETED, True),
    (GOOD, COMPLETED, True),
    (COMPLETED, NOT_COMPLETED, True),
    (GOOD, GOOD, False),
    (NOT_COMPLETED, NOT_COMPLETED, False),
    (GOOD, EXCELLENT, False),
    (NOT_COMPLETED, COMPLETED, False),
    (None, GOOD, False),  # the head not rated yet
    (EXCELLENT, None, False),  # the collective not rated yet
    ("", NOT_COMPLETED, False),
    (EXCELLENT, "", False),
])
def test_head_above_collective(head, collective, above):
    assert rules.head_above_collective(head, collective) is above


def test_head_above_collective_over_every_pair():
    # Rows: the head's level, columns: the collective's, best first. 1: the head is rated above.
    matrix = [[0, 1, 1, 1],
              [0, 0, 1, 1],
              [0, 0, 0, 1],
              [0, 0, 0, 0]]
    for i, head in enumerate(LEVELS):
        for j, collective in enumerate(LEVELS):
            assert rules.head_above_collective(head, collective) is bool(matrix[i][j]), (head, collective)


def test_rank_and_better():
    assert [rules.rank(level) for level in LEVELS] == [0, 1, 2, 3]
    assert rules.better(EXCELLENT, GOOD) and rules.better(COMPLETED, NOT_COMPLETED)
    assert not rules.better(GOOD, GOOD) and not rules.better(NOT_COMPLETED, EXCELLENT)
    assert rules.lower_of(GOOD, COMPLETED) == COMPLETED and rules.lower_of(EXCELLENT, EXCELLENT) == EXCELLENT
