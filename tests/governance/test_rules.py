"""Quorum and majority: the worked examples of RULES.md and properties of the arithmetic."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance import rules
from regulations.citations import resolve


def test_an_eleven_member_body():
    """RULES.md: 7 present is below a 2/3 quorum; 8 present with 5 in favour fails; 6 passes."""
    assert rules.quorum_needed(11) == 8
    seven = rules.check_vote(in_office=11, present=7, votes_for=7)
    assert [f.code for f in seven.failures] == ["quorum"]
    assert "Chỉ có 7/11 thành viên có mặt; cần ít nhất 8." in seven.failures[0].message
    five = rules.check_vote(in_office=11, present=8, votes_for=5, votes_against=3)
    assert [f.code for f in five.failures] == ["majority"]
    assert "cần ít nhất 6" in five.failures[0].message
    assert rules.check_vote(in_office=11, present=8, votes_for=6, votes_against=2).valid


def test_the_base_is_members_in_office_not_those_present():
    # 5 votes never carry in an 11-member body, however many are present (RULES.md, Charter 12.3)
    assert not rules.majority_passed(5, 11)
    assert rules.majority_passed(6, 11)
    assert not rules.majority_passed(5, 10)  # exactly half is not more than half
    assert rules.majority_passed(6, 10)


def test_a_recused_member_neither_votes_nor_counts_in_the_base():
    check = rules.check_vote(in_office=9, present=9, recused=1, votes_for=5, votes_against=3)
    assert check.valid and check.votes_needed == 5  # more than half of 8
    over = rules.check_vote(in_office=9, present=9, recused=1, votes_for=5, votes_against=4)
    assert [f.code for f in over.failures] == ["count_votes_over_voters"]  # the recused member cannot have voted


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"in_office": 5, "present": 6, "votes_for": 3}, "Số có mặt (6) nhiều hơn"),
    ({"in_office": 5, "present": 4, "votes_for": 3, "votes_against": 2}, "Tổng số phiếu (5)"),
    ({"in_office": 5, "present": 4, "votes_for": -1}, "không được âm"),
])
def test_impossible_counts_are_refused_with_a_reason(kwargs, message):
    check = rules.check_vote(**kwargs)
    assert not check.valid and message in check.failures[0].message


@pytest.mark.django_db
def test_failures_cite_provisions_of_the_catalog():
    check = rules.check_vote(in_office=11, present=7, votes_for=5)
    assert {str(f.citation) for f in check.failures} == {"Khoản 1 Điều 21 Quy định 80-QĐ/TW",
                                                         "Khoản 5 Điều 9 Điều lệ Đảng"}
    for failure in check.failures:
        assert failure.citation.resolve() == resolve(failure.citation.code, failure.citation.ref)


sizes = st.integers(min_value=1, max_value=500)
fractions = st.fractions(min_value=Fraction(1, 10), max_value=Fraction(9, 10), max_denominator=20)


@given(sizes, fractions)
def test_quorum_needed_is_the_smallest_count_reaching_the_fraction(n, q):
    k = rules.quorum_needed(n, q)
    assert Fraction(k, n) >= q
    assert k == 0 or Fraction(k - 1, n) < q
    assert rules.quorum_met(k, n, q) and not rules.quorum_met(k - 1, n, q)


@given(sizes, fractions)
def test_votes_needed_is_the_smallest_count_strictly_above_the_threshold(n, t):
    v = rules.votes_needed(n, t)
    assert Fraction(v, n) > t
    assert Fraction(v - 1, n) <= t


@given(sizes, st.data())
def test_one_more_vote_in_favour_never_turns_a_valid_vote_invalid(n, data):
    present = data.draw(st.integers(min_value=0, max_value=n))
    votes_for = data.draw(st.integers(min_value=0, max_value=max(0, present - 1)))
    before = rules.check_vote(in_office=n, present=present, votes_for=votes_for)
    after = rules.check_vote(in_office=n, present=present, votes_for=votes_for + 1)
    if before.valid:
        assert after.valid


@given(sizes)
def test_more_than_half_means_twice_the_votes_exceed_the_base(n):
    for votes in range(n + 1):
        assert rules.majority_passed(votes, n) == (2 * votes > n)
