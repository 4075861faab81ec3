"""Each app declares its organization permissions; every role group holds exactly the declared set."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from guardian.models import GroupObjectPermission

from common.actors import SYSTEM
from organizations import permissions
from organizations.models import AccessRole, Organization, RoleKind
from organizations.services import role_create

pytestmark = pytest.mark.django_db


def _codenames(role: AccessRole) -> set[str]:
    return set(GroupObjectPermission.objects.filter(group=role.group, object_pk=str(role.organization_id))
               .values_list("permission__codename", flat=True))


def test_organization_meta_lists_no_permission_of_another_app():
    assert Organization._meta.permissions == []
    declared = permissions.declared()
    assert declared["record_decisions"].app_label == "governance"
    assert declared["manage_members"].app_label == "organizations"
    assert Permission.objects.filter(content_type__model="organization", codename="record_decisions").exists()


def test_a_permission_declared_later_reaches_roles_created_earlier(province):
    role = role_create(kind=RoleKind.INSPECTION, organization=province.sub_a, actor=SYSTEM)
    assert _codenames(role) == permissions.codenames_for(RoleKind.INSPECTION)
    permissions.declare("tests", "review_quality", "Đánh giá chất lượng", roles=[RoleKind.INSPECTION])
    try:
        call_command("migrate", verbosity=0)  # the post_migrate hook syncs every role group
        assert "review_quality" in _codenames(role)
    finally:
        permissions._declared.pop("review_quality")
    call_command("migrate", verbosity=0)
    assert "review_quality" not in _codenames(role)  # withdrawn declarations are withdrawn from groups


def test_a_role_created_outside_the_services_gets_its_permissions_on_migrate(province):
    group = Group.objects.create(name="made-in-admin")
    role = AccessRole.objects.create(group=group, kind=RoleKind.PROVINCE_BOARD, organization=province.root)
    assert _codenames(role) == set()
    call_command("migrate", verbosity=0)
    assert _codenames(role) == permissions.codenames_for(RoleKind.PROVINCE_BOARD) != set()


def test_a_stray_grant_is_removed(province):
    role = role_create(kind=RoleKind.MEMBER, organization=province.cell_1, actor=SYSTEM)
    perm = Permission.objects.get(content_type__model="organization", codename="manage_members")
    GroupObjectPermission.objects.create(group=role.group, permission=perm, content_type=perm.content_type,
                                         object_pk=str(province.cell_1.pk))
    permissions.sync_role(role)
    assert _codenames(role) == set()  # a member holds nothing on organizations
