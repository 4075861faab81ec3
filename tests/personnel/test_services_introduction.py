"""The head's introduction under Regulation 142: who may use the power, until when, where, and whom (planning)."""

from __future__ import annotations

import datetime as dt

import pytest

from common.actors import SYSTEM
from organizations.models import OrgKind, RoleKind
from organizations.services import role_grant, tenure_end
from personnel import services
from personnel.models import NominationState, ProcedureStep, ResponsibilityEntry, StepResult
from regulations.models import Document

from ..factories import PersonFactory, TenureFactory, UserFactory, make_org, position
from .conftest import PROGRAM, build_committee, nothing_recorded, refused

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 3, 2)


def test_the_head_introduces_and_it_is_step_1(committee, django_assert_max_num_queries):
    c = committee
    draft = c.draft()
    with django_assert_max_num_queries(26):  # six read the standards check's facts
        n = services.nomination_introduce(nomination=draft, on=DAY, actor=c.head_user)
    assert (n.state, n.introduced_on, n.current_step, n.nominator_id) == (NominationState.INTRODUCED, DAY, 1, c.head.pk)
    assert n.nominator_tenure == services.head_tenure_on(c.head, c.org, DAY)
    step = ProcedureStep.objects.get(nomination=n)
    assert (step.number, step.code, step.result) == (1, "head_introduces", StepResult.INTRODUCED)
    assert step.threshold == {"cite": {"code": "142-QĐ/TW", "ref": "3"}}
    entry = ResponsibilityEntry.objects.get(nomination=n)
    assert (entry.kind, entry.nominator_id, entry.nominee_id, entry.occurred_on) == ("introduced", c.head.pk,
                                                                                     c.nominee.pk, DAY)


def test_a_head_introduces_a_draft_the_office_prepared_without_naming_them(committee):
    c = committee
    draft = c.draft(nominator=None, actor=c.clerk)
    assert draft.nominator_id is None
    n = services.nomination_introduce(nomination=draft, on=DAY, actor=c.head_user)
    assert n.nominator_id == c.head.pk and n.state == NominationState.INTRODUCED


def test_a_clerk_with_a_person_of_their_own_is_not_taken_for_the_nominator(committee):
    c = committee
    staff = PersonFactory(full_name="Cán bộ Văn phòng")
    staff.user = c.clerk
    staff.save()
    draft = c.draft(nominator=None, actor=c.clerk)
    assert draft.nominator_id is None
    assert services.nomination_introduce(nomination=draft, on=DAY, actor=c.head_user).nominator_id == c.head.pk


def test_a_head_drafting_is_the_nominator(committee):
    c = committee
    assert c.draft(nominator=None, actor=c.head_user).nominator_id == c.head.pk


def test_a_deputy_may_not_use_the_power(committee):
    c = committee
    deputy = c.members[1]
    TenureFactory(person=deputy, position=position("deputy-secretary"), organization=c.org, start=D(2025, 9, 1))
    deputy.user = UserFactory(username="phobithu_a")
    deputy.save()
    draft = c.draft(nominee=c.members[4], nominator=deputy, planning_exception_ref="20-QĐ/TU")
    with nothing_recorded(), refused("introducer_not_self"):  # no head's role: not the head's power
        services.nomination_introduce(nomination=draft, on=DAY, actor=deputy.user)
    role_grant(user=deputy.user, kind=RoleKind.HEAD, organization=c.org, actor=SYSTEM)  # an access role is no post
    with nothing_recorded(), refused("introducer_not_head") as info:
        services.nomination_introduce(nomination=draft, on=DAY, actor=deputy.user)
    (reason,) = [r for r in info.value.reasons if r.code == "introducer_not_head"]
    assert reason.params == {"p": str(deputy), "org": str(c.org), "d": "2026-03-02"}
    assert (reason.cite_code, reason.cite_ref) == ("142-QĐ/TW", "3")


def test_a_former_head_may_not_use_it_after_the_tenure_ends(committee):
    c = committee
    tenure = services.head_tenure_on(c.head, c.org, DAY)
    tenure_end(tenure=tenure, end=D(2026, 6, 30), actor=SYSTEM)
    draft = c.draft()
    with nothing_recorded(), refused("introducer_not_head"):
        services.nomination_introduce(nomination=draft, on=D(2026, 7, 1), actor=c.head_user)
    n = services.nomination_introduce(nomination=draft, on=D(2026, 6, 30), actor=c.head_user)
    assert n.nominator_tenure == tenure  # the last day of the tenure still counts


def test_nobody_else_introduces_in_the_heads_name(committee):
    c = committee
    draft = c.draft()
    with refused("introducer_not_self"):
        services.nomination_introduce(nomination=draft, on=DAY, actor=c.clerk)  # the office
    other = UserFactory(username="bithu_khac")
    role_grant(user=other, kind=RoleKind.HEAD, organization=c.org, actor=SYSTEM)
    other_person = c.members[2]
    other_person.user = other
    other_person.save()
    with refused("introducer_not_self") as info:  # a head's role, but the nomination is another's
        services.nomination_introduce(nomination=draft, on=DAY, actor=other)
    assert (info.value.reasons[0].cite_code, info.value.reasons[0].cite_ref) == ("142-QĐ/TW", "3")
    draft.refresh_from_db()
    assert draft.state == NominationState.DRAFT and not ResponsibilityEntry.objects.exists()


def test_the_head_does_not_introduce_themselves(committee):
    c = committee
    with refused("introducer_is_nominee"):
        c.introduced(nominee=c.head, planning_exception_ref="20-QĐ/TU")


def test_an_introduction_needs_the_action_program_and_a_past_day(committee):
    c = committee
    with refused("action_program_missing") as info:
        c.introduced(action_program={**PROGRAM, "schedule": " ", "results": ""})
    assert info.value.reasons[0].params == {"parts": ["schedule", "results"]}
    services.nomination_withdraw(nomination=c.org.nominations.get(), reason="Thiếu hồ sơ", on=DAY, actor=c.clerk)
    with refused("nomination_date_ahead"):
        c.introduced(on=D(2026, 11, 25))


# --- the pilot's end, read from the catalog --------------------------------------------------------------


def test_the_pilot_ends_on_23_04_2029(committee, clock):
    c = committee
    clock.move_to(dt.datetime(2029, 5, 2, 9, 0))
    with nothing_recorded(), refused("pilot_not_in_force") as info:
        c.introduced(on=D(2029, 4, 24))
    (reason,) = [r for r in info.value.reasons if r.code == "pilot_not_in_force"]
    assert reason.params == {"d": "2029-04-24", "end": "2029-04-23"} and reason.cite_code == "142-QĐ/TW"
    n = c.introduced(on=D(2029, 4, 23), nominee=c.members[5], planning_exception_ref="20-QĐ/TU",
                     position=position("standing-member"), kind="election")
    assert n.state == NominationState.INTRODUCED


def test_before_the_pilot_began_it_is_not_in_force_and_no_end_is_named(committee):
    c = committee
    TenureFactory(person=c.head, position=position("secretary"), organization=c.org, start=D(2020, 10, 1),
                  end=D(2025, 8, 31))
    with refused("pilot_not_in_force") as info:
        c.introduced(on=D(2024, 3, 1), planning_exception_ref="20-QĐ/TU")
    (reason,) = [r for r in info.value.reasons if r.code == "pilot_not_in_force"]
    assert reason.params == {"d": "2024-03-01", "end": ""}
    assert reason.message == "Quy định thí điểm không có hiệu lực vào ngày 01/03/2024."


def test_the_pilots_end_follows_the_catalog(committee):
    c = committee
    document = Document.objects.get(code="142-QĐ/TW")
    assert document.effective_to == D(2029, 4, 23)
    document.effective_to = D(2026, 2, 28)  # the catalog says the pilot ended earlier
    document.save()
    draft = c.draft()
    with refused("pilot_not_in_force") as info:
        services.nomination_introduce(nomination=draft, on=DAY, actor=c.head_user)
    assert info.value.reasons[0].params["end"] == "2026-02-28"
    document.effective_to = D(2026, 12, 31)
    document.save()
    assert services.nomination_introduce(nomination=draft, on=DAY, actor=c.head_user).state == "introduced"


def test_a_later_text_numbered_142_is_not_the_pilot(committee):
    c = committee
    Document.objects.create(code="142-QĐ/TW", kind="regulation", title="Quy định khác cùng số, khóa XIV",
                            issuing_body="Bộ Chính trị khóa XIV", issue_date=D(2026, 6, 1),
                            effective_from=D(2026, 6, 1), effective_to=D(2026, 6, 30))
    assert services.pilot_document().issue_date == D(2024, 4, 23)
    assert services.pilot_in_force(D(2026, 7, 1)) == (True, D(2029, 4, 23))
    assert c.introduced(on=D(2026, 7, 1)).state == NominationState.INTRODUCED


def test_the_standard_procedure_does_not_depend_on_the_pilot(committee):
    c = committee
    Document.objects.filter(code="142-QĐ/TW").update(effective_to=D(2025, 1, 1))
    draft = c.draft(kind="standard", nominator=None, actor=c.clerk)
    n = services.nomination_introduce(nomination=draft, on=DAY, actor=c.clerk)
    assert n.state == NominationState.INTRODUCED and n.nominator_id is None and n.current_step == 0
    assert not n.steps.exists()  # step 1 is the leadership collective's meeting, recorded as a step


# --- the scope ------------------------------------------------------------------------------------------


@pytest.fixture
def commune(province):
    org = make_org(province.root, OrgKind.COMMUNE, "Đảng bộ xã Tân Lập")
    cell = make_org(org, OrgKind.CELL, "Chi bộ thôn Tân Lập 1")
    return build_committee(org, cell=cell, planned_by=province.root, suffix="tanlap", names="Ủy viên xã")


def test_a_commune_is_out_of_scope_by_default(commune):
    with nothing_recorded(), refused("pilot_out_of_scope") as info:
        commune.introduced()
    reason = info.value.reasons[0]
    assert reason.params == {"level": "commune", "scope": ["provincial", "subordinate"]}
    assert reason.cite_code == "142-QĐ/TW"


def test_the_province_may_extend_the_scope_to_communes(commune, settings):
    settings.PERSONNEL_PILOT_SCOPE = ["provincial", "subordinate", "commune"]
    assert commune.introduced().state == NominationState.INTRODUCED


def test_a_grassroots_committee_is_out_of_scope_even_with_communes(province, settings):
    settings.PERSONNEL_PILOT_SCOPE = ["provincial", "subordinate", "commune"]
    c = build_committee(province.grassroots, cell=province.cell_2, planned_by=province.sub_a, suffix="hoabinh",
                        names="Đảng ủy viên")
    with refused("pilot_out_of_scope") as info:
        c.introduced()
    assert info.value.reasons[0].params["level"] == "grassroots"


def test_an_agency_takes_the_level_of_the_committee_above(province):
    agency = make_org(province.sub_a, OrgKind.AGENCY, "Ban Tuyên giáo Khối A")
    under_commune = make_org(make_org(province.root, OrgKind.COMMUNE, "Đảng ủy phường 1"), OrgKind.AGENCY,
                             "Văn phòng Đảng ủy phường 1")
    assert services.organization_level(agency) == "subordinate"
    assert services.organization_level(under_commune) == "commune"
    assert services.organization_level(province.root) == "provincial"
    assert services.organization_level(province.grassroots) == "grassroots"


# --- planning (377) -----------------------------------------------------------------------------------------


def test_an_internal_candidate_not_planned_is_refused_citing_377(committee):
    c = committee
    with nothing_recorded(), refused("planning_required_internal") as info:
        c.introduced(nominee=c.members[4])
    reason = info.value.reasons[0]
    assert (reason.cite_code, reason.cite_ref) == ("377-QĐ/TW", "")
    assert reason.params == {"p": str(c.members[4]), "pos": "Phó Bí thư", "org": str(c.org)}


def test_a_planning_refusal_of_an_act_before_08_10_2025_cites_80(committee):
    c = committee
    with refused("planning_required_internal") as info:
        c.introduced(nominee=c.members[4], on=D(2025, 9, 20))
    assert info.value.reasons[0].cite_code == "80-QĐ/TW"


def test_planned_for_a_higher_post_is_enough(committee, province):
    c = committee
    services.planning_add(organization=c.org, person=c.members[4], position=position("secretary"), term="2025-2030",
                          added_on=D(2025, 12, 1), added_ref="16-QĐ/TU", added_by=province.root, actor=SYSTEM)
    assert c.introduced(nominee=c.members[4]).state == NominationState.INTRODUCED


def test_planned_for_a_lower_post_or_elsewhere_is_not_enough_for_an_internal_candidate(committee, province):
    c = committee
    services.planning_add(organization=c.org, person=c.members[4], position=position("standing-member"),
                          term="2025-2030", added_on=D(2025, 12, 1), added_ref="16-QĐ/TU", added_by=province.root,
                          actor=SYSTEM)
    services.planning_add(organization=province.sub_b, person=c.members[4], position=position("deputy-secretary"),
                          term="2025-2030", added_on=D(2025, 12, 1), added_ref="17-QĐ/TU", added_by=province.root,
                          actor=SYSTEM)
    with refused("planning_required_internal"):
        c.introduced(nominee=c.members[4])


def test_an_external_candidate_planned_elsewhere_for_an_equivalent_post(committee, province):
    c = committee
    outsider = PersonFactory(full_name="Đỗ Văn Ngoài")
    TenureFactory(person=outsider, position=position("standing-member"), organization=province.sub_b,
                  start=D(2024, 1, 1))
    with refused("planning_required_external") as info:
        c.introduced(nominee=outsider, source="external")
    assert info.value.reasons[0].cite_code == "377-QĐ/TW"
    services.nomination_withdraw(nomination=c.org.nominations.get(), reason="Bổ sung quy hoạch", on=DAY,
                                 actor=c.clerk)
    services.planning_add(organization=province.sub_b, person=outsider, position=position("deputy-secretary"),
                          term="2025-2030", added_on=D(2025, 12, 1), added_ref="17-QĐ/TU", added_by=province.root,
                          actor=SYSTEM)
    assert c.introduced(nominee=outsider, source="external").state == NominationState.INTRODUCED


def test_a_removed_planning_entry_no_longer_counts(committee, province):
    c = committee
    entry = c.nominee.planning.get()
    services.planning_remove(entry=entry, removed_on=D(2026, 2, 1), removed_ref="30-QĐ/TU", removed_by=province.root,
                             reason="Không còn đủ tiêu chuẩn", actor=SYSTEM)
    with refused("planning_required_internal"):
        c.introduced(on=DAY)
    services.nomination_withdraw(nomination=c.org.nominations.get(), reason="Ngoài quy hoạch", on=DAY, actor=c.clerk)
    # on a day before the removal the entry stood
    assert c.introduced(on=D(2026, 1, 15)).state == NominationState.INTRODUCED


def test_a_recorded_exception_lets_an_unplanned_candidate_through(committee):
    c = committee
    n = c.introduced(nominee=c.members[4], planning_exception_ref="20-QĐ/TU")
    assert n.state == NominationState.INTRODUCED and n.planning_exception_ref == "20-QĐ/TU"
    with refused("planning_required_internal"):
        c.introduced(nominee=c.members[5], planning_exception_ref="   ", position=position("standing-member"),
                     kind="election")
