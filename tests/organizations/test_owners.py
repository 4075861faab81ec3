"""Kinship and discipline store the organization that holds them; the access layer reads it, never guesses."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations import access
from organizations.models import Discipline, DisciplineForm, Kinship, Relation
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def records(province):
    """A kinship and a discipline of a member of cell 1 who has since left every cell (records kept)."""
    person = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    kinship = Kinship.objects.create(person=person, relative=PersonFactory(), relation=Relation.SPOUSE,
                                     declared_on=D(2015, 1, 1), organization=province.cell_1)
    discipline = Discipline.objects.create(person=person, owner=province.cell_1, form=DisciplineForm.WARNING,
                                           decided_on=D(2016, 1, 1))
    person.memberships.all().delete()  # nothing left from which an owner could be derived
    return kinship, discipline


def test_an_access_check_on_a_record_with_no_derivable_owner_answers_instead_of_failing(
        rf, province, records, staff_a, outsider, inspector_a):
    kinship, discipline = records
    for queryset, pk in ((Kinship.objects.select_related("organization"), kinship.pk),
                         (Discipline.objects.select_related("owner"), discipline.pk)):
        request = rf.get("/")
        request.user = inspector_a
        assert access.get_owned_for(request, queryset, pk, access.VIEW_DISCIPLINE).org == province.cell_1
        request.user = staff_a  # sees the cell, may not see disciplines
        with pytest.raises(PermissionDenied):
            access.get_owned_for(request, queryset, pk, access.VIEW_DISCIPLINE)
        request.user = outsider
        with pytest.raises(Http404):
            access.get_owned_for(request, queryset, pk)


def test_the_records_of_a_subtree_are_one_filter(province, records):
    kinship, discipline = records
    assert list(Kinship.objects.in_subtree(province.sub_a)) == [kinship]
    assert list(Discipline.objects.in_subtree(province.sub_a)) == [discipline]
    assert not Kinship.objects.in_subtree(province.sub_b).exists()


def test_the_migration_places_existing_records_where_they_were_derived(province):
    """Migration 0005 filled the owners from what was derivable: the cell on the day, else the nearest."""
    import importlib

    from organizations.models import Membership

    cell_of = importlib.import_module("organizations.migrations.0005_kinship_discipline_owner")._cell_of
    person = PersonFactory()
    MembershipFactory(person=person, organization=province.cell_1, start=D(2010, 1, 1), end=D(2019, 12, 31))
    MembershipFactory(person=person, organization=province.cell_b, start=D(2020, 1, 1))
    assert cell_of(Membership, person.pk, D(2015, 6, 1)) == province.cell_1.pk
    assert cell_of(Membership, person.pk, D(2024, 6, 1)) == province.cell_b.pk
    assert cell_of(Membership, person.pk, D(2001, 1, 1)) == province.cell_1.pk  # before any: the first
    assert cell_of(Membership, PersonFactory().pk, D(2024, 6, 1)) is None  # then the migration uses the root
