"""The access page: roles are granted and revoked through the role services, with the audit; no oracle."""

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from audit.models import AuditEntry
from organizations.models import AccessRole, RoleKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(province):
    """An account trusted with access on committee A's subtree (a direct grant: no role holds it)."""
    user = UserFactory(username="manager_a")
    for perm in ("organizations.view_organization", "organizations.manage_access"):
        assign_perm(perm, user, province.sub_a)
    return user


def _grant(client, org, username, kind=RoleKind.COMMITTEE_STAFF):
    return client.post(f"/org/{org.pk}/access/grant/", {"username": username, "kind": kind})


def _roles_of(user) -> set[tuple[str, int]]:
    return set(AccessRole.objects.filter(group__user=user).values_list("kind", "organization_id"))


def test_manager_grants_a_role_to_a_member_they_can_see(client, province, manager, an):
    client.force_login(manager)
    response = _grant(client, province.cell_1, "an", RoleKind.HEAD)
    assert response.status_code == 302
    assert (RoleKind.HEAD, province.cell_1.pk) in _roles_of(an.user)
    entry = AuditEntry.objects.filter(action="role.grant").latest("pk")
    assert entry.actor == manager and entry.data == {"user": an.user.pk, "kind": RoleKind.HEAD}
    page = client.get(f"/org/{province.cell_1.pk}/access/").content.decode()
    assert "an" in page and "Người đứng đầu" in page and "role.grant" in page


def test_an_account_out_of_reach_reads_like_one_that_does_not_exist(client, province, manager, outsider):
    client.force_login(manager)
    before = AuditEntry.objects.count()
    out_of_reach = _grant(client, province.sub_a, "outsider")
    missing = _grant(client, province.sub_a, "khong_co_ai")
    assert out_of_reach.status_code == missing.status_code == 400
    assert "Không tìm thấy tài khoản “outsider”" in out_of_reach.content.decode()
    assert "Không tìm thấy tài khoản “khong_co_ai”" in missing.content.decode()
    assert _roles_of(outsider) == {(RoleKind.COMMITTEE_STAFF, province.sub_b.pk)}
    assert AuditEntry.objects.count() == before


def test_granting_the_same_role_twice_is_refused_with_the_reason(client, province, manager, staff_a):
    client.force_login(manager)
    response = _grant(client, province.sub_a, "staff_a")
    assert response.status_code == 400
    assert "staff_a đã có vai trò này." in response.content.decode()


def test_revoke_removes_the_user_from_the_role_and_is_audited(client, province, manager, staff_a):
    role = AccessRole.objects.get(organization=province.sub_a, kind=RoleKind.COMMITTEE_STAFF)
    client.force_login(manager)
    response = client.post(f"/org/{province.sub_a.pk}/access/revoke/", {"role": role.pk, "user": staff_a.pk})
    assert response.status_code == 302
    assert not role.group.user_set.filter(pk=staff_a.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke", object_id=str(role.pk), actor=manager).exists()


def test_a_role_of_another_organization_cannot_be_revoked_from_this_page(client, province, manager, outsider):
    role_b = AccessRole.objects.get(organization=province.sub_b)
    client.force_login(manager)
    response = client.post(f"/org/{province.sub_a.pk}/access/revoke/", {"role": role_b.pk, "user": outsider.pk},
                           follow=True)
    assert "Không tìm thấy vai trò hoặc tài khoản cần thu hồi." in response.content.decode()
    assert role_b.group.user_set.filter(pk=outsider.pk).exists()


def test_without_the_permission_the_page_is_403_and_outside_the_reach_404(client, province, manager, staff_a):
    client.force_login(staff_a)
    assert client.get(f"/org/{province.sub_a.pk}/access/").status_code == 403
    assert _grant(client, province.sub_a, "staff_a", RoleKind.HEAD).status_code == 403
    client.force_login(manager)
    assert client.get(f"/org/{province.sub_b.pk}/access/").status_code == 404
    assert _grant(client, province.sub_b, "manager_a").status_code == 404


def test_the_organization_page_links_to_access_only_for_who_may_use_it(client, province, manager, staff_a):
    url = province.sub_a.get_absolute_url()
    client.force_login(manager)
    assert f"/org/{province.sub_a.pk}/access/" in client.get(url).content.decode()
    client.force_login(staff_a)
    assert f"/org/{province.sub_a.pk}/access/" not in client.get(url).content.decode()


def test_the_user_admin_shows_roles_but_does_not_change_them(admin_client, province, staff_a):
    groups = set(staff_a.groups.values_list("pk", flat=True))
    other = Group.objects.create(name="tu_tao")
    response = admin_client.post(f"/admin/auth/user/{staff_a.pk}/change/", {
        "username": "staff_a", "first_name": "", "last_name": "", "email": "", "is_active": "on",
        "groups": [other.pk], "last_login_0": "", "last_login_1": "",
        "date_joined_0": "01/01/2026", "date_joined_1": "00:00:00",
    })
    assert response.status_code == 302  # the form saved: the groups were ignored, not refused
    assert set(staff_a.groups.values_list("pk", flat=True)) == groups
