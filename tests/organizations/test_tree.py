"""The tree's services: create, rename, move (with everything that stores its path) and dissolve, audited."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from governance import services as gsvc
from governance.models import Field, Mode, WorkingRegulation
from organizations import access
from organizations.models import BodyKind, Organization, OrgKind
from organizations.services import (
    organization_create,
    organization_dissolve,
    organization_move,
    organization_rename,
)
from regulations.citations import cited_by
from regulations.models import Citation, Provision
from tests.factories import MembershipFactory, TenureFactory, make_org, position

pytestmark = pytest.mark.django_db
D = dt.date


def _fresh(org: Organization) -> Organization:
    return Organization.objects.get(pk=org.pk)


def test_the_office_creates_an_organization_in_its_subtree(province, staff_a):
    cell = organization_create(parent=province.grassroots, name="Chi bộ thôn 3", code="thon-3", kind=OrgKind.CELL,
                               actor=staff_a)
    assert Organization.objects.get_parent(_fresh(cell)) == province.grassroots
    assert access.can(staff_a, access.MANAGE_MEMBERS, cell)
    entry = AuditEntry.objects.get(action="organization.create")
    assert entry.actor == staff_a and entry.data["code"] == "thon-3"


@pytest.mark.parametrize(("parent", "code", "kind", "refusal"), [
    ("cell_1", "new", OrgKind.CELL, "org_under_cell"),
    ("grassroots", "thon-1", OrgKind.CELL, "org_code_taken"),
    ("grassroots", "new", OrgKind.PROVINCIAL, "org_kind_wrong_place"),
    ("grassroots", "new", OrgKind.SUBORDINATE, "org_kind_wrong_place"),
    ("cell_1", "new", OrgKind.GRASSROOTS_COMMITTEE, "org_under_cell"),
])
def test_a_misplaced_organization_is_refused(province, staff_a, parent, code, kind, refusal):
    Organization.objects.filter(pk=province.cell_1.pk).update(code="thon-1")
    before = Organization.objects.count()
    with pytest.raises(Refused) as refused:
        organization_create(parent=getattr(province, parent), name="Mới", code=code, kind=kind, actor=staff_a)
    assert refused.value.codes == [refusal] and Organization.objects.count() == before


def test_renaming_is_for_the_office_above(province, staff_a):
    organization_rename(organization=province.grassroots, name="Đảng bộ xã Hòa Bình Mới", actor=staff_a)
    assert _fresh(province.grassroots).name == "Đảng bộ xã Hòa Bình Mới"
    entry = AuditEntry.objects.get(action="organization.rename")
    assert entry.data == {"old": "Đảng bộ xã Hòa Bình", "new": "Đảng bộ xã Hòa Bình Mới"}
    with pytest.raises(Refused) as refused:  # its own committee: the province's office renames it
        organization_rename(organization=province.sub_a, name="Khối A mới", actor=staff_a)
    assert refused.value.codes == ["not_permitted"]


def test_dissolving_waits_for_the_members_and_the_organizations_below(province, staff_a):
    member = MembershipFactory(organization=province.cell_2, start=D(2020, 1, 1))
    with pytest.raises(Refused) as refused:
        organization_dissolve(organization=province.cell_2, on=D(2026, 6, 30), actor=staff_a)
    assert refused.value.codes == ["org_has_members"]
    member.end = D(2026, 6, 30)
    member.save()
    organization_dissolve(organization=province.cell_2, on=D(2026, 6, 30), actor=staff_a, decision_ref="5-QĐ")
    assert _fresh(province.cell_2).dissolved_on == D(2026, 6, 30)
    with pytest.raises(Refused) as refused:
        organization_dissolve(organization=province.cell_2, on=D(2026, 7, 1), actor=staff_a)
    assert refused.value.codes == ["org_dissolved"]
    with pytest.raises(Refused) as refused:  # cell 1 still runs under the grassroots committee
        organization_dissolve(organization=province.grassroots, on=D(2026, 7, 1), actor=SYSTEM)
    assert refused.value.codes == ["org_has_active_children"]


def test_dissolving_waits_for_the_posts_held_in_it(province, staff_a):
    tenure = TenureFactory(position=position("cell-secretary"), organization=province.cell_2, start=D(2024, 1, 1))
    with pytest.raises(Refused) as refused:
        organization_dissolve(organization=province.cell_2, on=D(2026, 6, 30), actor=staff_a)
    assert refused.value.codes == ["org_has_tenures"] and "1 chức vụ" in str(refused.value)
    tenure.end = D(2026, 7, 1)  # a day past the dissolution still runs past it
    tenure.save()
    with pytest.raises(Refused) as refused:
        organization_dissolve(organization=province.cell_2, on=D(2026, 6, 30), actor=staff_a)
    assert refused.value.codes == ["org_has_tenures"] and _fresh(province.cell_2).dissolved_on is None
    tenure.end = D(2026, 6, 30)
    tenure.save()
    organization_dissolve(organization=province.cell_2, on=D(2026, 6, 30), actor=staff_a)
    assert _fresh(province.cell_2).dissolved_on == D(2026, 6, 30)


def test_a_subordinate_committee_is_never_moved_under_a_grassroots_committee(province):
    with pytest.raises(Refused) as refused:
        organization_move(organization=province.sub_b, parent=province.grassroots, actor=SYSTEM)
    assert refused.value.codes == ["org_kind_wrong_place"]
    assert Organization.objects.get_parent(_fresh(province.sub_b)) == province.root


def test_placements_the_tree_may_need_stay_allowed(province, staff_a):
    """No fixed depth: a committee under a subordinate committee, a grassroots committee under another."""
    inner = organization_create(parent=province.sub_a, name="Đảng bộ khu vực", code="kv", kind=OrgKind.SUBORDINATE,
                                actor=staff_a)
    below = organization_create(parent=province.grassroots, name="Đảng bộ công ty", code="ct",
                                kind=OrgKind.GRASSROOTS_COMMITTEE, actor=staff_a)
    assert _fresh(inner).depth == 3 and _fresh(below).depth == 4


def test_a_move_into_its_own_subtree_is_refused(province):
    for target in (province.sub_a, province.grassroots, province.cell_1):
        with pytest.raises(Refused) as refused:
            organization_move(organization=province.sub_a, parent=target, actor=SYSTEM)
        assert refused.value.codes == ["org_move_into_own_subtree"]
    assert _fresh(province.sub_a).path == province.sub_a.path


def test_a_move_takes_the_subtree_along_and_needs_both_places(province, staff_a, board_officer):
    with pytest.raises(Refused) as refused:  # staff of A do not act for B
        organization_move(organization=province.grassroots, parent=province.sub_b, actor=staff_a)
    assert refused.value.codes == ["not_permitted"] and _fresh(province.grassroots).path == province.grassroots.path
    moved = organization_move(organization=province.grassroots, parent=province.sub_b, actor=SYSTEM)
    assert Organization.objects.get_parent(moved) == province.sub_b
    assert _fresh(province.cell_1).path.startswith(moved.path) and moved.path.startswith(province.sub_b.path)
    assert not access.can(staff_a, access.VIEW, _fresh(province.cell_1))
    entry = AuditEntry.objects.get(action="organization.move")
    assert (entry.data["old_path"], entry.data["new_path"]) == (province.grassroots.path, moved.path)


@pytest.fixture
def cited(province):
    """The grassroots committee's working regulation cites the Charter: a citing row scoped by its path."""
    regulation = WorkingRegulation.objects.create(organization=province.grassroots, version=1, title="Quy chế")
    matter = gsvc.matter_add(regulation=regulation, actor=SYSTEM, code="NS-01", title="Giới thiệu nhân sự",
                             field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                             ballot="secret", provisions=[{"code": "ĐLĐ-2011", "ref": "9.5"}])
    citation = Citation.objects.get(object_id=matter.pk, content_type__model="matter")
    assert citation.scope == province.grassroots.path
    return Provision.objects.filter(version__document=citation.document, anchor=citation.anchor).first()


def test_after_a_move_cited_by_shows_the_citing_row_to_the_readers_of_the_new_place_only(
        province, staff_a, outsider, cited):
    assert cited_by(cited, staff_a).exists() and not cited_by(cited, outsider).exists()
    organization_move(organization=province.grassroots, parent=province.sub_b, actor=SYSTEM)
    assert cited_by(cited, outsider).exists()
    assert not cited_by(cited, staff_a).exists()
    moved = _fresh(province.grassroots)
    assert set(Citation.objects.values_list("scope", flat=True)) == {moved.path}


def test_a_move_refused_by_a_follower_leaves_the_tree_as_it_was(province, monkeypatch):
    from organizations import services

    def refuse(old: str, new: str) -> None:
        raise Refused.because("refused")

    monkeypatch.setattr(services, "_path_followers", [*services._path_followers, refuse])
    with pytest.raises(Refused):
        organization_move(organization=province.grassroots, parent=province.sub_b, actor=SYSTEM)
    assert _fresh(province.grassroots).path == province.grassroots.path
    assert _fresh(province.cell_1).path == province.cell_1.path


def test_moving_a_cell_elsewhere_keeps_its_members(province):
    member = MembershipFactory(organization=province.cell_1, start=D(2020, 1, 1)).person
    new_home = make_org(province.sub_b, OrgKind.GRASSROOTS_COMMITTEE, "Đảng bộ phường Mới")
    organization_move(organization=province.cell_1, parent=new_home, actor=SYSTEM)
    assert member.cell_on(D(2026, 1, 1)) == province.cell_1
    assert _fresh(province.cell_1).path.startswith(_fresh(new_home).path)
