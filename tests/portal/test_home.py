"""Each role's home shows the work waiting, and nobody's home links to a page they cannot open."""

import datetime as dt
import re

import pytest

from common.actors import SYSTEM
from governance import services as svc
from organizations.models import RoleKind
from organizations.services import role_grant
from tests.factories import UserFactory
from tests.governance.test_views_working import _committee, irregular_decision

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def office(province):
    """Committee A's grassroots committee: two meetings with open minutes, one approved; a head's decision
    overdue for its report-back, one reported; one irregular decision."""
    executive, people, collective, individual = _committee(province.grassroots)
    svc.meeting_open(body=executive, date=D(2026, 10, 1), title="HN tháng 10", actor=SYSTEM)
    open_2 = svc.meeting_open(body=executive, date=D(2026, 11, 2), title="HN tháng 11", actor=SYSTEM)
    svc.meeting_open(body=executive, date=D(2026, 12, 15), title="HN tháng 12 (chưa họp)", actor=SYSTEM)
    approved = svc.meeting_open(body=executive, date=D(2026, 9, 1), title="HN tháng 9", actor=SYSTEM)
    irregular_decision(approved, people, collective, "Thiếu phiếu")
    svc.minutes_approve(meeting=approved, actor=SYSTEM)
    svc.decision_record_individual(organization=province.grassroots, matter=individual, date=D(2026, 10, 5),
                                   title="Chi quá hạn", signatory=people[0], actor=SYSTEM)
    reported = svc.decision_record_individual(organization=province.grassroots, matter=individual,
                                              date=D(2026, 10, 6), title="Chi đã báo cáo", signatory=people[0],
                                              actor=SYSTEM)
    svc.decision_report_back(decision=reported, meeting=open_2, actor=SYSTEM)
    head = UserFactory(username="bithu")
    people[0].user = head
    people[0].save()
    role_grant(user=head, kind=RoleKind.HEAD, organization=province.grassroots, actor=SYSTEM)
    return {"head": head}


def test_the_clerk_sees_minutes_to_approve_and_overdue_report_backs(client, province, staff_a, office):
    client.force_login(staff_a)
    html = client.get("/").content.decode()
    assert re.search(r'data-testid="minutes-count">2<', html)  # held, not approved; not the one ahead
    assert "HN tháng 10" in html and "HN tháng 12" not in html
    assert re.search(r'data-testid="overdue-count">1<', html) and "Chi quá hạn" in html
    assert "Chi đã báo cáo" not in html


def test_the_head_sees_their_own_decisions_waiting(client, province, office):
    client.force_login(office["head"])
    html = client.get("/").content.decode()
    assert re.search(r'data-testid="mine-count">1<', html) and "Chi quá hạn" in html


def test_the_inspector_sees_the_irregular_count(client, province, inspector_a, office):
    client.force_login(inspector_a)
    html = client.get("/").content.decode()
    assert re.search(r'data-testid="irregular-count">1<', html)
    assert f"/org/{province.sub_a.pk}/irregular/" in html


def test_the_administrator_is_not_told_they_have_no_role(client, province):
    client.force_login(UserFactory(username="quantri", is_superuser=True, is_staff=True))
    html = client.get("/").content.decode()
    assert 'data-testid="admin-home"' in html and "chưa được phân vai trò" not in html


@pytest.mark.parametrize("who", ["staff_a", "board_officer", "inspector_a", "head", "an", "superuser", "nobody"])
def test_no_home_links_to_a_page_its_reader_cannot_open(client, province, staff_a, board_officer, inspector_a, an,
                                                        office, who):
    users = {"staff_a": staff_a, "board_officer": board_officer, "inspector_a": inspector_a,
             "head": office["head"], "an": an.user,
             "superuser": UserFactory(username="quantri", is_superuser=True, is_staff=True),
             "nobody": UserFactory(username="chua_co_vai_tro")}
    client.force_login(users[who])
    html = client.get("/").content.decode()
    links = {h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)"', html)} - {"/"}
    links = {h for h in links if not h.startswith("/static/")}
    assert links, "the home page offers somewhere to go"
    dead = {h: s for h in sorted(links) if (s := client.get(h, follow=True).status_code) != 200}
    assert dead == {}
