"""The end of the process: a valid personnel decision of the competent level starts the tenure, or a dismissal
ends it and is a later event of whoever appointed the dismissed holder."""

from __future__ import annotations

import datetime as dt

import pytest

from common.actors import SYSTEM
from governance.services import regulation_adopt, regulation_from_template
from organizations.models import Body, BodyKind, OrgKind, Tenure
from personnel import services
from personnel.models import NominationState, ResponsibilityEntry

from ..factories import PersonFactory, TenureFactory, make_org, position
from .conftest import Appointing, build_committee, nothing_recorded, refused, through_steps

pytestmark = pytest.mark.django_db
D = dt.date


def ledger(n) -> list[str]:
    return list(ResponsibilityEntry.objects.filter(nomination=n).order_by("seq").values_list("kind", flat=True))


@pytest.fixture
def selected(committee):
    n = committee.introduced()
    through_steps(committee, n, [7, 6, 8, 6])  # 09/03 .. 30/03/2026
    assert n.state == NominationState.SELECTED
    return n


def test_a_valid_personnel_decision_appoints_and_starts_the_tenure(committee, appointing, selected,
                                                                   django_assert_max_num_queries):
    c = committee
    decision = appointing.decision(D(2026, 4, 6))
    with django_assert_max_num_queries(24):
        n = services.nomination_appoint(nomination=selected, decision=decision, start=D(2026, 4, 10), actor=c.clerk)
    assert (n.state, n.decision, n.closed_on) == (NominationState.APPOINTED, decision, D(2026, 4, 6))
    tenure = n.appointed_tenure
    assert (tenure.person, tenure.position, tenure.organization, tenure.start, tenure.end) == (
        c.nominee, position("deputy-secretary"), c.org, D(2026, 4, 10), None)
    assert tenure.decision_ref.endswith(" (06/04/2026)") and len(tenure.decision_ref) <= 60
    assert tenure.decision_ref.startswith(decision.title[:20])
    assert Tenure.objects.filter(person=c.nominee, position__code="deputy-secretary").count() == 1
    entry = ResponsibilityEntry.objects.get(nomination=n, kind="appointed")
    assert entry.data == {"decision": decision.pk, "tenure": tenure.pk, "start": "2026-04-10"}
    assert ledger(n)[-2:] == ["selected", "appointed"]
    with refused("nomination_not_selected"):
        services.nomination_appoint(nomination=n, decision=decision, start=D(2026, 4, 10), actor=c.clerk)


def test_an_appointment_needs_a_valid_decision_on_a_personnel_matter(committee, appointing, selected):
    c = committee
    voted_down = appointing.decision(D(2026, 4, 6), votes_for=3)
    assert voted_down.status == "not_passed"
    with nothing_recorded(), refused("appointment_decision_not_valid"):
        services.nomination_appoint(nomination=selected, decision=voted_down, start=D(2026, 4, 10), actor=c.clerk)
    policy = appointing.decision(D(2026, 4, 6), matter=appointing.policy, title="Chương trình công tác quý II")
    assert policy.status == "valid"
    with nothing_recorded(), refused("appointment_decision_not_personnel"):
        services.nomination_appoint(nomination=selected, decision=policy, start=D(2026, 4, 10), actor=c.clerk)
    early = appointing.decision(D(2026, 3, 25))
    with nothing_recorded(), refused("appointment_before_steps"):
        services.nomination_appoint(nomination=selected, decision=early, start=D(2026, 4, 10), actor=c.clerk)
    good = appointing.decision(D(2026, 4, 6))
    with nothing_recorded(), refused("appointment_start_before_decision"):
        services.nomination_appoint(nomination=selected, decision=good, start=D(2026, 4, 5), actor=c.clerk)
    with refused("not_permitted"):
        services.nomination_appoint(nomination=selected, decision=good, start=D(2026, 4, 6), actor=c.head_user)
    selected.refresh_from_db()
    assert selected.state == NominationState.SELECTED and not Tenure.objects.filter(
        person=c.nominee, position__code="deputy-secretary").exists()


def test_a_decision_of_another_committee_does_not_appoint(committee, selected, province):
    b = build_committee(province.sub_b, cell=province.cell_b, planned_by=province.root, suffix="b",
                        names="Ủy viên Khối B")
    draft = regulation_from_template(organization=b.org, template="provincial", title="Quy chế", actor=SYSTEM)
    regulation_adopt(regulation=draft, start=D(2025, 9, 1), actor=SYSTEM)
    elsewhere = Appointing(b, draft.matters.get(code="NS-01"), draft.matters.get(code="CT-01")).decision(D(2026, 4, 6))
    with nothing_recorded(), refused("appointment_decision_elsewhere"):
        services.nomination_appoint(nomination=selected, decision=elsewhere, start=D(2026, 4, 6),
                                    actor=committee.clerk)


def test_a_standing_seat_is_a_seat_in_the_standing_committee(committee, appointing, province):
    c = committee
    person = PersonFactory(full_name="Ủy viên Ban Chấp hành Bổ sung")
    TenureFactory(person=person, position=position("executive-member"), organization=c.org, body=c.executive,
                  start=D(2025, 9, 1))
    n = c.introduced(kind="standing_seat", position=position("standing-member"), nominee=person,
                     planning_exception_ref="23-QĐ/TU")
    through_steps(c, n, [6])
    through_steps(c, n, [6], start=D(2026, 3, 16), body=c.executive)
    assert n.state == NominationState.SELECTED
    n = services.nomination_appoint(nomination=n, decision=appointing.decision(D(2026, 4, 6)), start=D(2026, 4, 6),
                                    actor=c.clerk)
    assert n.appointed_tenure.body == c.standing
    assert person in c.standing.members_on(D(2026, 4, 6))


# --- Art. 5: appointing and dismissing a unit's head ---------------------------------------------------------


@pytest.fixture
def unit_head(committee, appointing):
    """The head of a unit directly under A, appointed through a 142 Art. 5 nomination of A's head."""
    c = committee
    agency = make_org(c.org, OrgKind.AGENCY, "Trung tâm Chính trị Khối A")
    Body.objects.create(organization=agency, kind=BodyKind.LEADERSHIP)
    cadre = PersonFactory(full_name="Phan Văn Trung Tâm")
    n = c.introduced(kind="subordinate_head", target=agency, position=position("agency-head"), nominee=cadre,
                     planning_exception_ref="24-QĐ/TU", on=D(2026, 1, 5))
    through_steps(c, n, [6], start=D(2026, 1, 12))
    n = services.nomination_appoint(nomination=n, decision=appointing.decision(D(2026, 1, 19)), start=D(2026, 2, 1),
                                    actor=c.clerk)
    return agency, cadre, n


def test_a_dismissal_ends_the_tenure_and_is_a_later_event_of_the_appointing_nomination(committee, appointing,
                                                                                         unit_head):
    c = committee
    agency, cadre, appointing_nomination = unit_head
    tenure = appointing_nomination.appointed_tenure
    n = c.introduced(kind="subordinate_dismissal", target=agency, nominee=cadre, dismissed_tenure=tenure,
                     grounds="Đơn vị đạt 55% chỉ tiêu năm", procedure="Kiểm điểm, lấy ý kiến tập thể lãnh đạo",
                     action_program={})
    through_steps(c, n, [6], start=D(2026, 3, 9))
    decision = appointing.decision(D(2026, 3, 16))
    n = services.nomination_appoint(nomination=n, decision=decision, start=D(2026, 3, 20), actor=c.clerk)
    tenure.refresh_from_db()
    assert tenure.end == D(2026, 3, 19) and n.state == NominationState.APPOINTED and n.appointed_tenure is None
    assert ResponsibilityEntry.objects.get(nomination=n, kind="dismissed").data["tenure"] == tenure.pk
    event = ResponsibilityEntry.objects.get(nomination=appointing_nomination, kind="dismissal")
    assert (event.nominator_id, event.occurred_on, event.data["nomination"]) == (c.head.pk, D(2026, 3, 16), n.pk)
    # the successor may take the post from the day the dismissal takes effect
    successor = PersonFactory(full_name="Người kế nhiệm")
    s = c.introduced(kind="subordinate_head", target=agency, position=position("agency-head"), nominee=successor,
                     planning_exception_ref="25-QĐ/TU", on=D(2026, 3, 17))
    through_steps(c, s, [6], start=D(2026, 3, 18))
    s = services.nomination_appoint(nomination=s, decision=appointing.decision(D(2026, 3, 19)), start=D(2026, 3, 20),
                                    actor=c.clerk)
    assert agency.head_on(D(2026, 3, 20)) == successor and agency.head_on(D(2026, 3, 19)) == cadre


def test_a_dismissal_takes_effect_after_the_tenure_began(committee, appointing, unit_head):
    c = committee
    agency, cadre, first = unit_head
    n = c.introduced(kind="subordinate_dismissal", target=agency, nominee=cadre,
                     dismissed_tenure=first.appointed_tenure,
                     grounds="Vi phạm", procedure="Đúng trình tự", action_program={}, on=D(2026, 1, 20))
    through_steps(c, n, [6], start=D(2026, 1, 21))
    decision = appointing.decision(D(2026, 1, 22))
    with nothing_recorded(), refused("dismissal_before_tenure"):  # the tenure begins on 01/02/2026
        services.nomination_appoint(nomination=n, decision=decision, start=D(2026, 2, 1), actor=c.clerk)
    n = services.nomination_appoint(nomination=n, decision=decision, start=D(2026, 2, 2), actor=c.clerk)
    assert Tenure.objects.get(pk=first.appointed_tenure_id).end == D(2026, 2, 1)
