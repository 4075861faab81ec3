"""The review's lists are complete: the period's reminders a page at a time (none cut off), every reminder of the
period on a page of its own with filters and its Excel export, and every meeting of the year on the review grid."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from assessments.choices import Step
from assessments.models import Reminder
from assessments.reminders import reminders_send
from common.actors import SYSTEM
from governance import services as gov
from organizations.models import BodyKind
from tests.factories import BodyFactory


@pytest.fixture
def reminded(world, period_2026, clock):
    clock.move_to(dt.datetime(2026, 12, 8, 9, 0))
    reminders_send()  # today: before the self-assessment deadline
    reminders_send(on=dt.date(2026, 12, 11))  # an earlier run's late list, kept
    return period_2026


def test_today_s_reminders_on_the_period_page_are_paginated_not_cut(client, world, reminded, board_officer,
                                                                    settings):
    settings.PAGE_SIZE = 2
    today = Reminder.objects.filter(period=reminded, sent_on=dt.date(2026, 12, 8)).count()
    assert today > 2
    client.force_login(board_officer)
    response = client.get(reminded.get_absolute_url())
    table = response.context["reminders_table"]
    assert table.paginator.count == today and len(table.page.object_list) == 2
    assert "reminders-page=2" in response.content.decode()  # the next page is a link away
    export = client.get(reminded.get_absolute_url(), {"export": "xlsx", "table": "reminders"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == today + 1  # a heading and every reminder of today


def test_every_reminder_of_the_period_is_listed_for_what_the_reader_may_see(client, world, reminded, board_officer,
                                                                            outsider, settings):
    settings.PAGE_SIZE = 3
    url = f"/assessments/periods/{reminded.pk}/reminders/"
    client.force_login(board_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == Reminder.objects.filter(period=reminded).count()
    late = client.get(url, {"late": "true"}).context["table"]
    assert late.paginator.count == Reminder.objects.filter(period=reminded, late=True).count() > 0
    step = client.get(url, {"step": Step.PENDING, "sent_on": "08/12/2026"}).context["table"]
    assert step.paginator.count == Reminder.objects.filter(period=reminded, step=Step.PENDING,
                                                           sent_on=dt.date(2026, 12, 8)).count()
    client.force_login(outsider)  # committee B: only B's reminders
    mine = client.get(url).context["table"]
    assert mine.paginator.count == Reminder.objects.filter(
        period=reminded, organization__path__startswith=world.province.sub_b.path).count() > 0


def test_the_review_grid_offers_every_meeting_of_the_year(client, world, period_2026):
    cell = world.province.cell_1
    body = BodyFactory(organization=cell, kind=BodyKind.CELL_MEETING)
    for day in range(1, 61):  # more than the fifty the grid used to offer
        gov.meeting_open(body=body, date=dt.date(2026, 1, 1) + dt.timedelta(days=day * 5), title=f"Sinh hoạt {day}",
                         actor=SYSTEM)
    client.force_login(world.cell_staff)
    response = client.get(f"/assessments/periods/{period_2026.pk}/org/{cell.pk}/review/")
    assert len(response.context["meeting_form"].fields["meeting"].choices) == 60 + 1  # and "(not recorded)"


def test_the_lateness_filter_offers_all_late_and_not_yet_late(client, world, reminded, board_officer):
    client.force_login(board_officer)
    url = f"/assessments/periods/{reminded.pk}/reminders/"
    field = client.get(url).context["filter"].form["late"]
    assert [(str(value), str(label)) for value, label in field.field.widget.choices] == [
        ("", "Tất cả"), ("true", "Quá hạn"), ("false", "Sắp đến hạn")]
    assert "Chưa xác định" not in str(field)
    everything = client.get(url, {"late": ""}).context["table"]
    assert everything.paginator.count == Reminder.objects.filter(period=reminded).count()
    not_late = client.get(url, {"late": "false"}).context["table"]
    assert not_late.paginator.count == Reminder.objects.filter(period=reminded, late=False).count() > 0


def _export_linked(client, url: str, table: str) -> tuple[str, list[tuple]]:
    """The export link the page shows for ``table``, and the rows it answers."""
    import html
    import re

    page = client.get(url).content.decode()
    link = html.unescape(re.search(rf'href="([^"]*table={table}[^"]*)"', page).group(1))
    response = client.get(url.split("?")[0] + link)
    return link, list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_export_links_of_a_period_s_pages_keep_the_table_s_sort(client, world, period_2026, board_officer):
    client.force_login(board_officer)
    url = f"/assessments/periods/{period_2026.pk}/org/{world.province.cell_1.pk}/?subjects-sort=kind"
    table = client.get(url).context["subjects_table"]
    shown = [str(row.get_cell_value("kind")) for row in table.page.object_list]
    assert len(set(shown)) > 1  # a sort that differs from the default (the collective first)
    link, rows = _export_linked(client, url, "subjects")
    assert "subjects-sort=kind" in link
    column = list(rows[0]).index("Loại")
    assert [r[column] for r in rows[1:]] == shown
