"""Links are promises: the acts the organization page offers each role are acts its services accept."""

import datetime as dt
import re

import pytest

from organizations.models import Organization, OrgKind
from tests.factories import make_org

pytestmark = pytest.mark.django_db

ACTS = {"rename": {"name": "Tên mới"}, "dissolve": {"on": "30/06/2026", "decision_ref": "5-QĐ"}}


def _acts(client, org: Organization) -> set[str]:
    """The acts on ``org`` itself (rename, move, dissolve) its page links to."""
    html = client.get(org.get_absolute_url()).content.decode()
    return set(re.findall(rf'href="/org/{org.pk}/(rename|move|dissolve)/"', html))


@pytest.fixture
def leaf(province) -> Organization:
    """A grassroots committee under A with nothing under it (so it may be dissolved)."""
    return Organization.objects.get(pk=make_org(province.sub_a, OrgKind.GRASSROOTS_COMMITTEE, "Đảng bộ mới").pk)


def test_the_office_of_an_organization_acts_on_its_children_not_on_itself(client, province, staff_a, leaf):
    client.force_login(staff_a)
    assert _acts(client, province.sub_a) == set()
    for act in ("rename", "move", "dissolve"):
        assert client.get(f"/org/{province.sub_a.pk}/{act}/").status_code == 403, act
    assert _acts(client, province.grassroots) == {"rename", "move", "dissolve"}
    assert _acts(client, leaf) == {"rename", "move", "dissolve"}
    # Each link shown leads to an act that succeeds.
    for act in ("rename", "move", "dissolve"):
        assert client.get(f"/org/{leaf.pk}/{act}/").status_code == 200, act
    assert client.post(f"/org/{province.grassroots.pk}/move/", {"parent_code": leaf.code}).status_code == 302
    assert Organization.objects.get(pk=province.grassroots.pk).path.startswith(leaf.path)
    other = Organization.objects.get(pk=make_org(province.sub_a, OrgKind.GRASSROOTS_COMMITTEE).pk)
    for act, data in ACTS.items():
        assert client.post(f"/org/{other.pk}/{act}/", data).status_code == 302, act
    other.refresh_from_db()
    assert other.name == "Tên mới" and other.dissolved_on is not None


@pytest.mark.parametrize("role", ["board_officer", "inspector_a", "an"])
def test_who_does_not_manage_members_above_sees_no_act_on_the_organization(client, province, request, role):
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)
    client.force_login(user)
    for org in (province.sub_a, province.grassroots, province.cell_1):
        if client.get(org.get_absolute_url()).status_code == 200:
            assert _acts(client, org) == set(), (role, org)
        assert client.get(f"/org/{org.pk}/rename/").status_code in (403, 404)


def test_the_root_is_renamed_by_its_own_office_and_never_offered_a_move(client, province, django_user_model):
    from common.actors import SYSTEM
    from organizations.models import RoleKind
    from organizations.services import role_grant
    from tests.factories import UserFactory

    office = UserFactory(username="root_office")
    role_grant(user=office, kind=RoleKind.COMMITTEE_STAFF, organization=province.root, actor=SYSTEM)
    client.force_login(office)
    assert _acts(client, province.root) == {"rename", "dissolve"}
    assert client.post(f"/org/{province.root.pk}/rename/", {"name": "Đảng bộ tỉnh Mới"}).status_code == 302
    assert _acts(client, province.sub_a) == {"rename", "move", "dissolve"}


def test_the_inspection_committee_is_offered_discipline_on_the_organizations_below_it_only(
        client, province, inspector_a):
    client.force_login(inspector_a)
    link = "/discipline/new/"
    own = client.get(province.sub_a.get_absolute_url()).content.decode()
    below = client.get(province.grassroots.get_absolute_url()).content.decode()
    assert f"/org/{province.sub_a.pk}{link}" not in own
    assert f"/org/{province.grassroots.pk}{link}" in below
    assert client.get(f"/org/{province.grassroots.pk}{link}").status_code == 200


def test_an_organizations_measure_offers_its_annulment_to_the_bodies_above_it_only(client, province, inspector_a):
    from common.actors import SYSTEM
    from organizations.models import DisciplineForm
    from organizations.services import discipline_record

    on_a = discipline_record(organization=province.sub_a, form=DisciplineForm.REPRIMAND,
                             decided_on=dt.date(2026, 4, 2), decided_by=province.root, actor=SYSTEM)
    on_grassroots = discipline_record(organization=province.grassroots, form=DisciplineForm.REPRIMAND,
                                      decided_on=dt.date(2026, 4, 2), decided_by=province.sub_a, actor=SYSTEM)
    client.force_login(inspector_a)
    assert f"/disciplines/{on_a.pk}/annul/" not in client.get(province.sub_a.get_absolute_url()).content.decode()
    page = client.get(province.grassroots.get_absolute_url()).content.decode()
    assert f"/disciplines/{on_grassroots.pk}/annul/" in page
    assert client.post(f"/disciplines/{on_grassroots.pk}/annul/", {
        "annulled_on": "01/06/2026", "decided_by": province.sub_a.pk}).status_code == 302
