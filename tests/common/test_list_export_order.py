"""A list's Excel export reads in the order of its pages: the sort asked for, or the table's default, ties
broken the same way, and the export link of the page keeping the page's sort."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.actors import SYSTEM
from governance import services as svc
from tests.governance.test_views_working import _committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(province, settings) -> str:
    """Seven meetings, five of them the same day (rows a sort by date ties), three to a page."""
    settings.PAGE_SIZE = 3
    executive, *_ = _committee(province.grassroots)
    for i, day in enumerate([5, 5, 9, 5, 5, 1, 5]):
        svc.meeting_open(body=executive, date=dt.date(2026, 3, day), title=f"Hội nghị {i}", actor=SYSTEM)
    return f"/org/{province.sub_a.pk}/meetings/"


def _on_pages(client, url: str) -> list[str]:
    """The titles shown, page after page."""
    titles, number = [], 1
    while True:
        table = client.get(f"{url}{'&' if '?' in url else '?'}page={number}").context["table"]
        titles += [row.record.title for row in table.page.object_list]
        if not table.page.has_next():
            return titles
        number += 1


def _exported(client, url: str) -> list[str]:
    """The titles of the export the page links to."""
    page = client.get(url).content.decode()
    link = html.unescape(re.search(r'href="([^"]*)" data-testid="export-xlsx"', page).group(1))
    assert "export=xlsx" in link
    response = client.get(url.split("?")[0] + link)
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    column = list(rows[0]).index("Tên hội nghị")
    return [row[column] for row in rows[1:]]


@pytest.mark.parametrize("query", ["", "?sort=date", "?sort=-date", "?sort=title", "?sort=-organization"])
def test_the_export_lists_the_rows_in_the_order_of_the_pages(client, staff_a, meetings, query):
    client.force_login(staff_a)
    shown = _on_pages(client, meetings + query)
    assert len(shown) == len(set(shown)) == 7  # no row on two pages, none left out
    assert _exported(client, meetings + query) == shown


def test_tied_rows_are_ordered_by_id_on_the_page_and_in_the_export(client, staff_a, meetings):
    """The database may order tied rows one way under LIMIT and another without: the tie is broken by id."""
    client.force_login(staff_a)
    for params in ({}, {"export": "xlsx"}):
        with CaptureQueriesContext(connection) as queries:
            client.get(meetings, params)
        listed = [q["sql"] for q in queries if 'FROM "governance_meeting"' in q["sql"] and "ORDER BY" in q["sql"]]
        assert listed, params
        assert all(re.search(r'ORDER BY "governance_meeting"\."date" DESC, "governance_meeting"\."id" ASC', sql)
                   for sql in listed), listed
    shown = _on_pages(client, meetings)
    same_day = [t for t in shown if t in {"Hội nghị 0", "Hội nghị 1", "Hội nghị 3", "Hội nghị 4", "Hội nghị 6"}]
    assert same_day == ["Hội nghị 0", "Hội nghị 1", "Hội nghị 3", "Hội nghị 4", "Hội nghị 6"]

