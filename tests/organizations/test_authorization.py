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
from organizations.models import (
    AccessRole,
    Discipline,
    DisciplineAnnulment,
    DisciplineForm,
    Gender,
    ImportStatus,
    Kinship,
    MemberImport,
    Membership,
    Organization,
    OrgKind,
    Person,
    Relation,
    RoleKind,
    Tenure,
)
from tests.factories import MembershipFactory, TenureFactory, UserFactory, position

pytestmark = pytest.mark.django_db
D = dt.date
CSV = "Họ và tên,Giới tính,Ngày vào Đảng\nLê Thị Mai,Nữ,19/05/2010\n"
TABLES = (AuditEntry, Person, Membership, Tenure, AccessRole, Group, MemberImport, Organization, Kinship,
          Discipline, DisciplineAnnulment)


def _counts() -> dict[str, object]:
    counts: dict[str, object] = {m.__name__: m.objects.count() for m in TABLES}
    # Acts that change a row rather than add one: the tree's names, paths and ends, people's names, kinship ends.
    counts["tree"] = sorted(Organization.objects.values_list("pk", "name", "path", "dissolved_on"))
    counts["people"] = sorted(Person.objects.values_list("pk", "full_name", "birth_date"))
    counts["kinship_ends"] = sorted(Kinship.objects.values_list("pk", "ended_on"))
    return counts


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


def test_organization_create_rename_move_dissolve(province, outsider, board_officer, staff_a):
    assert_refused_and_nothing_written(
        lambda actor: services.organization_create(parent=province.grassroots, name="Chi bộ 3", code="cb3",
                                                   kind=OrgKind.CELL, actor=actor), outsider, board_officer)
    assert_refused_and_nothing_written(
        lambda actor: services.organization_rename(organization=province.cell_1, name="Tên mới", actor=actor),
        outsider, board_officer)
    assert_refused_and_nothing_written(
        lambda actor: services.organization_dissolve(organization=province.cell_2, on=D(2026, 1, 1), actor=actor),
        outsider, board_officer)
    assert_refused_and_nothing_written(
        lambda actor: services.organization_move(organization=province.cell_2, parent=province.sub_a, actor=actor),
        outsider, board_officer)
    # Out of A into B: staff of A act for one place only.
    assert_refused_and_nothing_written(
        lambda actor: services.organization_move(organization=province.cell_2, parent=province.sub_b, actor=actor),
        staff_a)


def test_person_create_and_correct(province, member, outsider, board_officer):
    assert_refused_and_nothing_written(
        lambda actor: services.person_create(organization=province.cell_1, start=D(2026, 1, 1), full_name="Lê Mới",
                                             gender=Gender.MALE, actor=actor), outsider, board_officer)
    assert_refused_and_nothing_written(
        lambda actor: services.person_correct(person=member, full_name="Tên Khác", actor=actor),
        outsider, board_officer)


def test_kinship_declare_and_end(province, member, outsider, board_officer):
    relative = MembershipFactory(organization=province.cell_2).person
    assert_refused_and_nothing_written(
        lambda actor: services.kinship_declare(person=member, relative=relative, relation=Relation.SPOUSE,
                                               declared_on=D(2025, 1, 1), actor=actor), outsider, board_officer)
    kinship = services.kinship_declare(person=member, relative=relative, relation=Relation.SPOUSE,
                                       declared_on=D(2025, 1, 1), actor=SYSTEM)
    assert_refused_and_nothing_written(
        lambda actor: services.kinship_end(kinship=kinship, ended_on=D(2026, 1, 1), actor=actor),
        outsider, board_officer)


def test_discipline_record_and_annul(province, member, outsider, board_officer, staff_a, inspector_a):
    """The inspection committee records discipline; the office, the board and B's people do not."""
    assert_refused_and_nothing_written(
        lambda actor: services.discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=D(2026, 1, 1),
                                                 decided_by=province.sub_a, actor=actor),
        outsider, board_officer, staff_a)
    # Nor for a body above the inspection committee's own level.
    assert_refused_and_nothing_written(
        lambda actor: services.discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=D(2026, 1, 1),
                                                 decided_by=province.root, actor=actor), inspector_a)
    discipline = services.discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=D(2026, 1, 1),
                                            decided_by=province.sub_a, actor=inspector_a)
    assert_refused_and_nothing_written(
        lambda actor: services.discipline_annul(discipline=discipline, annulled_on=D(2026, 2, 1),
                                                decided_by=province.sub_a, actor=actor),
        outsider, board_officer, staff_a)
