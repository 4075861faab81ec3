"""A declaration, an annulment and a dissolution are recorded once they have happened: never a day ahead."""

import datetime as dt

import pytest

from common.reasons import Refused
from organizations.models import DisciplineForm, Kinship, Organization
from organizations.services import (
    discipline_annul,
    discipline_record,
    kinship_declare,
    kinship_end,
    organization_dissolve,
)
from tests.conftest import TODAY
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TOMORROW = TODAY + dt.timedelta(days=1)


def _shown(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def member(province):
    return MembershipFactory(organization=province.cell_1, start=dt.date(2010, 1, 1)).person


def test_a_kinship_declared_tomorrow_is_refused_by_the_service_and_on_the_form(client, province, staff_a, member):
    relative = MembershipFactory(organization=province.cell_1, start=dt.date(2010, 1, 1),
                                 person__card_number="0100000099").person
    with pytest.raises(Refused) as refused:
        kinship_declare(person=member, relative=relative, relation="spouse", declared_on=TOMORROW, actor=staff_a)
    assert refused.value.codes == ["kinship_declared_in_future"]
    client.force_login(staff_a)
    response = client.post(f"/people/{member.pk}/kinship/new/", {
        "relative_card": "0100000099", "relation": "spouse", "declared_on": _shown(TOMORROW)})
    assert response.status_code == 400 and "declared_on" in response.context["form"].errors
    assert not Kinship.objects.exists()


def test_a_kinship_ended_tomorrow_is_refused(province, staff_a, member):
    relative = MembershipFactory(organization=province.cell_1, start=dt.date(2010, 1, 1),
                                 person__card_number="0100000098").person
    kinship = kinship_declare(person=member, relative=relative, relation="spouse", declared_on=dt.date(2020, 1, 1),
                              actor=staff_a)
    with pytest.raises(Refused) as refused:
        kinship_end(kinship=kinship, ended_on=TOMORROW, actor=staff_a)
    assert refused.value.codes == ["kinship_end_in_future"]
    kinship.refresh_from_db()
    assert kinship.ended_on is None


def test_an_annulment_dated_tomorrow_is_refused(client, province, inspector_a, member):
    discipline = discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=dt.date(2026, 4, 2),
                                   decided_by=province.sub_a, actor=inspector_a)
    with pytest.raises(Refused) as refused:
        discipline_annul(discipline=discipline, annulled_on=TOMORROW, decided_by=province.sub_a, actor=inspector_a)
    assert refused.value.codes == ["discipline_annul_in_future"]
    client.force_login(inspector_a)
    response = client.post(f"/disciplines/{discipline.pk}/annul/", {
        "annulled_on": _shown(TOMORROW), "decided_by": province.sub_a.pk})
    assert response.status_code == 400 and "annulled_on" in response.context["form"].errors


def test_a_dissolution_dated_tomorrow_is_refused(client, province, staff_a):
    with pytest.raises(Refused) as refused:
        organization_dissolve(organization=province.cell_2, on=TOMORROW, actor=staff_a)
    assert refused.value.codes == ["org_dissolve_in_future"]
    client.force_login(staff_a)
    response = client.post(f"/org/{province.cell_2.pk}/dissolve/", {"on": _shown(TOMORROW)})
    assert response.status_code == 400 and "on" in response.context["form"].errors
    assert Organization.objects.get(pk=province.cell_2.pk).dissolved_on is None
    organization_dissolve(organization=province.cell_2, on=TODAY, actor=staff_a)  # today is not ahead
