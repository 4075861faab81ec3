"""Kinship is declared and ended through services: stored with its owner, once while it runs."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from organizations.models import Kinship, Relation
from organizations.services import kinship_declare, kinship_end
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def pair(province):
    person = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    relative = MembershipFactory(organization=province.cell_b, start=D(2010, 1, 1)).person
    return person, relative


def test_a_declaration_belongs_to_the_declarers_cell(province, staff_a, pair):
    person, relative = pair
    kinship = kinship_declare(person=person, relative=relative, relation=Relation.SPOUSE, declared_on=D(2025, 3, 1),
                              actor=staff_a)
    assert kinship.organization == province.cell_1 and kinship.owning_organization == province.cell_1
    assert set(person.relatives()) == {relative} and set(relative.relatives()) == {person}
    assert AuditEntry.objects.get(action="kinship.declare").data["organization"] == province.cell_1.pk


def test_a_pair_is_declared_once_while_it_runs_and_again_after_it_ended(province, staff_a, pair):
    person, relative = pair
    kinship = kinship_declare(person=person, relative=relative, relation=Relation.SPOUSE, declared_on=D(2020, 3, 1),
                              actor=staff_a)
    with pytest.raises(Refused) as refused:
        kinship_declare(person=relative, relative=person, relation=Relation.SPOUSE, declared_on=D(2021, 1, 1),
                        actor=SYSTEM)  # the other way round counts too
    assert refused.value.codes == ["kinship_exists"]
    with pytest.raises(Refused) as refused:
        kinship_declare(person=person, relative=relative, relation=Relation.SPOUSE, declared_on=D(2021, 1, 1),
                        actor=staff_a)
    assert refused.value.codes == ["kinship_exists"]
    with pytest.raises(Refused) as refused:
        kinship_end(kinship=kinship, ended_on=D(2019, 1, 1), actor=staff_a)
    assert refused.value.codes == ["kinship_end_before_declared"]
    kinship_end(kinship=kinship, ended_on=D(2023, 6, 30), actor=staff_a)
    assert not person.relatives().exists()
    assert list(Kinship.objects.active_on(D(2023, 6, 30))) == [kinship]
    assert not Kinship.objects.active_on(D(2023, 7, 1)).exists()
    with pytest.raises(Refused) as refused:
        kinship_end(kinship=kinship, ended_on=D(2023, 7, 1), actor=staff_a)
    assert refused.value.codes == ["kinship_already_ended"]
    again = kinship_declare(person=person, relative=relative, relation=Relation.SPOUSE, declared_on=D(2025, 1, 1),
                            actor=staff_a)
    assert again.pk != kinship.pk and Kinship.objects.count() == 2


def test_oneself_and_a_declarer_with_no_cell_are_refused(province, staff_a, pair):
    person, _relative = pair
    with pytest.raises(Refused) as refused:
        kinship_declare(person=person, relative=person, relation=Relation.OTHER, declared_on=D(2025, 1, 1),
                        actor=staff_a)
    assert refused.value.codes == ["kinship_self"]
    with pytest.raises(Refused) as refused:
        kinship_declare(person=PersonFactory(), relative=person, relation=Relation.OTHER, declared_on=D(2025, 1, 1),
                        actor=staff_a)
    assert refused.value.codes == ["person_no_cell"] and not Kinship.objects.exists()


@pytest.mark.parametrize("relation", ["cousin", "", "SPOUSE"])
def test_a_relation_outside_the_list_is_refused(province, staff_a, pair, relation):
    person, relative = pair
    with pytest.raises(Refused) as refused:
        kinship_declare(person=person, relative=relative, relation=relation, declared_on=D(2025, 3, 1), actor=staff_a)
    assert refused.value.codes == ["kinship_unknown_relation"] and not Kinship.objects.exists()
    assert not AuditEntry.objects.filter(action="kinship.declare").exists()
