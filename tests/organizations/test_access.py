"""The access resolver: a grant covers the subtree, in a fixed number of queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import assign_perm

from assessments.permissions import DECIDE, ENTER
from governance.permissions import RECORD_DECISIONS
from organizations import access
from organizations.models import AccessRole, Organization
from personnel.permissions import MANAGE_PERSONNEL, VIEW_NOMINATOR_RECORD, VIEW_PERSONNEL
from tests.factories import UserFactory, make_org

pytestmark = pytest.mark.django_db


def test_a_grant_on_an_organization_covers_its_whole_subtree(province, staff_a):
    assert access.can(staff_a, access.VIEW, province.sub_a)
    assert access.can(staff_a, access.VIEW, province.cell_2)
    assert access.can(staff_a, access.MANAGE_MEMBERS, province.cell_1)
    assert not access.can(staff_a, access.VIEW, province.root)
    assert not access.can(staff_a, access.VIEW, province.cell_b)
    assert not access.can(staff_a, access.VIEW_DISCIPLINE, province.cell_1)


def test_the_board_officer_reads_everything_but_manages_no_member(province, board_officer):
    assert all(access.can(board_officer, access.VIEW, o) for o in Organization.objects.all())
    assert not access.can(board_officer, access.MANAGE_MEMBERS, province.cell_1)
    assert set(access.orgs_for(board_officer)) == set(Organization.objects.all())


def test_orgs_for_lists_only_granted_subtrees(province, staff_a, outsider):
    assert set(access.orgs_for(staff_a)) == {province.sub_a, province.grassroots,
                                             province.cell_1, province.cell_2}
    assert set(access.orgs_for(outsider)) == {province.sub_b, province.cell_b}


def test_nested_grants_collapse_to_the_covering_subtree(province, staff_a):
    AccessRole.objects.get(kind="committee_staff", organization=province.sub_a)
    assign_perm("governance.view_organization", staff_a, province.cell_1)  # a direct user grant too
    assert access.granted_paths(staff_a, access.VIEW) == [province.sub_a.path]


def test_direct_user_grants_count_too(province):
    clerk = UserFactory()
    assign_perm("governance.view_organization", clerk, province.cell_b)
    assert access.can(clerk, access.VIEW, province.cell_b)
    assert not access.can(clerk, access.VIEW, province.sub_b)


def test_nobody_unauthenticated_or_inactive_gets_anything(province, staff_a):
    assert not access.can(AnonymousUser(), access.VIEW, province.cell_1)
    assert list(access.orgs_for(AnonymousUser())) == []
    staff_a.is_active = False
    assert not access.can(staff_a, access.VIEW, province.cell_1)


def test_a_member_sees_their_own_record_and_nobody_else(province, an):
    other = access.people_for(an.user)
    assert list(other) == [an]
    assert not access.can(an.user, access.VIEW, province.cell_1)


def test_can_costs_one_query_whatever_the_depth(province, staff_a, django_assert_num_queries):
    deep = province.cell_1
    for _ in range(10):
        deep = make_org(deep)
    deep = Organization.objects.get(pk=deep.pk)
    access.can(staff_a, access.VIEW, province.root)  # warm the content type cache
    with django_assert_num_queries(1):
        assert access.can(staff_a, access.VIEW, deep)
    with django_assert_num_queries(1):
        assert not access.can(staff_a, access.VIEW, province.root)


def test_people_for_is_one_query(province, staff_a, an, django_assert_num_queries):
    access.can(staff_a, access.VIEW, province.root)
    with django_assert_num_queries(2):  # the grants, then the people
        assert an in list(access.people_for(staff_a))


def test_who_has_access_lists_roles_from_ancestors(province, staff_a, board_officer, outsider):
    holders = {(r.kind, r.organization_id) for r in access.access_holders(province.cell_1)}
    assert holders == {("committee_staff", province.sub_a.pk), ("province_board", province.root.pk)}


def test_perms_on_collects_every_permission_in_one_query(province, staff_a, inspector_a,
                                                          django_assert_num_queries):
    access.can(staff_a, access.VIEW, province.root)
    with django_assert_num_queries(1):
        assert access.perms_on(staff_a, province.cell_1) == {access.VIEW, access.MANAGE_MEMBERS,
                                                             RECORD_DECISIONS, ENTER, DECIDE, VIEW_PERSONNEL,
                                                             MANAGE_PERSONNEL}
    assert access.perms_on(inspector_a, province.cell_2) == {access.VIEW, access.VIEW_DISCIPLINE,
                                                             access.MANAGE_DISCIPLINE, access.VIEW_DASHBOARD,
                                                             VIEW_PERSONNEL, VIEW_NOMINATOR_RECORD}
    assert access.perms_on(staff_a, province.cell_b) == set()


def test_who_sees_every_root_sees_everyone_without_a_membership_test(province, board_officer, staff_a):
    from organizations.models import Person
    from tests.factories import PersonFactory

    relative = PersonFactory(full_name="Người Thân Không Là Đảng Viên")  # no membership anywhere
    assert relative in access.people_for(board_officer)
    assert relative not in access.people_for(staff_a)
    other_root = make_org(None, "provincial", "Đảng bộ tỉnh Khác")
    assert other_root.depth == 1 and relative not in access.people_for(board_officer)
    assert Person.objects.count() > access.people_for(board_officer).count()
