"""Confidence votes (Regulation 96): the thresholds at their boundaries, who is left off the list, impossible
counts refused, and the consequences reaching the planning list and the responsibility ledger."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from common.actors import SYSTEM
from personnel import confidence, services
from personnel.confidence import LOW_HALF, LOW_TWO_THIRDS, OK, CadreCounts
from personnel.confidence_services import confidence_proposal, confidence_record
from personnel.models import ConfidenceResult, ConfidenceVote, EntryKind, PlanningEntry, ResponsibilityEntry

from ..factories import position
from .conftest import refused
from .test_views_flows import personnel_decision, selected

D = dt.date


@pytest.mark.parametrize(("low", "base", "expected"), [
    (4, 9, OK), (5, 9, LOW_HALF), (6, 9, LOW_TWO_THIRDS),  # 5 > 4.5; 6 = 2/3 of 9
    (5, 10, OK), (6, 10, LOW_HALF), (7, 10, LOW_TWO_THIRDS),  # exactly half is not "more than half"
    (0, 0, OK),
])
def test_the_thresholds_at_their_boundaries(low, base, expected):
    assert confidence.outcome(low, base) == expected


@pytest.mark.parametrize(("start", "retiring", "expected"), [
    (D(2025, 9, 1), False, ""), (D(2026, 1, 1), False, confidence.NEW_THIS_YEAR),
    (D(2025, 9, 1), True, confidence.RETIRING),
])
def test_who_is_left_off_the_year_s_list(start, retiring, expected):
    assert confidence.exemption(start=start, year=2026, retirement_notified=retiring) == expected


def test_impossible_counts():
    ok = CadreCounts(high=5, confidence=2, low=1, invalid=1)
    assert confidence.count_reasons(issued=9, returned=9, present=9, rows=[("A", ok)]) == []
    codes = [r.code for r in confidence.count_reasons(issued=10, returned=11, present=9, rows=[
        ("A", CadreCounts(high=5, confidence=2, low=1, invalid=0))])]
    assert codes == ["ballots_issued_over_present", "ballots_returned_over_issued", "confidence_counts_not_returned"]
    assert [r.code for r in confidence.count_reasons(issued=9, returned=9, present=9, rows=[
        ("A", CadreCounts(high=-1, confidence=9, low=1, invalid=0))])] == ["ballots_negative"]
    assert [r.code for r in confidence.count_reasons(issued=9, returned=9, present=9, rows=[])] == [
        "confidence_list_empty"]


def test_the_base_is_a_setting():
    assert confidence.base_of("returned", issued=9, returned=8, convened=10) == 8
    assert confidence.base_of("convened", issued=9, returned=8, convened=10) == 10
    with pytest.raises(ValueError):
        confidence.base_of("present", issued=9, returned=8, convened=10)


@pytest.mark.django_db
def test_the_proposal_leaves_out_the_retiring_and_the_new(committee):
    c = committee
    head_tenure = c.head.tenures.get(position__code="secretary")
    proposal = {p.tenure.person_id: p for p in confidence_proposal(c.org, D(2026, 3, 20), retiring={head_tenure.pk})}
    assert len(proposal) == 9 and proposal[c.head.pk].left_out == confidence.RETIRING
    assert proposal[c.head.pk].tenure.position.code == "secretary"  # the highest post of each
    assert {p.left_out for k, p in proposal.items() if k != c.head.pk} == {""}


@pytest.mark.django_db
def test_a_vote_is_refused_whole_on_a_bad_row(committee):
    c = committee
    meeting = c.meeting(D(2026, 3, 20))
    member = c.members[1].tenures.get(position__code="standing-member")
    other = c.members[2].tenures.get(position__code="standing-member")
    with refused("confidence_counts_not_returned"):
        confidence_record(organization=c.org, meeting=meeting, issued=9, returned=9, actor=c.clerk, rows=[
            (member.pk, CadreCounts(6, 2, 1, 0)), (other.pk, CadreCounts(6, 2, 0, 0))])
    with refused("not_permitted"):
        confidence_record(organization=c.org, meeting=meeting, issued=9, returned=9, actor=c.head_user,
                          rows=[(member.pk, CadreCounts(6, 2, 1, 0))])
    with refused("step_quorum"):
        confidence_record(organization=c.org, meeting=c.meeting(D(2026, 3, 21), absent=4), issued=5, returned=5,
                          actor=c.clerk, rows=[(member.pk, CadreCounts(3, 1, 1, 0))])
    head = c.head.tenures.get(position__code="secretary")
    with refused("confidence_left_out_retiring"):
        confidence_record(organization=c.org, meeting=meeting, issued=9, returned=9, actor=c.clerk,
                          retiring={head.pk}, rows=[(head.pk, CadreCounts(6, 2, 1, 0))])
    assert not ConfidenceVote.objects.exists() and not ConfidenceResult.objects.exists()


@pytest.mark.django_db
def test_over_half_low_ends_higher_planning_and_reaches_the_nominator_s_ledger(committee, province):
    c = committee
    n = selected(c)
    services.nomination_appoint(nomination=n, decision=personnel_decision(c), start=D(2026, 4, 1), actor=SYSTEM)
    services.planning_add(organization=c.org, person=c.nominee, position=position("secretary"), term="2025-2030",
                          added_on=D(2026, 5, 1), added_ref="20-QĐ/TU", added_by=province.root, actor=SYSTEM)
    with time_machine.travel(dt.datetime(2027, 4, 1, 9, tzinfo=dt.UTC), tick=False):
        meeting = c.meeting(D(2027, 3, 20))
        proposal = {p.tenure.person_id: p for p in confidence_proposal(c.org, D(2027, 3, 20))}
        deputy = proposal[c.nominee.pk].tenure
        assert deputy.position.code == "deputy-secretary" and proposal[c.nominee.pk].left_out == ""
        steady = proposal[c.members[1].pk].tenure
        vote = confidence_record(organization=c.org, meeting=meeting, issued=9, returned=9, actor=c.clerk, rows=[
            (deputy.pk, CadreCounts(high=1, confidence=2, low=6, invalid=0)),
            (steady.pk, CadreCounts(high=6, confidence=2, low=1, invalid=0))])
    results = {r.person_id: r for r in vote.results.all()}
    low = results[c.nominee.pk]
    assert (low.outcome, low.base, vote.base_rule) == (LOW_TWO_THIRDS, 9, "returned")
    assert low.reasons[0]["code"] == "confidence_low_two_thirds" and low.reasons[0]["cite"]["code"] == "96-QĐ/TW"
    assert results[c.members[1].pk].outcome == OK and results[c.members[1].pk].reasons == []
    secretary = PlanningEntry.objects.get(person=c.nominee, position__code="secretary")
    assert secretary.removed_on == D(2027, 3, 20) and "6/9" in secretary.removal_reason
    kept = PlanningEntry.objects.get(person=c.nominee, position__code="deputy-secretary")
    assert kept.removed_on is None  # not a higher post than the one judged
    from personnel.checking import standards_facts

    assert standards_facts(n, D(2027, 3, 25)).confidence == (D(2027, 3, 20), 6, 9, LOW_TWO_THIRDS)
    assert standards_facts(n, D(2027, 3, 19)).confidence is None  # as it stood before the vote
    entry = ResponsibilityEntry.objects.get(nomination=n, kind=EntryKind.LOW_CONFIDENCE)
    assert entry.nominator_id == c.head.pk and entry.data["outcome"] == LOW_TWO_THIRDS
    assert entry.data["planning_ended"] == [secretary.pk]
    with refused("confidence_meeting_used"), time_machine.travel(dt.datetime(2027, 4, 1, 9, tzinfo=dt.UTC)):
        confidence_record(organization=c.org, meeting=meeting, issued=9, returned=9, actor=c.clerk,
                          rows=[(steady.pk, CadreCounts(6, 2, 1, 0))])


@pytest.mark.django_db
def test_the_base_follows_the_province_s_setting(committee, settings):
    c = committee
    settings.PERSONNEL_CONFIDENCE_BASE = "convened"
    member = c.members[1].tenures.get(position__code="standing-member")
    rows = [(member.pk, CadreCounts(high=2, confidence=1, low=4, invalid=0))]
    vote = confidence_record(organization=c.org, meeting=c.meeting(D(2026, 3, 20), absent=2), issued=7, returned=7,
                             actor=c.clerk, rows=rows)
    result = vote.results.get()
    assert (vote.base_rule, result.base, result.outcome) == ("convened", 9, OK)  # 4 of 9 is not over half
    settings.PERSONNEL_CONFIDENCE_BASE = "returned"
    vote = confidence_record(organization=c.org, meeting=c.meeting(D(2026, 3, 21), absent=2), issued=7, returned=7,
                             actor=c.clerk, rows=rows)
    assert (vote.base_rule, vote.results.get().base, vote.results.get().outcome) == ("returned", 7, LOW_HALF)
