"""Organization page, tree children and member list: access paths and query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import BodyKind, Organization
from tests.factories import BodyFactory, MembershipFactory, TenureFactory, make_org, position

pytestmark = pytest.mark.django_db


def _records(response) -> list:
    """The records shown on the list page (a django-tables2 table), in order."""
    return [row.record for row in response.context["table"].page.object_list]


def _queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response


def test_anonymous_is_sent_to_login(client, province):
    response = client.get(province.cell_1.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_organization_page_shows_holders_and_counts(client, province, board_officer):
    executive = BodyFactory(organization=province.grassroots, kind=BodyKind.EXECUTIVE)
    secretary = TenureFactory(position=position("secretary"), organization=province.grassroots,
                              body=executive, person__full_name="Lê Thị Bí Thư").person
    TenureFactory(position=position("secretary"), organization=province.grassroots, body=executive,
                  person__full_name="Người Tiền Nhiệm", start=dt.date(2015, 1, 1), end=dt.date(2020, 9, 30))
    MembershipFactory.create_batch(3, organization=province.cell_1)
    MembershipFactory.create_batch(2, organization=province.cell_2)
    MembershipFactory(organization=province.cell_2, start=dt.date(2010, 1, 1), end=dt.date(2012, 1, 1))

    client.force_login(board_officer)
    response = client.get(province.grassroots.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert secretary.full_name in html and "Người Tiền Nhiệm" not in html
    assert response.context["counts"].members_subtree == 5
    assert response.context["counts"].members_here == 0
    assert dict(response.context["counts"].by_kind) == {"Chi bộ trực thuộc": 2}
    assert [a.pk for a in response.context["ancestors"]] == [province.root.pk, province.sub_a.pk]


def test_outsider_gets_404_not_403(client, province, outsider):
    client.force_login(outsider)
    assert client.get(province.cell_1.get_absolute_url()).status_code == 404
    assert client.get(f"/org/{province.cell_1.pk}/children/").status_code == 404
    assert client.get(f"/org/{province.cell_1.pk}/members/").status_code == 404
    assert client.get("/org/999999/").status_code == 404


def test_tree_starts_at_the_users_subtree_and_loads_children_on_demand(client, province, staff_a):
    client.force_login(staff_a)
    response = client.get("/org/")
    assert [o.pk for o in response.context["roots"]] == [province.sub_a.pk]
    children = client.get(f"/org/{province.grassroots.pk}/children/")
    assert [o.pk for o in children.context["children"]] == [province.cell_1.pk, province.cell_2.pk]
    assert b"hx-get" in client.get("/org/").content  # the + button loads children with htmx


def test_member_list_covers_the_subtree_or_the_node_only(client, province, staff_a):
    here = MembershipFactory(organization=province.cell_1, person__full_name="Phạm Văn Ở Đây")
    MembershipFactory(organization=province.cell_2, person__full_name="Vũ Thị Bên Kia")
    MembershipFactory(organization=province.cell_b)  # not under A
    client.force_login(staff_a)
    assert client.get(f"/org/{province.sub_a.pk}/members/").context["table"].page.paginator.count == 2
    only = _records(client.get(f"/org/{province.cell_1.pk}/members/?scope=here"))
    assert [m.person for m in only] == [here.person]
    found = _records(client.get(f"/org/{province.sub_a.pk}/members/?q=ben kia"))
    assert [m.person.full_name for m in found] == ["Vũ Thị Bên Kia"]


def test_member_list_paginates(client, province, staff_a, settings):
    settings.PAGE_SIZE = 5
    MembershipFactory.create_batch(12, organization=province.cell_1)
    client.force_login(staff_a)
    page3 = client.get(f"/org/{province.sub_a.pk}/members/?page=3").context["table"].page
    assert page3.number == 3 and len(page3.object_list) == 2


def _deep_chain(top: Organization, depth: int) -> Organization:
    node = top
    for _ in range(depth):
        node = make_org(node, name="cấp dưới")
    return Organization.objects.get(pk=node.pk)


def _furnish(org: Organization, members: int) -> None:
    executive = BodyFactory(organization=org, kind=BodyKind.EXECUTIVE)
    standing = BodyFactory(organization=org, kind=BodyKind.STANDING)
    for i in range(members):
        TenureFactory(position=position("executive-member"), organization=org, body=executive)
        if i % 2:
            TenureFactory(position=position("standing-member"), organization=org, body=standing)
        MembershipFactory(organization=org)


@pytest.mark.parametrize("url", ["/org/{pk}/", "/org/{pk}/members/", "/org/{pk}/children/"])
def test_query_count_does_not_grow_with_depth_or_size(client, province, board_officer, url):
    shallow = province.cell_1
    deep = _deep_chain(province.cell_2, 9)
    _furnish(shallow, 2)
    _furnish(deep, 12)
    make_org(deep)
    client.force_login(board_officer)
    _queries(client, url.format(pk=shallow.pk))  # warm caches (content types, session)
    n_shallow, _ = _queries(client, url.format(pk=shallow.pk))
    n_deep, _ = _queries(client, url.format(pk=deep.pk))
    assert n_shallow == n_deep
    assert n_deep <= 16


def test_home_page_summarises_the_users_organizations(client, province, board_officer, an):
    MembershipFactory(organization=province.cell_b)
    client.force_login(board_officer)
    response = client.get("/")
    (role, counts, _waiting), = response.context["summaries"]
    assert role.organization == province.root and counts.members_subtree == 2
    client.force_login(an.user)  # a member: no organization summary, a link to their record
    response = client.get("/")
    assert response.context["summaries"] == [] and an.get_absolute_url() in response.content.decode()
