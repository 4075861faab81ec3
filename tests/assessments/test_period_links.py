"""Links are promises: every link a period's pages show leads somewhere its reader may go, for every role.

Each test walks the links of one page (inside the page's content, the frame's menu aside) for the
province's board officer, the grassroots committee's office, the cell's office, the cell's head and a
member, and collects every link that answers 403 or 404.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from common.actors import SYSTEM
from organizations.models import RoleKind
from organizations.services import role_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def readers(world, board_officer, an) -> dict:
    head = UserFactory(username="cell_head", first_name="cell_head")
    role_grant(user=head, kind=RoleKind.HEAD, organization=world.province.cell_1, actor=SYSTEM)
    return {"board officer": board_officer, "grassroots office": world.grassroots_staff,
            "cell office": world.cell_staff, "head": head, "member": an.user}


def _links(page: str, base: str) -> list[str]:
    """The links inside the page's content, made absolute."""
    content = page.split("<main", 1)[1]
    return sorted({urljoin(base, html.unescape(href)) for href in HREF.findall(content)
                   if not href.startswith(("http", "mailto:", "/static/"))})


def _broken(client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200, url
    return [f"{link} → {code}" for link in _links(page.content.decode(), url)
            if (code := client.get(link).status_code) in (403, 404)]


def test_every_link_of_the_period_page_opens_for_each_role(client, readers, period_2026):
    failures, closed = {}, []
    for role, user in readers.items():
        client.force_login(user)
        if client.get(period_2026.get_absolute_url()).status_code == 404:
            closed.append(role)  # a member sees the period's results on their own page, not the period's
            continue
        broken = _broken(client, period_2026.get_absolute_url())
        if broken:
            failures[role] = broken
    assert failures == {}
    assert closed == ["member"]


def test_every_link_of_the_period_organization_page_opens_for_each_role(client, world, readers, period_2026):
    p = world.province
    failures, seen = {}, {}
    for role, user in readers.items():
        client.force_login(user)
        for org in (p.root, p.grassroots, p.cell_1):
            url = reverse("assessments:dashboard", args=[period_2026.pk, org.pk])
            if client.get(url).status_code != 200:
                continue  # a page the role does not see; the period page does not link to it (test above)
            seen.setdefault(role, []).append(org.name)
            broken = _broken(client, url)
            if broken:
                failures[f"{role} at {org.name}"] = broken
    assert failures == {}
    # The walk reached every page it could: the board's from the province down, the head's of the cell
    # (the offices enter and decide from the period page; they have no summary page, nor a member).
    assert seen == {"board officer": [p.root.name, p.grassroots.name, p.cell_1.name], "head": [p.cell_1.name]}


def test_the_board_is_not_offered_the_offices_grids_and_the_cell_s_office_is(client, world, readers, period_2026):
    client.force_login(readers["board officer"])
    page = client.get(period_2026.get_absolute_url()).content.decode()
    assert 'data-testid="dashboard-link"' in page
    assert 'data-testid="review-link"' not in page and 'data-testid="decide-link"' not in page
    cell = client.get(reverse("assessments:dashboard", args=[period_2026.pk, world.province.cell_1.pk]))
    for label in ("Kiểm điểm", "Quyết định xếp loại", "Nhập từ tệp", "Chỉ tiêu, nhiệm vụ"):
        assert f">{label}</a>" not in cell.content.decode()
    client.force_login(readers["cell office"])
    page = client.get(period_2026.get_absolute_url()).content.decode()
    assert 'data-testid="review-link"' in page and 'data-testid="dashboard-link"' not in page
