"""The person page offers ending a kinship and annulling a measure to whoever may do them: on the record's own
organization, which a transfer leaves behind, not on the person's current cell."""

import datetime as dt

import pytest

from common.actors import SYSTEM
from organizations.models import DisciplineAnnulment, DisciplineForm, Kinship, Relation, RoleKind
from organizations.services import discipline_record, kinship_declare, membership_start, role_grant
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _office_and_inspection(username: str, org):
    user = UserFactory(username=username)
    for kind in (RoleKind.COMMITTEE_STAFF, RoleKind.INSPECTION):
        role_grant(user=user, kind=kind, organization=org, actor=SYSTEM)
    return user


@pytest.fixture
def declared(province):
    """A member of cell 1 who declared a spouse there, and one disciplined measure."""
    person = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    spouse = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    kinship = kinship_declare(person=person, relative=spouse, relation=Relation.SPOUSE, declared_on=D(2025, 1, 1),
                              actor=SYSTEM)
    discipline = discipline_record(person=person, form=DisciplineForm.REPRIMAND, decided_on=D(2025, 2, 1),
                                   decided_by=province.sub_a, actor=SYSTEM)
    return person, kinship, discipline


@pytest.fixture
def transferred(province, declared):
    """A member of cell 1 (under A) who declared a spouse and was disciplined there, now in cell B."""
    person, kinship, discipline = declared
    membership_start(person=person, organization=province.cell_b, start=D(2026, 1, 1), actor=SYSTEM)
    assert kinship.organization == discipline.owner == province.cell_1
    return person, kinship, discipline


def test_the_new_cells_superiors_are_offered_no_act_on_the_records_left_behind(client, province, transferred):
    person, kinship, discipline = transferred
    client.force_login(_office_and_inspection("office_b", province.sub_b))
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert response.context["kinships"] == [kinship] and response.context["disciplines"] == [discipline]
    assert f"/kinships/{kinship.pk}/end/" not in html
    assert f"/disciplines/{discipline.pk}/annul/" not in html
    # The promise kept the other way: those acts are indeed refused to them.
    assert client.post(f"/kinships/{kinship.pk}/end/", {"ended_on": "01/06/2026"}).status_code in (403, 404)
    assert client.get(f"/disciplines/{discipline.pk}/annul/").status_code in (403, 404)


def test_whoever_holds_the_records_organization_is_offered_the_acts_and_they_succeed(client, province, transferred):
    person, kinship, discipline = transferred
    client.force_login(_office_and_inspection("office_root", province.root))
    html = client.get(person.get_absolute_url()).content.decode()
    assert f"/kinships/{kinship.pk}/end/" in html and f"/disciplines/{discipline.pk}/annul/" in html
    assert client.post(f"/kinships/{kinship.pk}/end/", {"ended_on": "01/06/2026"}).status_code == 302
    assert Kinship.objects.get(pk=kinship.pk).ended_on == D(2026, 6, 1)
    response = client.post(f"/disciplines/{discipline.pk}/annul/", {
        "annulled_on": "01/06/2026", "decided_by": province.sub_a.pk, "decision_ref": "3-QĐ/UBKT"})
    assert response.status_code == 302 and DisciplineAnnulment.objects.filter(discipline=discipline).exists()


def test_the_page_asks_for_permissions_once_per_organization_not_per_row(client, province, transferred,
                                                                         django_assert_max_num_queries):
    person, _kinship, _discipline = transferred
    for i in range(5):
        relative = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
        kinship_declare(person=person, relative=relative, relation=Relation.SIBLING, declared_on=D(2025, 3, 1 + i),
                        actor=SYSTEM)
        discipline_record(person=person, form=DisciplineForm.REPRIMAND, decided_on=D(2025, 3, 1 + i),
                          decided_by=province.sub_a, actor=SYSTEM)
    client.force_login(_office_and_inspection("office_root", province.root))
    client.get(person.get_absolute_url())
    with django_assert_max_num_queries(20) as captured:
        client.get(person.get_absolute_url())
    many = len(captured)
    Kinship.objects.filter(relation=Relation.SIBLING).delete()
    with django_assert_max_num_queries(many) as captured:
        client.get(person.get_absolute_url())
    assert len(captured) == many


@pytest.mark.parametrize(("role", "sees_kinship", "may_end", "sees_discipline"), [
    (RoleKind.COMMITTEE_STAFF, True, True, False),  # the office that records kinship: sees and ends it
    (RoleKind.INSPECTION, True, False, True),
    (RoleKind.PROVINCE_BOARD, True, False, True),
])
def test_kinship_is_shown_to_the_office_and_the_inspection_discipline_to_the_inspection(
        client, province, declared, role, sees_kinship, may_end, sees_discipline):
    person, kinship, discipline = declared
    user = UserFactory(username=f"reader_{role}")
    role_grant(user=user, kind=role, organization=province.grassroots, actor=SYSTEM)
    client.force_login(user)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (kinship in (response.context["kinships"] or [])) is sees_kinship
    assert (f"/kinships/{kinship.pk}/end/" in html) is may_end
    assert (response.context["disciplines"] is not None) is sees_discipline
    assert ("Khiển trách" in html) is sees_discipline


def test_the_office_holding_the_declaration_sees_it_after_the_person_moved_away(client, province, transferred):
    """The office of A keeps the kinship declared in its cell (and ends it), not the measure: that is discipline."""
    person, kinship, _discipline = transferred
    staff = UserFactory(username="staff_of_a")
    role_grant(user=staff, kind=RoleKind.COMMITTEE_STAFF, organization=province.sub_a, actor=SYSTEM)
    client.force_login(staff)
    response = client.get(person.get_absolute_url())
    assert response.context["kinships"] == [kinship] and response.context["disciplines"] is None


def test_a_relative_is_linked_only_for_a_reader_who_may_open_their_page(client, province, transferred):
    """The office of B sees the member now in its cell and their kinships, but not the spouse left in cell 1."""
    person, kinship, _discipline = transferred
    spouse_page = kinship.relative.get_absolute_url()
    for org, linked in ((province.sub_b, False), (province.sub_a, True)):
        staff = UserFactory(username=f"staff_{org.pk}")
        role_grant(user=staff, kind=RoleKind.COMMITTEE_STAFF, organization=org, actor=SYSTEM)
        client.force_login(staff)
        response = client.get(person.get_absolute_url())
        html = response.content.decode()
        assert kinship in response.context["kinships"] and kinship.relative.full_name in html
        assert (f'href="{spouse_page}"' in html) is linked
        if linked:
            assert client.get(spouse_page).status_code == 200
        else:
            assert client.get(spouse_page).status_code == 404
