"""An organization's code is shown where it is named, and the move page offers the places it may go."""

import pytest

from common.actors import SYSTEM
from organizations.models import Organization, OrgKind, RoleKind
from organizations.services import role_grant
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def _options(response) -> list[str]:
    html = response.content.decode()
    datalist = html.split("<datalist", 1)[1].split("</datalist>", 1)[0]
    return [part.split('"', 1)[0] for part in datalist.split('<option value="')[1:]]


def test_the_code_is_shown_on_the_page_and_in_the_tree(client, province, board_officer):
    client.force_login(board_officer)
    assert province.grassroots.code in client.get(province.grassroots.get_absolute_url()).content.decode()
    children = client.get(f"/org/{province.sub_a.pk}/children/").content.decode()
    assert province.grassroots.code in children


def test_the_move_page_offers_only_the_places_the_move_would_be_accepted(client, province, staff_a,
                                                                         django_assert_max_num_queries):
    other = Organization.objects.get(pk=make_org(province.sub_a, OrgKind.GRASSROOTS_COMMITTEE, "Đảng bộ khác").pk)
    closed = Organization.objects.get(pk=make_org(province.sub_a, OrgKind.GRASSROOTS_COMMITTEE, "Đảng bộ cũ").pk)
    Organization.objects.filter(pk=closed.pk).update(dissolved_on="2026-01-01")
    client.force_login(staff_a)
    # Cell 1 may go under the other grassroots committee (its present one, the cells, the dissolved one: not).
    assert _options(client.get(f"/org/{province.cell_1.pk}/move/")) == [province.sub_a.code, other.code]
    # A grassroots committee: never under itself or what is below it; cell B's committee is out of reach.
    assert _options(client.get(f"/org/{other.pk}/move/")) == [province.grassroots.code]
    response = client.get(f"/org/{province.cell_1.pk}/move/")
    assert f"{other.name} ({other.code})" in response.content.decode()
    for _ in range(5):
        make_org(province.sub_a, OrgKind.GRASSROOTS_COMMITTEE)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/org/{province.cell_1.pk}/move/")
    for _ in range(5):
        make_org(province.sub_a, OrgKind.GRASSROOTS_COMMITTEE)
    with django_assert_max_num_queries(len(few)):
        client.get(f"/org/{province.cell_1.pk}/move/")
    # What is offered is accepted.
    assert client.post(f"/org/{province.cell_1.pk}/move/", {"parent_code": other.code}).status_code == 302
    assert Organization.objects.get(pk=province.cell_1.pk).path.startswith(other.path)


def test_a_subordinate_committee_is_offered_no_grassroots_committee(client, province, board_officer):
    role_grant(user=board_officer, kind=RoleKind.COMMITTEE_STAFF, organization=province.root, actor=SYSTEM)
    client.force_login(board_officer)
    inner = Organization.objects.get(pk=make_org(province.sub_a, OrgKind.SUBORDINATE, "Đảng bộ khu vực").pk)
    offered = _options(client.get(f"/org/{inner.pk}/move/"))
    assert province.root.code in offered and province.sub_b.code in offered
    assert province.grassroots.code not in offered and province.sub_a.code not in offered
