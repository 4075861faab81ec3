"""The nominator's record: everything a head nominated and what became of each nominee, for good."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.actors import SYSTEM
from organizations.events import PersonEvent, announce
from organizations.models import Tenure
from organizations.services import tenure_end
from personnel import services
from personnel.models import EntryKind, ResponsibilityEntry

from ..factories import PersonFactory, position
from .test_views_flows import personnel_decision, selected

pytestmark = pytest.mark.django_db
D = dt.date


def _url(c, query: str = "") -> str:
    return f"/people/{c.head.pk}/nominations-made/{query}"


def _made(page) -> list:
    """The nominations on the page's "made" table (its current page)."""
    return [row.record for row in page.context["made_table"].page.object_list]


def _withdrawn(c, n: int) -> None:
    """``n`` more introductions of the head, each withdrawn (two entries each)."""
    for i in range(n):
        nominee = PersonFactory(full_name=f"Cán bộ {i}")
        services.planning_add(organization=c.org, person=nominee, position=position("standing-member"),
                              term="2025-2030", added_on=D(2025, 12, 1), added_ref="16-QĐ/TU",
                              added_by=c.org, actor=SYSTEM)
        m = c.introduced(nominee=nominee, position=position("standing-member"), kind="election")
        services.nomination_withdraw(nomination=m, reason="Rút", on=D(2026, 3, 3), actor=SYSTEM)


@pytest.fixture
def appointed(committee):
    c = committee
    n = selected(c)
    services.nomination_appoint(nomination=n, decision=personnel_decision(c), start=D(2026, 4, 1), actor=SYSTEM)
    n.refresh_from_db()
    return n


def test_the_board_reads_the_record_with_later_events_highlighted(client, committee, appointed, board_officer):
    announce(PersonEvent(kind="discipline", person_id=committee.nominee.pk, on=D(2026, 6, 1),
                         data={"form": "reprimand"}))
    assert ResponsibilityEntry.objects.filter(nomination=appointed, kind=EntryKind.DISCIPLINE).exists()
    client.force_login(board_officer)
    page = client.get(_url(committee))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-later-event="1"' in html and "Bị kỷ luật" in html
    assert [n.pk for n in _made(page)] == [appointed.pk] and _made(page)[0].later == 1
    events = client.get(_url(committee, "?event=discipline")).context["table"]
    assert events.paginator.count == 1
    assert client.get(_url(committee, "?year=2025")).context["table"].paginator.count == 0
    assert client.get(_url(committee, "?state=appointed")).context["table"].paginator.count > 1
    rows = list(openpyxl.load_workbook(io.BytesIO(client.get(_url(committee, "?event=discipline&export=xlsx"))
                                       .content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and "Bị kỷ luật" in rows[0]


def test_the_events_read_as_names_and_labels_never_as_ids_or_codes(client, committee, appointed, board_officer):
    """What an entry points to (the post, the organizations, the meeting, the decision, the tenure, the person
    voted for) is shown by its name, a code by its label and a date as dd/mm/yyyy."""
    c = committee
    announce(PersonEvent(kind="discipline", person_id=c.nominee.pk, on=D(2026, 6, 1),
                         data={"discipline": 987, "form": "reprimand", "decided_by": c.org.pk,
                               "decision_ref": "05-QĐ/UBKT"}))
    client.force_login(board_officer)
    book = openpyxl.load_workbook(io.BytesIO(client.get(_url(c, "?export=xlsx")).content)).active
    header = [cell.value for cell in book[1]]
    details = {row[header.index("Sự kiện")]: row[header.index("Nội dung")]
               for row in book.iter_rows(min_row=2, values_only=True)}
    assert details["Bị kỷ luật"] == f"Sự kiện: Bị kỷ luật; Hình thức: Khiển trách; Cấp quyết định: {c.org.name}; " \
                                    "Số quyết định: 05-QĐ/UBKT"
    assert f"Chức danh: {appointed.position.title}" in details["Giới thiệu"]
    assert f"Nơi có chức danh: {c.org.name}" in details["Giới thiệu"]
    assert f"Chức vụ: Bí thư {c.org.name}" in details["Giới thiệu"]  # the head's tenure of the day
    decided = details["Có quyết định bổ nhiệm, phê chuẩn"]
    assert "Quyết định: Quyết định bổ nhiệm Phó Bí thư (25/03/2026)" in decided
    assert "Ngày bắt đầu: 01/04/2026" in decided
    page = client.get(_url(c)).content.decode()
    assert f"{c.nominee.full_name}: 5" in page  # the final vote, by the name of whom it was for
    for raw in ("decided_by", "reprimand", "(mã", "2026-04-01"):
        assert raw not in page, raw


def test_the_inspection_reads_it_too(client, committee, appointed, inspector_a):
    client.force_login(inspector_a)
    assert client.get(_url(committee)).status_code == 200


def test_it_is_404_for_clerk_head_outsider_member(client, committee, appointed, outsider, an):
    for user in (committee.clerk, committee.head_user, outsider, an.user):
        client.force_login(user)
        assert client.get(_url(committee)).status_code == 404, user
    client.force_login(committee.clerk)
    assert 'data-testid="nominator-record"' not in client.get(f"/nominations/{appointed.pk}/").content.decode()


def test_a_person_who_nominated_nobody_has_no_record(client, committee, board_officer):
    client.force_login(board_officer)
    assert client.get(f"/people/{committee.members[5].pk}/nominations-made/").status_code == 404


def test_the_record_stays_whole_after_the_nominator_retires(client, committee, appointed, board_officer):
    client.force_login(board_officer)
    before = client.get(_url(committee))
    rows_before = [r.record.pk for r in before.context["table"].page.object_list]
    for tenure in Tenure.objects.filter(person=committee.head, end__isnull=True):
        tenure_end(tenure=tenure, end=D(2026, 5, 1), actor=SYSTEM)
    assert not Tenure.objects.filter(person=committee.head, end__isnull=True).exists()
    after = client.get(_url(committee))
    assert after.status_code == 200
    assert [r.record.pk for r in after.context["table"].page.object_list] == rows_before
    assert [n.pk for n in _made(after)] == [appointed.pk]
    assert "Bí thư" in after.content.decode()  # the tenure of the day


def test_the_record_costs_the_same_for_2_and_20_nominations(client, committee, board_officer,
                                                            django_assert_num_queries, settings):
    settings.PAGE_SIZE = 50
    c = committee
    _withdrawn(c, 2)
    client.force_login(board_officer)
    with CaptureQueriesContext(connection) as two:
        page = client.get(_url(c))
    assert len(_made(page)) == 2 and page.context["table"].paginator.count == 4
    _withdrawn(c, 18)
    with django_assert_num_queries(len(two)):
        page = client.get(_url(c))
    assert len(_made(page)) == 20 and page.context["table"].paginator.count == 40


def test_a_draft_never_introduced_is_not_on_the_record(client, committee, board_officer):
    committee.draft()
    client.force_login(board_officer)
    assert client.get(_url(committee)).status_code == 404
    committee.draft(nominee=committee.members[4], position=position("standing-member"), kind="election",
                    planning_exception_ref="1")
    n = committee.introduced(nominee=committee.members[5], position=position("executive-member"), kind="election",
                             planning_exception_ref="2-QĐ/TU")
    page = client.get(_url(committee))
    assert [m.pk for m in _made(page)] == [n.pk]


def test_the_nominations_made_page_sort_and_export_on_their_own(client, committee, board_officer, settings):
    """The nominations are a table of their own (prefix ``made-``): paged, sorted and exported apart from the
    events, so a record of hundreds of nominations is one page at a time."""
    settings.PAGE_SIZE = 5
    c = committee
    _withdrawn(c, 7)
    client.force_login(board_officer)
    first = client.get(_url(c))
    assert first.context["made_table"].paginator.count == 7 and len(_made(first)) == 5
    second = client.get(_url(c, "?made-page=2"))
    assert len(_made(second)) == 2 and not {n.pk for n in _made(first)} & {n.pk for n in _made(second)}
    assert second.context["table"].page.number == 1  # the events stay on their first page
    by_name = client.get(_url(c, "?made-sort=nominee"))
    names = [n.nominee.full_name for n in _made(by_name)]
    assert names == sorted(names) and "table=made" in by_name.content.decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get(_url(c, "?export=xlsx&table=made")).content)).active
    rows = list(book.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 7 and {r[3] for r in rows} == {f"Cán bộ {i}" for i in range(7)}
    events = list(openpyxl.load_workbook(io.BytesIO(client.get(_url(c, "?export=xlsx")).content))
                  .active.iter_rows(min_row=2, values_only=True))
    assert len(events) == 14  # without ``table``, the events, as before


@pytest.mark.parametrize(("query", "status"), [
    ("?year=abc", 200), (f"?year={10**20}", 200), ("?year=²", 200), ("?event=nonsense", 200),
    ("?kind=%00", 400),  # the portal refuses NUL before any view (portal.middleware.RefuseNulMiddleware)
    ("?sort=-nonexistent&export=xlsx", 200), ("?page=99999", 200),
    ("?made-page=abc", 200), ("?made-sort=-nonexistent", 200), ("?export=xlsx&table=nonsense", 200)])
def test_hostile_filters_never_break_the_record(client, committee, appointed, board_officer, query, status):
    client.force_login(board_officer)
    assert client.get(_url(committee, query)).status_code == status
