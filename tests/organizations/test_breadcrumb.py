"""The organization page's breadcrumb links only the ancestors the reader may open."""

import pytest

from common.actors import SYSTEM
from organizations.models import RoleKind
from organizations.services import role_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _crumb(client, org) -> str:
    html = client.get(org.get_absolute_url()).content.decode()
    return html.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]


def test_the_office_of_a_subordinate_committee_sees_the_province_unlinked(client, province, staff_a):
    client.force_login(staff_a)
    crumb = _crumb(client, province.cell_1)
    assert province.root.name in crumb and f'href="/org/{province.root.pk}/"' not in crumb
    assert client.get(province.root.get_absolute_url()).status_code == 404  # what a link would have led to
    assert f'href="/org/{province.sub_a.pk}/"' in crumb and f'href="/org/{province.grassroots.pk}/"' in crumb


def test_the_board_officer_sees_every_ancestor_linked(client, province, board_officer):
    client.force_login(board_officer)
    crumb = _crumb(client, province.cell_1)
    for a in (province.root, province.sub_a, province.grassroots):
        assert f'<a href="/org/{a.pk}/">{a.name}</a>' in crumb


def test_a_cell_secretary_sees_only_the_cell_itself_linked(client, province):
    secretary = UserFactory(username="cell_secretary")
    role_grant(user=secretary, kind=RoleKind.HEAD, organization=province.cell_1, actor=SYSTEM)
    client.force_login(secretary)
    crumb = _crumb(client, province.cell_1)
    assert "href=" not in crumb and province.grassroots.name in crumb


def test_the_breadcrumb_costs_the_same_at_any_depth(client, province, staff_a, django_assert_max_num_queries):
    client.force_login(staff_a)
    client.get(province.grassroots.get_absolute_url())
    with django_assert_max_num_queries(40) as shallow:
        client.get(province.grassroots.get_absolute_url())
    with django_assert_max_num_queries(len(shallow)):
        client.get(province.cell_1.get_absolute_url())
