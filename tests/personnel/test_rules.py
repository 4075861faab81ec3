"""The pure rules of personnel work: thresholds, quorum, impossible counts, the steps, the pilot, planning."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from personnel import rules
from personnel.rules import Counts, Threshold, outcome

NOMINEE, OTHER, THIRD, FOURTH = 101, 102, 103, 104


def members(n: int) -> Threshold:
    return Threshold(Fraction(1, 2), n, "members", "377-QĐ/TW", "")


def minutes(votes: dict[int, int], present: int = 9, invalid: int = 0) -> Counts:
    return Counts(issued=present, returned=present, valid=present - invalid, invalid=invalid,
                  votes=tuple(votes.items()))


def select(votes: dict[int, int], base: int = 9, half_rule: str = "head_decides") -> rules.Outcome:
    return outcome(mode="select", nominee=NOMINEE, counts=minutes(votes, present=base), threshold=members(base),
                   half_rule=half_rule)


def final(votes: int, base: int = 9, present: int | None = None, half_rule: str = "head_decides",
          mode: str = "final") -> str:
    return outcome(mode=mode, nominee=NOMINEE, counts=minutes({NOMINEE: votes}, present=present or base),
                   threshold=members(base), half_rule=half_rule).result


# --- more than half -------------------------------------------------------------------------------------


@given(base=st.integers(min_value=1, max_value=500), votes=st.integers(min_value=0, max_value=500))
def test_more_than_half_is_exact_arithmetic(base, votes):
    threshold = members(base)
    assert threshold.passed(votes) == (2 * votes > base)
    assert threshold.exactly(votes) == (2 * votes == base)
    assert threshold.needed == base // 2 + 1
    assert not (threshold.passed(votes) and threshold.exactly(votes))


def test_an_empty_base_passes_nobody():
    assert not members(0).passed(0) and not members(0).passed(3) and not members(0).exactly(0)


def test_more_than_half_of_all_members_not_of_those_present():
    # 9 members in office, 6 present: 4 votes are two thirds of those present and still not more than half of 9.
    assert final(4, base=9, present=6) == "not_passed"
    assert final(5, base=9, present=6) == "passed"
    assert outcome(mode="select", nominee=NOMINEE, counts=minutes({NOMINEE: 4}, present=6),
                   threshold=members(9)).result == "not_passed"


@pytest.mark.parametrize("mode", ["final", "agree"])
def test_the_final_vote_and_an_agreement_need_more_than_half_of_members(mode):
    assert final(6, base=10, mode=mode) == "passed"
    assert final(4, base=10, mode=mode) == "not_passed"
    assert final(5, base=10, mode=mode) == "tie"
    assert final(5, base=10, mode=mode, half_rule="not_passed") == "not_passed"


def test_the_external_step_2_counts_more_than_half_of_those_convened():
    cited = rules.PROCEDURE
    threshold = rules.threshold_for("works", members=25, convened=12, cited=cited)
    assert (threshold.base, threshold.base_kind, threshold.needed) == (12, "convened", 7)
    assert outcome(mode="works", nominee=NOMINEE, counts=minutes({NOMINEE: 7}, present=12),
                   threshold=threshold).result == "passed"
    assert outcome(mode="works", nominee=NOMINEE, counts=minutes({NOMINEE: 6}, present=12),
                   threshold=threshold).result == "tie"
    final_threshold = rules.threshold_for("final", members=25, convened=12, cited=cited)
    assert (final_threshold.base, final_threshold.base_kind) == (25, "members")
    assert rules.threshold_for("conference", members=9, convened=9, cited=cited) is None
    assert rules.threshold_for("introduction", members=9, convened=9, cited=cited) is None


def test_the_threshold_keeps_its_citation():
    threshold = rules.threshold_for("select", members=9, convened=9, cited=rules.ART_4)
    assert threshold.to_json() == {"num": 1, "den": 2, "base": 9, "base_kind": "members", "needed": 5,
                                   "cite": {"code": "142-QĐ/TW", "ref": "4"}}


# --- step 3 -----------------------------------------------------------------------------------------------


def test_step_3_the_most_votes_and_more_than_half_is_selected():
    result = select({NOMINEE: 5, OTHER: 3})
    assert (result.result, result.going_on, result.reasons) == ("selected", [NOMINEE], [])


def test_step_3_another_candidate_selected_means_the_nominee_is_not():
    assert select({NOMINEE: 3, OTHER: 6}).result == "not_passed"


def test_step_3_nobody_over_half_sends_the_two_highest_on():
    result = select({NOMINEE: 4, OTHER: 3, THIRD: 2})
    assert (result.result, sorted(result.going_on), result.reasons) == ("top_two", [NOMINEE, OTHER], [])
    # the nominee third: not among those going on
    result = select({OTHER: 4, THIRD: 3, NOMINEE: 2})
    assert result.result == "not_passed" and sorted(result.going_on) == [OTHER, THIRD]


def test_step_3_all_tied_for_second_go_on_with_a_warning():
    result = select({OTHER: 4, NOMINEE: 2, THIRD: 2, FOURTH: 1})
    assert result.result == "top_two"
    assert sorted(result.going_on) == sorted([OTHER, NOMINEE, THIRD])
    assert [r.code for r in result.reasons] == ["step_tie_for_second"] and result.reasons[0].params == {"n": 3}


def test_step_3_two_tied_at_the_top_under_half_both_go_on():
    result = select({NOMINEE: 4, OTHER: 4, THIRD: 1})
    assert result.result == "top_two" and sorted(result.going_on) == [NOMINEE, OTHER] and not result.reasons


def test_step_3_exactly_half_is_a_tie_the_head_settles_or_not_passed():
    assert select({NOMINEE: 5}, base=10).result == "tie"
    assert select({NOMINEE: 5, OTHER: 3}, base=10).result == "tie"
    assert select({NOMINEE: 5}, base=10, half_rule="not_passed").result == "not_passed"
    # "not passed": nobody has more than half, so the two highest go on
    assert select({NOMINEE: 5, OTHER: 3}, base=10, half_rule="not_passed").result == "top_two"


def test_step_3_a_single_candidate_short_of_half_is_not_selected():
    assert select({NOMINEE: 4}).result == "not_passed"


@given(votes=st.dictionaries(st.sampled_from([NOMINEE, OTHER, THIRD, FOURTH]), st.integers(0, 9), min_size=1))
def test_step_3_result_follows_the_counts(votes):
    votes.setdefault(NOMINEE, 0)
    result = select(votes, base=9)
    top = max(votes.values())
    leaders = [p for p, v in votes.items() if v == top]
    if result.result == "selected":
        assert leaders == [NOMINEE] and 2 * top > 9
    if 2 * votes[NOMINEE] > 9 and leaders == [NOMINEE]:
        assert result.result == "selected"
    if result.result == "top_two":
        assert NOMINEE in result.going_on and len(result.going_on) >= 2
        assert all(votes[p] >= sorted(votes.values(), reverse=True)[1] for p in result.going_on)


# --- quorum ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("convened", "needed"), [(9, 6), (10, 7), (3, 2), (12, 8), (1, 1), (11, 8)])
def test_two_thirds_present_rounds_up(convened, needed):
    assert rules.quorum_needed(convened) == needed


@given(convened=st.integers(1, 400), present=st.integers(0, 400))
def test_two_thirds_present_is_exact(convened, present):
    reasons = rules.quorum_reasons(present=present, convened=convened, on="2026-03-02")
    assert (not reasons) == (3 * present >= 2 * convened)
    assert rules.quorum_needed(convened) == math.ceil(Fraction(2 * convened, 3))


def test_a_quorum_refusal_names_the_numbers_and_cites_the_text_given():
    (reason,) = rules.quorum_reasons(present=5, convened=9, on="2025-03-02", cited=rules.QUORUM)
    assert reason.code == "step_quorum" and reason.params == {"present": 5, "convened": 9, "needed": 6}
    assert (reason.cite_code, reason.cite_ref) == ("80-QĐ/TW", "21.1")
    assert rules.quorum_reasons(present=0, convened=0, on="2026-01-01")  # nobody convened is no meeting


# --- impossible counts ------------------------------------------------------------------------------------


def codes(counts: Counts, present: int = 9) -> list[str]:
    return [r.code for r in rules.count_reasons(counts, present=present)]


def test_possible_counts_pass():
    assert codes(Counts(9, 9, 8, 1, ((NOMINEE, 8), (OTHER, 0)))) == []
    assert codes(Counts(7, 6, 6, 0, ((NOMINEE, 6),))) == []


@pytest.mark.parametrize(("counts", "code"), [
    (Counts(9, 10, 10, 0, ((NOMINEE, 5),)), "ballots_returned_over_issued"),
    (Counts(9, 9, 7, 1, ((NOMINEE, 5),)), "ballots_valid_invalid_not_returned"),
    (Counts(9, 9, 9, 1, ((NOMINEE, 5),)), "ballots_valid_invalid_not_returned"),
    (Counts(9, 9, 8, 1, ((NOMINEE, 9),)), "ballots_votes_over_valid"),
    (Counts(10, 9, 9, 0, ((NOMINEE, 5),)), "ballots_issued_over_present"),
    (Counts(9, 9, 9, -1, ((NOMINEE, 5),)), "ballots_negative"),
    (Counts(9, 9, 9, 0, ((NOMINEE, -1),)), "ballots_negative"),
    (Counts(9, 9, 9, 0, ((NOMINEE, 5), (NOMINEE, 3))), "ballots_candidate_twice"),
])
def test_impossible_counts_are_refused(counts, code):
    assert code in codes(counts)


def test_an_impossible_count_names_its_numbers():
    (reason,) = rules.count_reasons(Counts(9, 10, 10, 0, ((NOMINEE, 5),)), present=12)
    assert reason.params == {"returned": 10, "issued": 9}
    (reason,) = rules.count_reasons(Counts(9, 9, 8, 1, ((OTHER, 9),)), present=9)
    assert reason.params == {"person": OTHER, "votes": 9, "valid": 8}


@given(issued=st.integers(0, 30), returned=st.integers(0, 30), valid=st.integers(0, 30), invalid=st.integers(0, 30),
       votes=st.integers(0, 30), present=st.integers(0, 30))
def test_counts_are_refused_exactly_when_impossible(issued, returned, valid, invalid, votes, present):
    possible = (issued <= present and returned <= issued and valid + invalid == returned and votes <= valid)
    assert (codes(Counts(issued, returned, valid, invalid, ((NOMINEE, votes),)), present=present) == []) == possible


def test_no_result_without_a_threshold_for_a_vote():
    with pytest.raises(ValueError):
        outcome(mode="final", nominee=NOMINEE, counts=minutes({NOMINEE: 5}), threshold=None)


def test_an_unknown_half_rule_is_refused():
    with pytest.raises(ValueError):
        final(5, base=10, half_rule="toss_a_coin")


# --- the steps --------------------------------------------------------------------------------------------


def shape(kind: str, source: str) -> list[tuple[int, str, str]]:
    return [(s.number, s.code, s.mode) for s in rules.steps_for(kind, source)]


@pytest.mark.parametrize("kind", ["election", "deputy"])
def test_art_3_replaces_step_1_of_the_standard_procedure(kind):
    assert shape(kind, "internal") == [(1, "head_introduces", "introduction"), (2, "wider_conference", "conference"),
                                       (3, "leadership_nominates", "select"), (4, "key_cadres", "conference"),
                                       (5, "leadership_votes", "final")]
    assert shape(kind, "external") == [(1, "head_introduces", "introduction"),
                                       (2, "where_nominee_works", "works"), (3, "appraisal_and_vote", "final")]
    first = rules.steps_for(kind, "internal")[0]
    assert (first.cite.code, first.cite.ref) == ("142-QĐ/TW", "3")


def test_the_standard_procedure_starts_with_a_leadership_meeting():
    assert shape("standard", "internal") == [
        (1, "leadership_agrees", "agree"), (2, "wider_conference", "conference"),
        (3, "leadership_nominates", "select"), (4, "key_cadres", "conference"), (5, "leadership_votes", "final")]
    assert shape("standard", "external") == [(1, "leadership_agrees", "agree"), (2, "where_nominee_works", "works"),
                                             (3, "appraisal_and_vote", "final")]
    steps = rules.steps_for("standard", "internal")
    assert all(s.cite == rules.PROCEDURE for s in steps)
    assert set(steps[0].bodies) == set(rules.LEADERSHIP)
    assert steps[1].confidential and not any(s.confidential for s in steps[2:])
    assert rules.steps_for("standard", "external")[1].where == "nominee"


@pytest.mark.parametrize("source", ["internal", "external"])
def test_art_4_the_standing_then_the_executive(source):
    steps = rules.steps_for("standing_seat", source)
    assert [(s.number, s.code, s.mode, s.bodies) for s in steps] == [
        (1, "head_proposes", "introduction", ()), (2, "standing_submits", "agree", ("standing",)),
        (3, "executive_votes", "final", ("executive",))]
    assert {(s.cite.code, s.cite.ref) for s in steps} == {("142-QĐ/TW", "4")}


@pytest.mark.parametrize("kind", ["subordinate_head", "subordinate_dismissal"])
@pytest.mark.parametrize("source", ["internal", "external"])
def test_art_5_after_agreement_with_the_collective(kind, source):
    steps = rules.steps_for(kind, source)
    assert [(s.number, s.code, s.mode) for s in steps] == [(1, "head_proposes", "introduction"),
                                                           (2, "collective_agrees", "final")]
    assert {(s.cite.code, s.cite.ref) for s in steps} == {("142-QĐ/TW", "5")}
    assert rules.last_step(kind, source) == 2


def test_an_unknown_kind_or_source_has_no_steps():
    with pytest.raises(ValueError):
        rules.steps_for("by_lot", "internal")
    with pytest.raises(ValueError):
        rules.steps_for("deputy", "nowhere")
    assert rules.step_spec("deputy", "internal", 6) is None
    assert rules.step_spec("deputy", "internal", 3).code == "leadership_nominates"


def test_every_step_code_has_a_label():
    from personnel.reasons import STEP_LABELS

    kinds = ["election", "deputy", "standing_seat", "subordinate_head", "subordinate_dismissal", "standard"]
    assert {s.code for k in kinds for src in ("internal", "external") for s in rules.steps_for(k, src)} \
        <= set(STEP_LABELS)


# --- the pilot --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "depth", "parent", "level"), [
    ("provincial", 1, None, "provincial"),
    ("subordinate", 2, "provincial", "subordinate"),
    ("commune", 2, "provincial", "commune"),
    ("grassroots_committee", 3, "subordinate", "grassroots"),
    ("grassroots_cell", 3, "subordinate", "grassroots"),
    ("cell", 4, "grassroots", "grassroots"),
    ("agency", 2, "provincial", "subordinate"),
    ("agency", 3, "subordinate", "subordinate"),
    ("agency", 3, "commune", "commune"),
    ("agency", 4, "grassroots", "grassroots"),
])
def test_level_of(kind, depth, parent, level):
    assert rules.level_of(kind, depth, parent) == level


DEFAULT_SCOPE = ("provincial", "subordinate")


def pilot(level: str = "subordinate", scope=DEFAULT_SCOPE, in_force: bool = True, kind: str = "deputy"):
    return rules.pilot_reasons(level=level, scope=scope, in_force=in_force, ends_on="2029-04-23", on="2026-03-02",
                               kind=kind)


def test_the_pilot_scope_is_a_setting_communes_off_by_default():
    from django.conf import settings

    assert tuple(settings.PERSONNEL_PILOT_SCOPE) == DEFAULT_SCOPE
    assert pilot("provincial") == [] and pilot("subordinate") == []
    (reason,) = pilot("commune")
    assert reason.code == "pilot_out_of_scope" and reason.params == {"level": "commune", "scope": list(DEFAULT_SCOPE)}
    assert (reason.cite_code, reason.cite_ref) == ("142-QĐ/TW", "")
    assert pilot("commune", scope=(*DEFAULT_SCOPE, "commune")) == []
    assert [r.code for r in pilot("grassroots", scope=(*DEFAULT_SCOPE, "commune"))] == ["pilot_out_of_scope"]


def test_the_pilot_ended_is_refused_with_its_end():
    (reason,) = pilot(in_force=False)
    assert reason.code == "pilot_not_in_force" and reason.params == {"d": "2026-03-02", "end": "2029-04-23"}
    assert {r.code for r in pilot("grassroots", in_force=False)} == {"pilot_not_in_force", "pilot_out_of_scope"}


def test_the_standard_procedure_needs_no_pilot():
    assert pilot("grassroots", in_force=False, kind="standard") == []


# --- planning ---------------------------------------------------------------------------------------------

SECRETARY, DEPUTY, STANDING = 10, 20, 30


@pytest.mark.parametrize(("source", "same", "other", "met"), [
    ("internal", [DEPUTY], [], True),  # planned for the post
    ("internal", [SECRETARY], [], True),  # for a higher post
    ("internal", [STANDING], [], False),  # for a lower post only
    ("internal", [], [DEPUTY], False),  # planned elsewhere does not count for an internal candidate
    ("internal", [], [], False),
    ("external", [], [DEPUTY], True),  # planned elsewhere for an equivalent post
    ("external", [], [SECRETARY], True),
    ("external", [], [STANDING], False),
    ("external", [DEPUTY], [], True),
    ("external", [], [], False),
])
def test_planning_met(source, same, other, met):
    assert rules.planning_met(source=source, post_rank=DEPUTY, same_org_ranks=same, other_org_ranks=other) is met
