"""Every organizations service authorizes its actor under its own transaction.

For each service, staff of another subtree (the outsider, committee B) and a reader of the right subtree
without the act's permission (the province's board officer, who sees everything and changes nothing) are
refused with ``not_permitted``, and nothing is written: no row, no audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from organizations import services
from organizations.models import AccessRole, ImportStatus, MemberImport, Membership, Person, RoleKind, Tenure
from tests.factories import MembershipFactory, TenureFactory, UserFactory, position

pytestmark = pytest.mark.django_db
D = dt.date
CSV = "Họ và tên,Giới tính,Ngày vào Đảng\nLê Thị Mai,Nữ,19/05/2010\n"
TABLES = (AuditEntry, Person, Membership, Tenure, AccessRole, Group, MemberImport)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in TABLES}


def assert_refused_and_nothing_written(act: Callable[[object], object], *actors) -> None:
    for actor in actors:
        before = _counts()
        with pytest.raises(Refused) as refused:
            act(actor)
        assert refused.value.codes == ["not_permitted"], actor
        assert _counts() == before, actor


@pytest.fixture
def member(province):
    return MembershipFactory(organization=province.cell_1, start=D(2020, 1, 1)).person


def test_membership_start(province, member, outsider, board_officer, staff_a):
    assert_refused_and_nothing_written(
        lambda actor: services.membership_start(person=member, organization=province.cell_2,
                                                start=D(2024, 7, 1), actor=actor),
        outsider, board_officer)
    # Staff of A may not take a member of A into B's cell, nor staff of B take them out of A.
    for actor in (staff_a, outsider):
        assert_refused_and_nothing_written(
            lambda actor: services.membership_start(person=member, organization=province.cell_b,
                                                    start=D(2024, 7, 1), actor=actor), actor)


def test_role_create_grant_and_revoke(province, outsider, board_officer, staff_a):
    user = UserFactory()
    for actor in (outsider, board_officer, staff_a):  # no role holds manage_access: staff of A neither
        assert_refused_and_nothing_written(
            lambda actor: services.role_create(kind=RoleKind.HEAD, organization=province.cell_1, actor=actor),
            actor)
        assert_refused_and_nothing_written(
            lambda actor: services.role_grant(user=user, kind=RoleKind.HEAD, organization=province.cell_1,
                                              actor=actor), actor)
    role = services.role_grant(user=user, kind=RoleKind.HEAD, organization=province.cell_1, actor=SYSTEM)
    assert_refused_and_nothing_written(
        lambda actor: services.role_revoke(user=user, role=role, actor=actor), outsider, board_officer, staff_a)
    assert role.group.user_set.filter(pk=user.pk).exists()


def test_anonymous_and_none_are_refused(province, member):
    from django.contrib.auth.models import AnonymousUser

    assert_refused_and_nothing_written(
        lambda actor: services.membership_start(person=member, organization=province.cell_2,
                                                start=D(2024, 7, 1), actor=actor),
        AnonymousUser(), None)


def test_tenure_start_and_end(province, member, outsider, board_officer):
    assert_refused_and_nothing_written(
        lambda actor: services.tenure_start(person=member, position=position("secretary"),
                                            organization=province.cell_1, start=D(2025, 1, 1), actor=actor),
        outsider, board_officer)
    tenure = TenureFactory(position=position("secretary"), organization=province.grassroots, start=D(2020, 1, 1))
    assert_refused_and_nothing_written(
        lambda actor: services.tenure_end(tenure=tenure, end=D(2025, 1, 1), actor=actor), outsider, board_officer)
    assert Tenure.objects.get(pk=tenure.pk).end is None


def test_member_import_preview_and_commit(province, outsider, board_officer, staff_a):
    assert_refused_and_nothing_written(
        lambda actor: services.member_import_preview(organization=province.cell_1, file_name="a.csv",
                                                     content=CSV.encode(), actor=actor),
        outsider, board_officer)
    batch, _rows = services.member_import_preview(organization=province.cell_1, file_name="a.csv",
                                                  content=CSV.encode(), actor=staff_a)
    assert_refused_and_nothing_written(
        lambda actor: services.member_import_commit(batch=batch, actor=actor), outsider, board_officer)
    assert MemberImport.objects.get(pk=batch.pk).status == ImportStatus.PREVIEWED


def test_member_imports_purge_is_for_the_portal_or_a_superuser(province, staff_a, board_officer, admin_user):
    assert_refused_and_nothing_written(lambda actor: services.member_imports_purge(actor=actor),
                                       staff_a, board_officer)
    services.member_imports_purge(actor=admin_user)
    services.member_imports_purge(actor=SYSTEM)
    assert AuditEntry.objects.filter(action="import.purge").count() == 2


def test_a_refusal_reads_in_the_readers_language(province, member, outsider):
    from django.utils import translation

    with pytest.raises(Refused) as refused:
        services.membership_start(person=member, organization=province.cell_2, start=D(2024, 7, 1),
                                  actor=outsider)
    with translation.override("en"):
        assert "not allowed" in str(refused.value)
