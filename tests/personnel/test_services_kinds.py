"""Every kind of nomination through its steps: election and deputy (Art. 3), a standing-committee seat (Art. 4),
the head of a directly subordinate unit and its dismissal (Art. 5), the standard procedure, an external source."""

from __future__ import annotations

import datetime as dt

import pytest

from common.actors import SYSTEM
from organizations.models import Body, BodyKind, OrgKind
from personnel import services
from personnel.models import NominationState, ResponsibilityEntry, StepResult

from ..factories import PersonFactory, TenureFactory, make_org, position
from .conftest import build_committee, counts, nothing_recorded, refused, through_steps

pytestmark = pytest.mark.django_db
D = dt.date


def ledger(n) -> list[str]:
    return list(ResponsibilityEntry.objects.filter(nomination=n).order_by("seq").values_list("kind", flat=True))


def test_an_election_nomination_goes_the_five_steps(committee):
    c = committee
    n = c.introduced(kind="election", position=position("deputy-secretary"))
    steps = through_steps(c, n, [7, 6, 8, 6])
    assert [s.code for s in steps] == ["wider_conference", "leadership_nominates", "key_cadres", "leadership_votes"]
    assert steps[0].confidential and not steps[1].confidential
    assert n.state == NominationState.SELECTED
    assert ledger(n) == ["introduced", "step", "step", "step", "step", "selected"]


def test_a_deputy_must_be_a_deputys_post(committee):
    c = committee
    with refused("nomination_position_role") as info:
        c.draft(position=position("standing-member"))
    assert info.value.reasons[0].cite_code == "142-QĐ/TW"


# --- Art. 4 ---------------------------------------------------------------------------------------


@pytest.fixture
def seat(committee, province):
    """An executive member planned for the standing committee."""
    person = PersonFactory(full_name="Ủy viên Ban Chấp hành Bổ sung")
    TenureFactory(person=person, position=position("executive-member"), organization=committee.org,
                  body=committee.executive, start=D(2025, 9, 1))
    services.planning_add(organization=committee.org, person=person, position=position("standing-member"),
                          term="2025-2030", added_on=D(2025, 12, 1), added_ref="18-QĐ/TU", added_by=province.root,
                          actor=SYSTEM)
    return person


def test_a_standing_seat_goes_to_the_standing_then_the_executive(committee, seat):
    c = committee
    n = c.introduced(kind="standing_seat", position=position("standing-member"), nominee=seat)
    assert n.steps.get().code == "head_proposes" and n.steps.get().threshold["cite"] == {"code": "142-QĐ/TW",
                                                                                          "ref": "4"}
    with nothing_recorded(), refused("step_wrong_body") as info:
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive),
                             counts=counts(10, {seat.pk: 8}), actor=c.clerk)
    assert info.value.reasons[0].params["allowed"] == ["standing"]
    assert (info.value.reasons[0].cite_code, info.value.reasons[0].cite_ref) == ("142-QĐ/TW", "4")
    s2 = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9)), counts=counts(9, {seat.pk: 6}),
                              actor=c.clerk)
    assert (s2.code, s2.result, s2.threshold["cite"]) == ("standing_submits", StepResult.PASSED,
                                                          {"code": "142-QĐ/TW", "ref": "4"})
    with refused("step_wrong_body"):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(9, {seat.pk: 6}),
                             actor=c.clerk)
    s3 = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16), c.executive),
                              counts=counts(10, {seat.pk: 6}), actor=c.clerk)
    assert (s3.code, s3.result, s3.threshold["base"]) == ("executive_votes", StepResult.PASSED, 10)
    n.refresh_from_db()
    assert n.state == NominationState.SELECTED


def test_a_standing_seat_the_executive_rejects(committee, seat):
    c = committee
    n = c.introduced(kind="standing_seat", position=position("standing-member"), nominee=seat)
    services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9)), counts=counts(9, {seat.pk: 6}),
                         actor=c.clerk)
    s3 = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16), c.executive),
                              counts=counts(10, {seat.pk: 4}), actor=c.clerk)
    n.refresh_from_db()
    assert s3.result == StepResult.NOT_PASSED and n.state == NominationState.REJECTED


# --- Art. 5 ---------------------------------------------------------------------------------------


@pytest.fixture
def unit(committee, province):
    """A unit directly under committee A, its leadership collective, and a cadre planned to head it."""
    agency = make_org(committee.org, OrgKind.AGENCY, "Trung tâm Chính trị Khối A")
    Body.objects.create(organization=agency, kind=BodyKind.LEADERSHIP)
    cadre = PersonFactory(full_name="Phan Văn Trung Tâm")
    TenureFactory(person=cadre, position=position("agency-deputy"), organization=agency, start=D(2024, 1, 1))
    services.planning_add(organization=agency, person=cadre, position=position("agency-head"), term="2025-2030",
                          added_on=D(2025, 12, 1), added_ref="19-QĐ/TU", added_by=committee.org, actor=SYSTEM)
    return agency, cadre


def test_the_head_of_a_directly_subordinate_unit(committee, unit):
    c = committee
    agency, cadre = unit
    n = c.introduced(kind="subordinate_head", target=agency, position=position("agency-head"), nominee=cadre)
    assert n.steps.get().threshold["cite"] == {"code": "142-QĐ/TW", "ref": "5"}
    (step,) = through_steps(c, n, [5])
    assert (step.code, step.result, step.threshold["cite"]["ref"]) == ("collective_agrees", "passed", "5")
    assert n.state == NominationState.SELECTED


def test_art_5_targets_a_directly_subordinate_unit_and_a_heads_post(committee, province, unit):
    c = committee
    agency, cadre = unit
    with refused("nomination_target_not_subordinate") as info:  # a cell two levels below is not direct
        c.draft(kind="subordinate_head", target=province.cell_1, position=position("cell-secretary"), nominee=cadre)
    assert (info.value.reasons[0].cite_code, info.value.reasons[0].cite_ref) == ("142-QĐ/TW", "5")
    with refused("nomination_target_not_subordinate"):
        c.draft(kind="subordinate_head", target=c.org, position=position("secretary"), nominee=cadre)
    with refused("nomination_position_role"):
        c.draft(kind="subordinate_head", target=agency, position=position("agency-deputy"), nominee=cadre)
    with refused("nomination_target_not_own"):
        c.draft(target=agency, position=position("agency-deputy"))


def test_a_dismissal_needs_a_running_tenure_grounds_and_procedure(committee, unit):
    c = committee
    agency, _cadre = unit
    holder = PersonFactory(full_name="Lý Văn Đương Chức")
    tenure = TenureFactory(person=holder, position=position("agency-head"), organization=agency, start=D(2023, 1, 1))
    ended = TenureFactory(person=PersonFactory(), position=position("agency-head"), organization=agency,
                          start=D(2020, 1, 1), end=D(2022, 12, 31))
    with refused("dismissal_tenure_missing") as info:
        c.draft(kind="subordinate_dismissal", target=agency, nominee=ended.person, dismissed_tenure=ended)
    assert info.value.reasons[0].cite_code == "142-QĐ/TW"
    with refused("dismissal_tenure_missing"):
        c.draft(kind="subordinate_dismissal", target=agency, nominee=holder, dismissed_tenure=None)
    with refused("dismissal_tenure_missing"):  # the tenure is someone else's
        c.draft(kind="subordinate_dismissal", target=agency, nominee=_cadre, dismissed_tenure=tenure)
    draft = c.draft(kind="subordinate_dismissal", target=agency, nominee=holder, dismissed_tenure=tenure,
                    position=position("agency-deputy"), action_program={})
    assert draft.dismissal and draft.position == position("agency-head")  # the post is the tenure's
    with nothing_recorded(), refused("dismissal_grounds_missing") as info:
        services.nomination_introduce(nomination=draft, on=D(2026, 3, 2), actor=c.head_user)
    assert (info.value.reasons[0].cite_code, info.value.reasons[0].cite_ref) == ("142-QĐ/TW", "5")
    services.nomination_change(nomination=draft, grounds="Đơn vị đạt dưới 70% chỉ tiêu năm 2025", actor=c.clerk)
    with refused("dismissal_grounds_missing"):
        services.nomination_introduce(nomination=draft, on=D(2026, 3, 2), actor=c.head_user)
    services.nomination_change(nomination=draft, procedure="Kiểm điểm, lấy ý kiến tập thể lãnh đạo ngày 20/02/2026",
                               actor=c.clerk)
    n = services.nomination_introduce(nomination=draft, on=D(2026, 3, 2), actor=c.head_user)  # no planning needed
    (step,) = through_steps(c, n, [6])
    assert step.code == "collective_agrees" and n.state == NominationState.SELECTED
    assert ResponsibilityEntry.objects.get(nomination=n, kind="introduced").data["dismissal"] is True


# --- the standard procedure ------------------------------------------------------------------------


def test_the_standard_procedure_step_1_is_a_leadership_meeting(committee):
    c = committee
    draft = c.draft(kind="standard", nominator=None, actor=c.clerk)
    with refused("not_permitted"):  # the office opens it; the head's power is not used
        services.nomination_introduce(nomination=draft, on=D(2026, 3, 2), actor=c.head_user)
    n = services.nomination_introduce(nomination=draft, on=D(2026, 3, 2), actor=c.clerk)
    assert n.nominator_id is None and n.current_step == 0
    steps = through_steps(c, n, [6, 7, 6, 8, 6])
    assert [(s.number, s.code) for s in steps] == [(1, "leadership_agrees"), (2, "wider_conference"),
                                                   (3, "leadership_nominates"), (4, "key_cadres"),
                                                   (5, "leadership_votes")]
    assert steps[0].result == StepResult.PASSED and steps[0].threshold["cite"]["code"] == "377-QĐ/TW"
    assert n.state == NominationState.SELECTED
    assert ResponsibilityEntry.objects.filter(nomination=n, nominator__isnull=True).count() == 7


def test_the_standard_procedure_step_1_failing_closes_it(committee):
    c = committee
    n = services.nomination_introduce(nomination=c.draft(kind="standard", nominator=None, actor=c.clerk),
                                      on=D(2026, 3, 2), actor=c.clerk)
    (step,) = through_steps(c, n, [3])
    assert step.result == StepResult.NOT_PASSED and n.state == NominationState.REJECTED


# --- an external source ---------------------------------------------------------------------------


@pytest.fixture
def committee_b(province):
    return build_committee(province.sub_b, cell=province.cell_b, planned_by=province.root, suffix="b",
                           names="Ủy viên Khối B")


def test_an_external_nominee_is_heard_where_they_work(committee, committee_b):
    c, b = committee, committee_b
    n = c.introduced(nominee=b.nominee, source="external")
    with nothing_recorded(), refused("step_not_where_nominee_works") as info:
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9)), counts=counts(9, {b.nominee.pk: 8}),
                             actor=c.clerk)
    assert info.value.reasons[0].cite_code == "377-QĐ/TW"
    s2 = services.step_record(nomination=n, meeting=b.meeting(D(2026, 3, 9), absent=2),
                              counts=counts(7, {b.nominee.pk: 5}), actor=c.clerk)
    assert (s2.code, s2.result, s2.threshold["base_kind"], s2.threshold["base"]) == (
        "where_nominee_works", StepResult.PASSED, "convened", 9)
    with refused("step_wrong_organization"):
        services.step_record(nomination=n, meeting=b.meeting(D(2026, 3, 16)), counts=counts(9, {b.nominee.pk: 8}),
                             actor=c.clerk)
    s3 = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(9, {b.nominee.pk: 5}),
                              actor=c.clerk)
    n.refresh_from_db()
    assert s3.code == "appraisal_and_vote" and n.state == NominationState.SELECTED
    assert [s.number for s in n.steps.all()] == [1, 2, 3]


def test_an_external_nominee_who_does_not_get_half_where_they_work_is_rejected(committee, committee_b):
    c, b = committee, committee_b
    n = c.introduced(nominee=b.nominee, source="external")
    s2 = services.step_record(nomination=n, meeting=b.meeting(D(2026, 3, 9), absent=2),
                              counts=counts(7, {b.nominee.pk: 4}), actor=c.clerk)
    n.refresh_from_db()
    assert s2.result == StepResult.NOT_PASSED and n.state == NominationState.REJECTED  # 4 of 9 convened
