"""The organization's page and the person's page lead to the personnel registers and the nominator's record,
for whoever may open them, and to nobody else (no link to a page that would refuse)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _links(client, url: str) -> dict[str, str]:
    import re

    html = client.get(url).content.decode()
    return dict((t, h) for h, t in re.findall(r'<a href="([^"]+)" data-testid="([\w-]+)"', html))


@pytest.mark.parametrize("who", ["clerk", "head_user"])
def test_the_organization_page_leads_its_office_and_head_to_the_registers(client, committee, who):
    c = committee
    client.force_login(getattr(c, who))
    links = _links(client, c.org.get_absolute_url())
    assert links["nomination-register"] == f"/org/{c.org.pk}/nominations/"
    assert links["planning-register"] == f"/org/{c.org.pk}/planning/"
    assert links["program-template"] == f"/org/{c.org.pk}/action-program-template/"
    for url in (links["nomination-register"], links["planning-register"], links["program-template"]):
        assert client.get(url).status_code == 200, url


def test_no_register_is_offered_on_an_organization_the_reader_may_not_read_personnel_of(committee):
    """Every role that opens an organization's page reads its personnel work; the link still follows the
    permission, not the role."""
    from personnel.links import organization_links

    org = committee.org
    org.perms = {"view_organization"}
    assert organization_links(committee.clerk, org) == []
    org.perms = {"view_organization", "view_personnel"}
    assert [link.testid for link in organization_links(committee.clerk, org)] == [
        "nomination-register", "planning-register", "confidence-register", "program-template"]


def test_the_head_s_page_leads_the_board_to_their_record_once_they_have_introduced(client, committee,
                                                                                    board_officer):
    c = committee
    client.force_login(board_officer)
    assert "nominator-record" not in _links(client, c.head.get_absolute_url())  # nothing introduced yet
    c.introduced()
    record = _links(client, c.head.get_absolute_url())["nominator-record"]
    assert record == f"/people/{c.head.pk}/nominations-made/"
    assert client.get(record).status_code == 200


def test_the_office_is_not_led_to_a_record_it_may_not_open(client, committee):
    c = committee
    c.introduced()
    client.force_login(c.clerk)
    page = client.get(c.head.get_absolute_url())
    assert page.status_code == 200 and "nominator-record" not in page.content.decode()
    assert client.get(f"/people/{c.head.pk}/nominations-made/").status_code == 404


def test_the_nominee_s_name_leads_to_their_page_for_a_reader_who_may_open_it(client, committee):
    c = committee
    n = c.introduced()
    client.force_login(c.clerk)
    assert _links_in(client.get(n.get_absolute_url()).content.decode(), "nominee") == [c.nominee.get_absolute_url()]
    assert client.get(c.nominee.get_absolute_url()).status_code == 200


def _links_in(html: str, testid: str) -> list[str]:
    import re

    block = re.search(rf'data-testid="{testid}">(.*?)</dd>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', block.group(1)) if block else []
