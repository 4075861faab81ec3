"""The organization board's personnel view: what it lists, who opens it, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.actors import SYSTEM
from organizations.events import PersonEvent, announce
from personnel import services
from personnel.confidence import CadreCounts
from personnel.confidence_services import confidence_record

from ..factories import PersonFactory, position
from .conftest import build_committee
from .test_views_flows import personnel_decision, selected, through_step_2

pytestmark = pytest.mark.django_db
D = dt.date


def _url(org, query: str = "") -> str:
    return f"/org/{org.pk}/personnel-overview/{query}"


def _world(c, province):
    """An appointee later disciplined, one nomination waiting since March, one that went on past a warning,
    one confidence result over half low."""
    appointed = selected(c)
    services.nomination_appoint(nomination=appointed, decision=personnel_decision(c), start=D(2026, 4, 1),
                                actor=SYSTEM)
    announce(PersonEvent(kind="discipline", person_id=c.nominee.pk, on=D(2026, 6, 1), data={"form": "reprimand"}))
    waiting = PersonFactory(full_name="Cán bộ chờ")
    services.planning_add(organization=c.org, person=waiting, position=position("standing-member"),
                          term="2025-2030", added_on=D(2025, 12, 1), added_ref="16-QĐ/TU", added_by=c.org,
                          actor=SYSTEM)
    c.introduced(nominee=waiting, position=position("standing-member"), kind="election")
    member = c.members[1].tenures.get(position__code="standing-member")
    confidence_record(organization=c.org, meeting=c.meeting(D(2026, 11, 20)), issued=9, returned=9, actor=c.clerk,
                      rows=[(member.pk, CadreCounts(high=1, confidence=3, low=5, invalid=0))])
    return appointed


def test_the_board_sees_each_section(client, committee, province, board_officer):
    c = committee
    _world(c, province)
    client.force_login(board_officer)
    page = client.get(_url(province.root))
    assert page.status_code == 200
    steps = {(r["kind"], r["current_step"]): r["n"] for r in page.context["steps_table"].data}
    assert steps == {("election", 1): 1}
    assert "1. Người đứng đầu giới thiệu nhân sự" in page.content.decode()  # the step by its name
    assert [r.record.nominee.full_name for r in page.context["overdue_table"].page.object_list] == ["Cán bộ chờ"]
    assert [r.record.outcome for r in page.context["confidence_table"].page.object_list] == ["low_half"]
    adverse = list(page.context["adverse_table"].data)
    assert [(a["nominator_id"], a["events"], a["appointees"]) for a in adverse] == [(c.head.pk, 1, 1)]
    assert f"/people/{c.head.pk}/nominations-made/" in page.content.decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get(_url(province.root, "?export=xlsx&table=adverse"))
                                             .content)).active
    assert [row[1] for row in book.iter_rows(min_row=2, values_only=True)] == [c.head.full_name]


def test_a_warned_nomination_is_listed(client, committee, province, board_officer, settings):
    c = committee
    from .test_services_standards import _classified

    _classified(c, 2025, "not_completed")
    n = c.draft()
    services.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.head_user, explanation="Đã khắc phục")
    client.force_login(board_officer)
    warned = client.get(_url(province.root)).context["warned_table"]
    assert [(r.record.pk, r.record.explained) for r in warned.page.object_list] == [(n.pk, 1)]


def test_the_page_costs_the_same_queries_for_one_committee_and_two(client, committee, province, board_officer):
    _world(committee, province)
    client.force_login(board_officer)
    client.get(_url(province.root))
    with CaptureQueriesContext(connection) as one:
        client.get(_url(province.root))
    other = build_committee(province.sub_b, cell=province.cell_2, planned_by=province.root, suffix="b",
                            names="Ủy viên B")
    _world(other, province)
    through_step_2(other)  # one more nomination in progress
    with CaptureQueriesContext(connection) as two:
        page = client.get(_url(province.root))
    assert len(two) == len(one)
    assert len(list(page.context["adverse_table"].data)) == 2


def test_only_the_board_and_the_inspection_open_it(client, committee, province, inspector_a):
    c = committee
    client.force_login(inspector_a)
    assert client.get(_url(c.org)).status_code == 200
    for user in (c.clerk, c.head_user):
        client.force_login(user)
        assert client.get(_url(c.org)).status_code in (403, 404)
        assert 'data-testid="personnel-overview"' not in client.get(c.org.get_absolute_url()).content.decode()


@pytest.mark.parametrize("query", ["?steps-sort=nonsense", "?overdue-page=abc", "?export=xlsx&table=zzz",
                                   "?adverse-sort=-events&export=xlsx&table=adverse"])
def test_hostile_queries_never_break_it(client, committee, province, board_officer, query):
    client.force_login(board_officer)
    assert client.get(_url(province.root, query)).status_code == 200
