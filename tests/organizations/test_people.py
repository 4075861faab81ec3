"""A person is created in a cell and their identity corrected through services; the audit keeps old and new."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.reasons import Refused
from organizations import access
from organizations.models import Gender, Person
from organizations.services import person_correct, person_create
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_office_creates_a_member_in_a_cell_of_its_subtree(province, staff_a):
    person = person_create(organization=province.cell_1, start=D(2026, 1, 5), full_name="Lê Thị Hoa",
                           gender=Gender.FEMALE, birth_date=D(1990, 2, 3), card_number="0300000001",
                           join_date=D(2015, 5, 19), actor=staff_a)
    assert person.cell_on(D(2026, 1, 5)) == province.cell_1
    assert access.people_for(staff_a).filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(action="person.create")
    assert entry.actor == staff_a and entry.data["card_number"] == "0300000001" and entry.data["start"] == "2026-01-05"


def test_a_card_already_issued_is_refused_without_naming_its_holder(province, staff_a):
    PersonFactory(full_name="Người Khác", card_number="0300000001")
    with pytest.raises(Refused) as refused:
        person_create(organization=province.cell_1, start=D(2026, 1, 5), full_name="Lê Thị Hoa",
                      gender=Gender.FEMALE, card_number="0300000001", actor=staff_a)
    assert refused.value.codes == ["person_card_taken"] and "Người Khác" not in str(refused.value)
    assert Person.objects.count() == 1


def test_a_member_is_created_only_in_a_cell(province, staff_a):
    with pytest.raises(Refused) as refused:
        person_create(organization=province.grassroots, start=D(2026, 1, 5), full_name="Lê Thị Hoa",
                      gender=Gender.FEMALE, actor=staff_a)
    assert refused.value.codes == ["membership_not_cell"] and not Person.objects.exists()


def test_a_correction_keeps_the_old_and_new_values(province, staff_a):
    person = MembershipFactory(organization=province.cell_1, person__full_name="Lê Thi Hoa",
                               person__birth_date=D(1980, 2, 3)).person
    person_correct(person=person, full_name="Lê Thị Hoa", birth_date=D(1980, 3, 2), gender=person.gender,
                   actor=staff_a)
    person.refresh_from_db()
    assert (person.full_name, person.birth_date, person.search_name) == ("Lê Thị Hoa", D(1980, 3, 2), "le thi hoa")
    entry = AuditEntry.objects.get(action="person.correct")
    assert entry.data == {"old": {"full_name": "Lê Thi Hoa", "birth_date": "1980-02-03"},
                          "new": {"full_name": "Lê Thị Hoa", "birth_date": "1980-03-02"}}


@pytest.mark.parametrize(("changes", "code"), [
    ({}, "organizations_no_change"),
    ({"card_number": "0300000009"}, "person_card_taken"),
    ({"official_date": D(2000, 1, 1)}, "person_official_before_join"),
])
def test_a_correction_that_changes_nothing_or_breaks_a_rule_is_refused(province, staff_a, changes, code):
    PersonFactory(card_number="0300000009")
    person = MembershipFactory(organization=province.cell_1).person
    before = (Person.objects.get(pk=person.pk).__dict__.copy(), AuditEntry.objects.count())
    with pytest.raises(Refused) as refused:
        person_correct(person=person, full_name=person.full_name, actor=staff_a, **changes)
    assert refused.value.codes == [code]
    after = Person.objects.get(pk=person.pk).__dict__
    assert {k: after[k] for k in after if k != "_state"} == {k: before[0][k] for k in before[0] if k != "_state"}
    assert AuditEntry.objects.count() == before[1]


@pytest.mark.parametrize(("dates", "codes"), [
    ({"birth_date": D(2000, 1, 1), "join_date": D(1999, 1, 1)}, ["person_join_before_birth"]),
    ({"birth_date": D(2000, 1, 1), "join_date": D(2017, 12, 31)}, ["person_under_18"]),
    ({"join_date": D(2026, 2, 1)}, ["person_start_before_join"]),
    ({"join_date": D(2027, 1, 1)}, ["person_future_date", "person_start_before_join"]),
    ({"start": D(2027, 1, 1)}, ["person_future_date"]),
])
def test_a_member_whose_dates_cannot_be_true_is_not_created(province, staff_a, dates, codes):
    values = {"start": D(2026, 1, 5), **dates}
    with pytest.raises(Refused) as refused:
        person_create(organization=province.cell_1, full_name="Lê Thị Hoa", gender=Gender.FEMALE, actor=staff_a,
                      **values)
    assert refused.value.codes == codes and not Person.objects.exists()


@pytest.mark.parametrize(("changes", "codes"), [
    ({"birth_date": D(1990, 1, 1)}, ["person_under_18"]),  # joined 2005
    ({"join_date": D(2021, 1, 1), "official_date": D(2022, 1, 1)}, ["person_start_before_join"]),  # since 2020
    ({"birth_date": D(2030, 1, 1)}, ["person_future_date", "person_join_before_birth"]),
])
def test_a_correction_whose_dates_cannot_be_true_is_refused(province, staff_a, changes, codes):
    person = MembershipFactory(organization=province.cell_1, start=D(2020, 1, 1)).person
    with pytest.raises(Refused) as refused:
        person_correct(person=person, actor=staff_a, **changes)
    assert refused.value.codes == codes
    assert Person.objects.get(pk=person.pk).birth_date == person.birth_date


def test_the_identity_form_shows_each_date_reason_on_its_field(client, province, staff_a):
    client.force_login(staff_a)
    response = client.post(f"/org/{province.cell_1.pk}/people/new/", {
        "full_name": "Lê Thị Hoa", "gender": "female", "birth_date": "03/02/1994", "join_date": "01/01/2010",
        "start": "01/01/2009"})
    assert response.status_code == 400 and not Person.objects.exists()
    errors = response.context["form"].errors
    assert "18 tuổi" in errors["join_date"][0] and "15 tuổi" in errors["join_date"][0]
    assert errors["start"] == ["Ngày bắt đầu sinh hoạt không được trước ngày vào Đảng."]
