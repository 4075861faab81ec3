"""Dated queries and the rules the database itself enforces."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from common.text import fold
from organizations.models import BodyKind, Discipline, DisciplineForm, Kinship, Membership, Person, Relation, Tenure
from tests.factories import (
    BodyFactory,
    DisciplineFactory,
    KinshipFactory,
    MembershipFactory,
    PersonFactory,
    TenureFactory,
    make_org,
    position,
)

pytestmark = pytest.mark.django_db

D = dt.date


def test_fold_ignores_diacritics_and_d_stroke():
    assert fold("  Nguyễn   Văn Đức ") == "nguyen van duc"
    assert fold("ĐẶNG THỊ HƯƠNG") == "dang thi huong"
    assert fold("Hoàng Thuỳ Linh") == fold("Hoàng Thùy Linh")


def test_subtree_is_a_path_prefix_whatever_the_depth(province):
    deep = province.cell_1
    for _ in range(6):  # no fixed depth: nest cells under cells for the test
        deep = make_org(deep, name="lồng")
    subtree = set(type(province.root).objects.in_subtree(province.sub_a).values_list("pk", flat=True))
    assert province.cell_1.pk in subtree and deep.pk in subtree
    assert province.cell_b.pk not in subtree and province.root.pk not in subtree


def test_members_of_an_organization_on_a_date(province):
    stays = MembershipFactory(organization=province.cell_1, start=D(2019, 1, 1)).person
    moved = PersonFactory()
    MembershipFactory(person=moved, organization=province.cell_1, start=D(2019, 1, 1), end=D(2023, 6, 30))
    MembershipFactory(person=moved, organization=province.cell_b, start=D(2023, 7, 1))

    assert set(Person.objects.members_of(province.cell_1, on=D(2023, 6, 30))) == {stays, moved}
    assert set(Person.objects.members_of(province.cell_1, on=D(2023, 7, 1))) == {stays}
    assert set(Person.objects.members_of(province.sub_a, on=D(2024, 1, 1), subtree=True)) == {stays}
    assert set(Person.objects.members_of(province.root, on=D(2024, 1, 1), subtree=True)) == {stays, moved}
    assert moved.membership_on(D(2022, 1, 1)).organization == province.cell_1
    assert moved.membership_on(D(2024, 1, 1)).organization == province.cell_b


def test_overlapping_memberships_are_refused_by_the_database(province):
    person = PersonFactory()
    MembershipFactory(person=person, organization=province.cell_1, start=D(2020, 1, 1), end=D(2022, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        # shares 31/12/2022 with the first (end dates are inclusive)
        Membership.objects.create(person=person, organization=province.cell_2, start=D(2022, 12, 31))
    Membership.objects.create(person=person, organization=province.cell_2, start=D(2023, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(person=person, organization=province.cell_1).update(end=None)
    # another person may be in both cells at the same time
    MembershipFactory(organization=province.cell_1, start=D(2020, 1, 1))


def test_a_tenure_cannot_end_before_it_starts(province):
    with pytest.raises(IntegrityError), transaction.atomic():
        TenureFactory(position=position("secretary"), organization=province.grassroots,
                      start=D(2025, 1, 1), end=D(2024, 12, 31))


def test_card_numbers_are_unique_but_may_be_missing(db):
    PersonFactory(card_number="0123456789")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(card_number="0123456789")
    PersonFactory(card_number=None)
    PersonFactory(card_number=None)  # several people without a card yet


def test_head_on_a_date_and_office_holders_of_a_body(province):
    executive = BodyFactory(organization=province.grassroots, kind=BodyKind.EXECUTIVE)
    old = TenureFactory(position=position("secretary"), organization=province.grassroots, body=executive,
                        start=D(2020, 6, 1), end=D(2025, 6, 14)).person
    new = TenureFactory(position=position("secretary"), organization=province.grassroots, body=executive,
                        start=D(2025, 6, 15)).person
    member = TenureFactory(position=position("executive-member"), organization=province.grassroots,
                           body=executive, start=D(2020, 6, 1)).person

    assert province.grassroots.head_on(D(2024, 1, 1)) == old
    assert province.grassroots.head_on(D(2025, 6, 15)) == new
    assert province.grassroots.head_on(D(2019, 1, 1)) is None
    assert set(executive.members_on(D(2025, 6, 14))) == {old, member}
    assert set(executive.members_on(D(2025, 6, 15))) == {new, member}


def test_an_acting_head_counts_only_when_no_substantive_head_is_in_office(province):
    org = province.grassroots
    acting = TenureFactory(position=position("secretary"), organization=org, start=D(2025, 1, 1),
                           acting=True).person
    assert org.head_on(D(2025, 2, 1)) == acting
    substantive = TenureFactory(position=position("secretary"), organization=org, start=D(2025, 3, 1)).person
    assert org.head_on(D(2025, 3, 1)) == substantive


def test_the_secretary_who_also_heads_the_agency_holds_two_tenures(province):
    """The "unified" model: party secretary and head of the agency, never a special case."""
    agency = make_org(province.grassroots, kind="agency", name="Sở Tài chính")
    leadership = BodyFactory(organization=agency, kind=BodyKind.LEADERSHIP)
    secretary = TenureFactory(position=position("secretary"), organization=province.grassroots,
                              start=D(2025, 6, 15)).person
    TenureFactory(person=secretary, position=position("agency-head"), organization=agency,
                  body=leadership, start=D(2024, 1, 1), concurrent=True)

    on = D(2025, 7, 1)
    assert province.grassroots.head_on(on) == secretary
    assert agency.head_on(on) == secretary
    assert list(leadership.members_on(on)) == [secretary]
    assert Tenure.objects.filter(person=secretary).active_on(on).heads().count() == 2


def test_relatives_are_found_whichever_side_declared_them(province):
    a, b, c = (MembershipFactory(organization=province.cell_1, start=dt.date(2010, 1, 1)).person for _ in range(3))
    Kinship.objects.create(person=a, relative=b, relation=Relation.SPOUSE, organization=province.cell_1)
    Kinship.objects.create(person=c, relative=a, relation=Relation.CHILD, organization=province.cell_1)
    assert set(a.relatives()) == {b, c}
    assert set(b.relatives()) == {a}
    with pytest.raises(IntegrityError), transaction.atomic():
        Kinship.objects.create(person=a, relative=a, relation=Relation.OTHER, organization=province.cell_1)


def test_a_discipline_has_exactly_one_fitting_subject(province):
    person = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    cell = province.cell_1
    Discipline.objects.create(person=person, owner=cell, form=DisciplineForm.WARNING, decided_on=D(2024, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Discipline.objects.create(person=person, organization=cell, owner=cell,
                                  form=DisciplineForm.REPRIMAND, decided_on=D(2024, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Discipline.objects.create(organization=cell, owner=cell, form=DisciplineForm.EXPULSION,
                                  decided_on=D(2024, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Discipline.objects.create(person=person, owner=cell, form=DisciplineForm.DISSOLUTION,
                                  decided_on=D(2024, 5, 1))


def test_every_model_with_a_page_has_an_absolute_url(province):
    person = PersonFactory()
    assert province.cell_1.get_absolute_url() == f"/org/{province.cell_1.pk}/"
    assert person.get_absolute_url() == f"/people/{person.pk}/"


def test_a_cell_meeting_is_every_member_of_the_cell_on_the_date(province):
    meeting = BodyFactory(organization=province.cell_1, kind=BodyKind.CELL_MEETING)
    early = MembershipFactory(organization=province.cell_1, start=D(2019, 1, 1)).person
    late = MembershipFactory(organization=province.cell_1, start=D(2024, 1, 1)).person
    MembershipFactory(organization=province.cell_2, start=D(2019, 1, 1))
    assert set(meeting.members_on(D(2023, 1, 1))) == {early}
    assert set(meeting.members_on(D(2024, 1, 1))) == {early, late}


def test_kinship_and_discipline_store_their_organization(province):
    person = PersonFactory()
    MembershipFactory(person=person, organization=province.cell_1, start=dt.date(2010, 1, 1),
                      end=dt.date(2019, 12, 31))
    MembershipFactory(person=person, organization=province.cell_b, start=dt.date(2020, 1, 1))
    # The writer stores the owner (the services: the person's cell on the day); the row keeps it.
    old = KinshipFactory(person=person, relation=Relation.SIBLING, declared_on=dt.date(2015, 6, 1),
                         organization=province.cell_1)
    new = KinshipFactory(person=person, relation=Relation.SIBLING, declared_on=dt.date(2024, 6, 1),
                         organization=province.cell_b)
    reprimand = DisciplineFactory(person=person, owner=province.cell_1, decided_on=dt.date(2018, 3, 1))
    warning = DisciplineFactory(organization=province.grassroots, owner=province.grassroots,
                                form=DisciplineForm.WARNING, decided_on=dt.date(2018, 3, 1))
    person.memberships.all().delete()  # nothing left to derive from: the stored owner stays
    assert Kinship.objects.get(pk=old.pk).owning_organization == province.cell_1
    assert Kinship.objects.get(pk=new.pk).owning_organization == province.cell_b
    assert Discipline.objects.get(pk=reprimand.pk).owning_organization == province.cell_1
    assert Discipline.objects.get(pk=warning.pk).owning_organization == province.grassroots


def test_a_kinship_or_discipline_written_without_its_owner_is_refused_by_the_database(province):
    """Nothing derives the owner, even where a cell could be found: whoever writes the row stores it."""
    from django.db import IntegrityError, transaction

    person = MembershipFactory(organization=province.cell_1, start=dt.date(2010, 1, 1)).person
    with pytest.raises(IntegrityError), transaction.atomic():
        KinshipFactory(person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisciplineFactory(person=person)
    assert not Kinship.objects.exists() and not Discipline.objects.exists()
