"""Governance services: transfers between cells and role grants, audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from organizations import access
from organizations.models import AccessRole, Membership, RoleKind
from organizations.services import membership_start, role_grant, role_revoke
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_transfer_closes_the_current_membership_the_day_before(province, staff_a):
    person = MembershipFactory(organization=province.cell_1, start=D(2020, 1, 1)).person
    new = membership_start(person=person, organization=province.cell_2, start=D(2024, 7, 1), actor=staff_a)
    old = Membership.objects.get(person=person, organization=province.cell_1)
    assert old.end == D(2024, 6, 30) and new.end is None
    assert person.membership_on(D(2024, 6, 30)).organization == province.cell_1
    assert person.membership_on(D(2024, 7, 1)).organization == province.cell_2
    entry = AuditEntry.objects.get(action="membership.start")
    assert entry.actor == staff_a and entry.data["ended"] == old.pk


def test_a_transfer_must_start_after_the_current_membership(province, staff_a):
    person = MembershipFactory(organization=province.cell_1, start=D(2024, 1, 1)).person
    with pytest.raises(ValidationError, match="phải sau ngày bắt đầu sinh hoạt hiện tại"):
        membership_start(person=person, organization=province.cell_2, start=D(2024, 1, 1), actor=staff_a)
    assert Membership.objects.get(person=person).end is None  # nothing changed


def test_members_are_registered_only_in_cells(province, staff_a):
    with pytest.raises(ValidationError, match="chỉ sinh hoạt tại chi bộ"):
        membership_start(person=PersonFactory(), organization=province.grassroots, start=D(2024, 1, 1),
                         actor=staff_a)


def test_a_transfer_into_a_closed_past_period_is_refused(province, staff_a):
    person = PersonFactory()
    MembershipFactory(person=person, organization=province.cell_1, start=D(2018, 1, 1), end=D(2030, 1, 1))
    with pytest.raises(ValidationError, match="Trùng thời gian"):
        membership_start(person=person, organization=province.cell_2, start=D(2025, 1, 1), actor=staff_a)


def test_roles_share_one_group_per_organization_and_can_be_revoked(province, admin_user):
    """Roles are given by the system administrator: no role holds ``manage_access``."""
    board_officer = admin_user
    first, second = UserFactory(), UserFactory()
    role_grant(user=first, kind=RoleKind.COMMITTEE_STAFF, organization=province.cell_b, actor=board_officer)
    role_grant(user=second, kind=RoleKind.COMMITTEE_STAFF, organization=province.cell_b, actor=board_officer)
    role = AccessRole.objects.get(kind=RoleKind.COMMITTEE_STAFF, organization=province.cell_b)
    assert set(role.group.user_set.all()) == {first, second}
    assert access.can(second, access.MANAGE_MEMBERS, province.cell_b)
    role_revoke(user=second, role=role, actor=board_officer)
    assert not access.can(second, access.VIEW, province.cell_b)
    assert access.can(first, access.VIEW, province.cell_b)
    assert AuditEntry.objects.filter(action__in=["role.grant", "role.revoke"], actor=board_officer).count() == 3


def test_audit_entries_cannot_be_rewritten(province, board_officer):
    entry = AuditEntry.objects.filter(action="role.grant").first()
    entry.summary = "sửa lại"
    with pytest.raises(ValueError):
        entry.save()
