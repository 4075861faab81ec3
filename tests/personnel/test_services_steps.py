"""The steps of a nomination: the right body, 2/3 present, possible counts, the result from the counts only,
its citation dated by the meeting, rejection, the tie the head settles, and the snapshot of who was there."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from common.actors import SYSTEM
from organizations.models import RoleKind
from organizations.services import role_grant, tenure_end
from personnel import services
from personnel.models import NominationState, ProcedureStep, ResponsibilityEntry, StepResult
from personnel.rules import Counts

from ..factories import PersonFactory, TenureFactory, UserFactory, position
from .conftest import counts, nothing_recorded, refused, through_steps

pytestmark = pytest.mark.django_db
D = dt.date


def ledger(n) -> list[str]:
    return list(ResponsibilityEntry.objects.filter(nomination=n).order_by("seq").values_list("kind", flat=True))


def test_each_steps_threshold_cites_the_text_in_force_on_the_meeting_day(committee, province):
    c = committee
    services.planning_add(organization=c.org, person=c.members[4], position=position("deputy-secretary"),
                          term="2025-2030", added_on=D(2025, 9, 10), added_ref="9-QĐ/TU", added_by=province.root,
                          actor=SYSTEM)
    n = c.introduced(on=D(2025, 9, 20), nominee=c.members[4])
    steps = [services.step_record(nomination=n, meeting=c.meeting(day), counts=counts(9, {c.members[4].pk: 7}),
                                  actor=c.clerk)
             for day in (D(2025, 10, 1), D(2025, 10, 7), D(2025, 10, 8), D(2025, 10, 20))]
    cites = [s.threshold["cite"]["code"] for s in steps]
    assert cites == ["80-QĐ/TW", "80-QĐ/TW", "377-QĐ/TW", "377-QĐ/TW"]
    assert n.steps.get(number=1).threshold["cite"] == {"code": "142-QĐ/TW", "ref": "3"}
    assert steps[1].threshold == {"num": 1, "den": 2, "base": 9, "base_kind": "members", "needed": 5,
                                  "cite": {"code": "80-QĐ/TW", "ref": ""}, "half_rule": "head_decides",
                                  "quorum_needed": 6}
    assert [s.result for s in steps] == ["recorded", "selected", "recorded", "passed"]


@pytest.mark.parametrize(("day", "cite"), [(D(2025, 10, 7), ("80-QĐ/TW", "21.1")), (D(2026, 3, 9), ("377-QĐ/TW", ""))])
def test_two_thirds_present_or_nothing_is_recorded(committee, province, day, cite):
    c = committee
    services.planning_add(organization=c.org, person=c.members[4], position=position("deputy-secretary"),
                          term="2025-2030", added_on=D(2025, 9, 10), added_ref="9-QĐ/TU", added_by=province.root,
                          actor=SYSTEM)
    n = c.introduced(on=D(2025, 9, 20), nominee=c.members[4])
    with nothing_recorded(), refused("step_quorum") as info:
        services.step_record(nomination=n, meeting=c.meeting(day, absent=4), counts=counts(5, {c.members[4].pk: 5}),
                             actor=c.clerk)
    (reason,) = info.value.reasons
    assert reason.params == {"present": 5, "convened": 9, "needed": 6}
    assert (reason.cite_code, reason.cite_ref) == cite
    n.refresh_from_db()
    assert (n.state, n.current_step) == (NominationState.INTRODUCED, 1)
    step = services.step_record(nomination=n, meeting=c.meeting(day, absent=3), counts=counts(6, {c.members[4].pk: 4}),
                                actor=c.clerk)
    assert (step.number, len(step.convened), len(step.present)) == (2, 9, 6)


@pytest.mark.parametrize("bad", [
    Counts(9, 10, 10, 0, ()),  # returned over issued
    Counts(9, 9, 7, 1, ()),  # valid + invalid is not returned
    Counts(9, 9, 8, 1, ((0, 9),)),  # votes over the valid ballots
    Counts(10, 9, 9, 0, ()),  # issued over those present
    Counts(9, 9, 9, 0, ((0, -1),)),  # negative
    Counts(9, 9, 9, 0, ((0, 5), (0, 4))),  # a candidate twice
])
def test_impossible_counts_are_refused_and_nothing_is_recorded(committee, bad):
    c = committee
    n = c.introduced()
    bad = Counts(bad.issued, bad.returned, bad.valid, bad.invalid,
                 tuple((c.nominee.pk, v) for _, v in bad.votes) or ((c.nominee.pk, 5),))
    for day in (D(2026, 3, 9), D(2026, 3, 16)):  # at step 2 (a conference) and at step 3 (a vote)
        meeting = c.meeting(day)
        with nothing_recorded(), refused() as info:
            services.step_record(nomination=n, meeting=meeting, counts=bad, actor=c.clerk)
        assert info.value.codes and all(code.startswith("ballots_") for code in info.value.codes)
        if n.current_step == 1:
            services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)
            n.refresh_from_db()
    assert n.steps.count() == 2


def test_one_meeting_is_one_step(committee):
    c = committee
    n = c.introduced()
    meeting = c.meeting(D(2026, 3, 9))
    services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)
    with nothing_recorded(), refused("step_meeting_used") as info:
        services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)
    assert info.value.reasons[0].params == {"n": 2, "d": "2026-03-09"}
    assert "bước 2" in str(info.value)


def test_the_nominee_must_be_in_the_count_and_every_candidate_known(committee):
    c = committee
    n = c.introduced()
    through_steps(c, n, [6])
    with nothing_recorded(), refused("step_nominee_not_counted"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(9, {c.members[5].pk: 6}),
                             actor=c.clerk)
    with nothing_recorded(), refused("step_candidate_unknown"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)),
                             counts=counts(9, {c.nominee.pk: 6, 987654: 2}), actor=c.clerk)


def test_no_override_the_result_is_the_computed_one(committee):
    c = committee
    assert "result" not in inspect.signature(services.step_record).parameters
    assert not {"result", "passed", "selected"} & set(inspect.signature(services.step_settle_tie).parameters) - {
        "selected"}
    n = c.introduced()
    through_steps(c, n, [9])
    with pytest.raises(TypeError):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(9, {c.nominee.pk: 4}),
                             actor=c.clerk, result=StepResult.SELECTED)
    assert n.steps.count() == 2
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(9, {c.nominee.pk: 4}),
                                actor=c.clerk, note="Đề nghị ghi là được lựa chọn")
    assert step.result == StepResult.NOT_PASSED  # 4 of 9 members is not more than half, whatever the note says
    assert ProcedureStep.objects.get(pk=step.pk).result == StepResult.NOT_PASSED


def test_rejection_closes_the_nomination_with_its_vote_in_the_ledger(committee):
    c = committee
    n = c.introduced()
    step2, step3 = through_steps(c, n, [6, 4])
    assert (n.state, n.closed_on) == (NominationState.REJECTED, step3.held_on)
    assert ledger(n) == ["introduced", "step", "step", "rejected"]
    rejected = ResponsibilityEntry.objects.get(nomination=n, kind="rejected")
    assert rejected.data["votes"] == [[c.nominee.pk, 4]] and rejected.data["step"] == 3
    assert rejected.data["threshold"]["needed"] == 5 and rejected.nominator_id == c.head.pk
    with nothing_recorded(), refused("nomination_not_in_steps"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 30)), counts=counts(9, {c.nominee.pk: 9}),
                             actor=c.clerk)


def test_the_final_vote_failing_closes_it_as_not_passed(committee):
    c = committee
    n = c.introduced()
    steps = through_steps(c, n, [6, 6, 6, 4])
    assert [s.result for s in steps] == ["recorded", "selected", "recorded", "not_passed"]
    assert n.state == NominationState.REJECTED and ledger(n)[-1] == "rejected"


def test_step_3_without_a_majority_sends_the_two_highest_on(committee):
    c = committee
    n = c.introduced()
    through_steps(c, n, [6])
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)),
                                counts=counts(9, {c.nominee.pk: 4, c.members[5].pk: 3, c.members[6].pk: 2}),
                                actor=c.clerk)
    assert step.result == StepResult.TOP_TWO
    n.refresh_from_db()
    assert n.state == NominationState.AT_STEP and n.current_step == 3


def test_the_steps_of_a_withdrawn_nomination_are_closed(committee):
    c = committee
    n = c.introduced()
    services.nomination_withdraw(nomination=n, reason="Thay đổi cơ cấu", on=D(2026, 3, 5), actor=c.head_user)
    with nothing_recorded(), refused("nomination_not_in_steps"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9)), counts=counts(9, {c.nominee.pk: 6}),
                             actor=c.clerk)


def test_meeting_dates_and_bodies(committee, province):
    c = committee
    n = c.introduced()
    with refused("step_before_previous"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 1)), counts=counts(9, {c.nominee.pk: 6}),
                             actor=c.clerk)
    other = build_other(province)
    with refused("step_wrong_organization"):
        services.step_record(nomination=n, meeting=other.meeting(D(2026, 3, 9)),
                             counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)
    with refused("not_permitted"):  # the head does not enter the counts: the office does
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9)), counts=counts(9, {c.nominee.pk: 6}),
                             actor=c.head_user)


def build_other(province):
    from .conftest import build_committee

    return build_committee(province.sub_b, cell=province.cell_b, planned_by=province.root, suffix="b",
                           names="Ủy viên Khối B")


def test_a_step_is_recorded_by_the_office_with_bounded_queries(committee, django_assert_max_num_queries):
    c = committee
    n = c.introduced()
    meeting = c.meeting(D(2026, 3, 9))
    with django_assert_max_num_queries(32):  # six read the standards check's facts, one the voters' relatives
        services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)


# --- exactly half: the head decides ---------------------------------------------------------------------------


@pytest.fixture
def even(committee):
    """A tenth member of the executive: exactly half is possible there."""
    tenth = PersonFactory(full_name="Ủy viên Ban Chấp hành 10")
    TenureFactory(person=tenth, position=position("executive-member"), organization=committee.org,
                  body=committee.executive, start=D(2025, 9, 1))
    return committee


def _to_the_tie(c):
    n = c.introduced()
    through_steps(c, n, [6, 6, 6])
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 30), c.executive),
                                counts=counts(10, {c.nominee.pk: 5}), actor=c.clerk)
    n.refresh_from_db()
    return n, step


def test_exactly_half_waits_for_the_head(even):
    c = even
    n, step = _to_the_tie(c)
    assert step.result == StepResult.TIE and step.threshold["base"] == 10
    assert n.state == NominationState.AT_STEP and n.current_step == 5
    with refused("step_tie_pending"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 4, 6)), counts=counts(9, {c.nominee.pk: 9}),
                             actor=c.clerk)
    with nothing_recorded(), refused("not_permitted"):
        services.step_settle_tie(step=step, selected=True, actor=c.clerk)
    deputy = c.members[1]
    deputy.user = UserFactory(username="phobithu_a")
    deputy.save()
    role_grant(user=deputy.user, kind=RoleKind.HEAD, organization=c.org, actor=SYSTEM)
    with nothing_recorded(), refused("tie_not_head") as info:
        services.step_settle_tie(step=step, selected=True, actor=deputy.user)
    assert info.value.reasons[0].cite_code == "377-QĐ/TW"
    settled = services.step_settle_tie(step=step, selected=True, actor=c.head_user)
    assert (settled.result, settled.settled_by_id, settled.settled_selected) == (StepResult.TIE_SETTLED, c.head.pk,
                                                                                  True)
    n.refresh_from_db()
    assert n.state == NominationState.SELECTED
    assert ledger(n)[-2:] == ["tie_settled", "selected"]
    with refused("step_no_tie"):
        services.step_settle_tie(step=settled, selected=False, actor=c.head_user)


def test_the_head_may_settle_the_tie_against(even):
    c = even
    n, step = _to_the_tie(c)
    services.step_settle_tie(step=step, selected=False, actor=c.head_user)
    n.refresh_from_db()
    assert n.state == NominationState.REJECTED and ledger(n)[-2:] == ["tie_settled", "rejected"]
    assert ResponsibilityEntry.objects.get(nomination=n, kind="rejected").data["votes"] == [[c.nominee.pk, 5]]


def test_a_tie_on_a_withdrawn_nomination_is_not_settled(even):
    c = even
    n, step = _to_the_tie(c)
    services.nomination_withdraw(nomination=n, reason="Điều động công tác khác", on=D(2026, 4, 1), actor=c.clerk)
    with nothing_recorded(), refused("nomination_not_in_steps"):
        services.step_settle_tie(step=step, selected=True, actor=c.head_user)


def test_exactly_half_is_not_passed_when_the_province_says_so(even, settings):
    settings.PERSONNEL_HALF_VOTE = "not_passed"
    n, step = _to_the_tie(even)
    assert step.result == StepResult.NOT_PASSED and step.threshold["half_rule"] == "not_passed"
    assert n.state == NominationState.REJECTED


# --- the snapshot -------------------------------------------------------------------------------------


def test_a_steps_convened_and_present_do_not_change_when_a_tenure_ends(committee):
    c = committee
    n = c.introduced()
    (step,) = through_steps(c, n, [6])
    convened, present = list(step.convened), list(step.present)
    assert len(convened) == 9
    leaving = c.members[8]
    for tenure in leaving.tenures.filter(end__isnull=True):
        tenure_end(tenure=tenure, end=D(2026, 3, 12), actor=SYSTEM)
    step.refresh_from_db()
    assert (step.convened, step.present) == (convened, present) and leaving.pk in step.convened
    entry = ResponsibilityEntry.objects.get(nomination=n, kind="step")
    assert (entry.data["convened"], entry.data["present"]) == (9, 9)
    later = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(8, {c.nominee.pk: 5}),
                                 actor=c.clerk)
    assert len(later.convened) == 8 and later.threshold["base"] == 8 and later.result == StepResult.SELECTED


def test_the_base_is_all_members_not_those_present(committee):
    c = committee
    n = c.introduced()
    through_steps(c, n, [6])
    # 6 of 9 present: 4 votes are two thirds of those present, and not more than half of the 9 members
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16), absent=3),
                                counts=counts(6, {c.nominee.pk: 4}), actor=c.clerk)
    assert (step.result, step.threshold["base"], step.threshold["needed"], len(step.present)) == (
        StepResult.NOT_PASSED, 9, 5, 6)


def test_five_of_six_present_is_more_than_half_of_nine(committee):
    c = committee
    n = c.introduced()
    through_steps(c, n, [6])
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16), absent=3),
                                counts=counts(6, {c.nominee.pk: 5}), actor=c.clerk)
    assert step.result == StepResult.SELECTED
