"""An expulsion ends the member's record; measures are dated, numbered once per body and year, and fit the person."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.reasons import Refused
from organizations.models import Discipline, DisciplineForm, Membership, Person, PersonStatus
from organizations.services import discipline_annul, discipline_record, membership_start
from tests.conftest import TODAY
from tests.factories import MembershipFactory, TenureFactory, position

pytestmark = pytest.mark.django_db
D = dt.date
APRIL_2 = D(2026, 4, 2)


@pytest.fixture
def member(province):
    return MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person


def _record(province, person, actor, form=DisciplineForm.WARNING, on=APRIL_2, ref="", by=None, **extra):
    return discipline_record(person=person, form=form, decided_on=on, decided_by=by or province.sub_a,
                             decision_ref=ref, actor=actor, **extra)


def test_an_expulsion_ends_the_membership_and_the_membership_of_the_party(province, inspector_a, member):
    expulsion = _record(province, member, inspector_a, DisciplineForm.EXPULSION, ref="5-QĐ/UBKT")
    membership = Membership.objects.get(person=member)
    assert membership.end == D(2026, 4, 2)
    assert Person.objects.get(pk=member.pk).status == PersonStatus.LEFT
    ended = AuditEntry.objects.get(action="membership.end")
    assert ended.actor == inspector_a and ended.data["discipline"] == expulsion.pk
    assert AuditEntry.objects.get(action="person.status").data == {
        "old": "active", "new": "left", "discipline": expulsion.pk}


def test_nothing_is_recorded_for_a_day_after_the_expulsion(province, inspector_a, staff_a, member):
    _record(province, member, inspector_a, DisciplineForm.EXPULSION, on=D(2026, 4, 2))
    with pytest.raises(Refused) as refused:
        _record(province, member, inspector_a, DisciplineForm.WARNING, on=D(2026, 5, 1))
    assert refused.value.codes == ["person_expelled"]
    with pytest.raises(Refused) as refused:
        membership_start(person=member, organization=province.cell_2, start=D(2026, 6, 1), actor=staff_a)
    assert refused.value.codes == ["person_expelled"]
    assert Discipline.objects.count() == 1 and Membership.objects.filter(person=member).count() == 1


def test_an_annulled_expulsion_no_longer_closes_the_record(province, inspector_a, member):
    expulsion = _record(province, member, inspector_a, DisciplineForm.EXPULSION, on=D(2026, 4, 2))
    discipline_annul(discipline=expulsion, annulled_on=D(2026, 5, 1), decided_by=province.sub_a, actor=inspector_a)
    MembershipFactory(person=member, organization=province.cell_1, start=D(2026, 5, 2))
    _record(province, member, inspector_a, DisciplineForm.WARNING, on=D(2026, 6, 1))  # accepted


def test_a_decision_dated_tomorrow_is_refused(client, province, inspector_a, member):
    with pytest.raises(Refused) as refused:
        _record(province, member, inspector_a, on=TODAY + dt.timedelta(days=1))
    assert refused.value.codes == ["discipline_decided_in_future"]
    client.force_login(inspector_a)
    response = client.post(f"/people/{member.pk}/discipline/new/", {
        "form": "warning", "decided_on": (TODAY + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "decided_by": province.sub_a.pk})
    assert response.status_code == 400 and "decided_on" in response.context["form"].errors
    assert not Discipline.objects.exists()


def test_the_same_number_from_the_same_body_in_the_same_year_is_refused(client, province, inspector_a, member):
    other = MembershipFactory(organization=province.cell_2, start=D(2010, 1, 1), person__full_name="Lê Văn Hai").person
    first = _record(province, member, inspector_a, ref="12-QĐ/UBKT", on=D(2026, 3, 1))
    with pytest.raises(Refused) as refused:
        _record(province, other, inspector_a, ref="12-QĐ/UBKT", on=D(2026, 9, 1))
    assert refused.value.codes == ["discipline_ref_taken"] and refused.value.reasons[0].params["pk"] == first.pk
    assert str(member) in refused.value.messages[0]
    # Another year, another body, or no number at all: accepted.
    _record(province, other, inspector_a, ref="12-QĐ/UBKT", on=D(2025, 9, 1))
    _record(province, other, inspector_a, ref="12-QĐ/UBKT", on=D(2026, 9, 1), by=province.grassroots)
    _record(province, other, inspector_a, on=D(2026, 9, 2))
    _record(province, other, inspector_a, on=D(2026, 9, 3))
    client.force_login(inspector_a)
    response = client.post(f"/people/{other.pk}/discipline/new/", {
        "form": "reprimand", "decided_on": "01/10/2026", "decided_by": province.sub_a.pk,
        "decision_ref": "12-QĐ/UBKT"})
    assert response.status_code == 400 and "decision_ref" in response.context["form"].errors


def test_removal_from_post_needs_a_post_held_that_day(province, inspector_a, member):
    with pytest.raises(Refused) as refused:
        _record(province, member, inspector_a, DisciplineForm.REMOVAL, on=D(2026, 4, 2))
    assert refused.value.codes == ["discipline_removal_no_post"]
    TenureFactory(person=member, position=position("cell-secretary"), organization=province.cell_1,
                  start=D(2025, 1, 1), end=D(2026, 3, 31))
    with pytest.raises(Refused):  # the post had ended
        _record(province, member, inspector_a, DisciplineForm.REMOVAL, on=D(2026, 4, 2))
    _record(province, member, inspector_a, DisciplineForm.REMOVAL, on=D(2026, 3, 31))
