"""The registers of meetings and decisions: subtree, filters, sorting, pages, STT, and the Excel export."""

import datetime as dt
import io
import re

import openpyxl
import pytest

from common.actors import SYSTEM
from governance import services as svc
from governance.models import Decision
from tests.governance.test_views_working import _committee, irregular_decision

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def records(province):
    """Grassroots committee of A: four meetings (one without any decision), five decisions of both
    authorities (one irregular, one corrected by a later one)."""
    executive, people, collective, individual = _committee(province.grassroots)
    meetings = [svc.meeting_open(body=executive, date=D(2026, month, 5), title=f"Hội nghị tháng {month}",
                                 actor=SYSTEM) for month in (2, 3, 4, 5)]
    irregular = irregular_decision(meetings[0], people, collective, "Thiếu phiếu")
    svc.decision_record_collective(meeting=meetings[1], matter=collective, title="Chương trình quý II",
                                   votes_for=5, actor=SYSTEM)
    svc.decision_record_collective(meeting=meetings[2], matter=collective, title="Đính chính chương trình",
                                   votes_for=5, corrects=irregular, actor=SYSTEM)
    for day in (6, 7):
        svc.decision_record_individual(organization=province.grassroots, matter=individual, date=D(2026, 3, day),
                                       title=f"Chi ngày {day}", signatory=people[0], actor=SYSTEM)
    return {"meetings": meetings, "irregular": irregular}


def _titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].page.object_list]


def _export(client, url: str) -> list[list]:
    response = client.get(url if "export=xlsx" in url else url + ("&" if "?" in url else "?") + "export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_meeting_register_lists_the_subtree_even_a_meeting_without_decisions(client, province, staff_a,
                                                                                 records):
    client.force_login(staff_a)
    response = client.get(f"/org/{province.sub_a.pk}/meetings/")
    assert response.status_code == 200
    assert _titles(response) == ["Hội nghị tháng 5", "Hội nghị tháng 4", "Hội nghị tháng 3", "Hội nghị tháng 2"]
    assert records["meetings"][3].get_absolute_url() in response.content.decode()  # no decision, still reached


def test_meeting_filters_and_sorting(client, province, staff_a, records):
    client.force_login(staff_a)
    url = f"/org/{province.sub_a.pk}/meetings/?date_from=01/03/2026&date_to=30/04/2026&sort=date"
    assert _titles(client.get(url)) == ["Hội nghị tháng 3", "Hội nghị tháng 4"]
    svc.minutes_approve(meeting=records["meetings"][1], actor=SYSTEM)
    assert _titles(client.get(f"/org/{province.sub_a.pk}/meetings/?status=approved")) == ["Hội nghị tháng 3"]
    assert _titles(client.get(f"/org/{province.sub_a.pk}/meetings/?body=standing")) == []


@pytest.mark.parametrize("query, expected", [
    ("kind=individual", ["Chi ngày 7", "Chi ngày 6"]),
    ("status=irregular", ["Thiếu phiếu"]),
    ("status=corrected", ["Thiếu phiếu"]),
    ("status=valid&kind=collective", ["Đính chính chương trình", "Chương trình quý II"]),
    ("field=finance", ["Chi ngày 7", "Chi ngày 6"]),
    ("matter=CT-01&date_to=05/03/2026", ["Chương trình quý II", "Thiếu phiếu"]),
    ("q=chương trình&sort=date", ["Chương trình quý II", "Đính chính chương trình"]),
])
def test_decision_filters(client, province, staff_a, records, query, expected):
    client.force_login(staff_a)
    assert _titles(client.get(f"/org/{province.sub_a.pk}/decisions/?{query}")) == expected


def test_the_export_holds_exactly_the_filtered_rows_of_every_page(client, province, staff_a, records, settings):
    settings.PAGE_SIZE = 2
    client.force_login(staff_a)
    url = f"/org/{province.sub_a.pk}/decisions/?date_from=01/03/2026&sort=date"
    page_1, page_2 = client.get(url), client.get(url + "&page=2")
    assert len(_titles(page_1)) == 2
    shown = _titles(page_1) + _titles(page_2)
    rows = _export(client, url)
    assert rows[0][:3] == ["STT", "Ngày", "Nội dung quyết định"]
    assert [r[2] for r in rows[1:]] == shown == ["Chương trình quý II", "Chi ngày 6", "Chi ngày 7",
                                                 "Đính chính chương trình"]
    assert [r[0] for r in rows[1:]] == [1, 2, 3, 4]
    expected = set(Decision.objects.filter(date__gte=D(2026, 3, 1)).values_list("title", flat=True))
    assert {r[2] for r in rows[1:]} == expected
    link = re.search(r'href="([^"]*)" data-testid="export-xlsx"', page_1.content.decode()).group(1)
    from_link = _export(client, f"/org/{province.sub_a.pk}/decisions/" + link.replace("&amp;", "&"))
    assert from_link == rows  # the page's own export link gives exactly these rows


def test_stt_continues_on_the_next_page(client, province, staff_a, records, settings):
    settings.PAGE_SIZE = 2
    client.force_login(staff_a)
    html = client.get(f"/org/{province.sub_a.pk}/meetings/?page=2").content.decode()
    assert re.findall(r'<td class="text-end text-muted">(\d+)</td>', html) == ["3", "4"]


def test_a_page_past_the_end_or_not_a_number_shows_a_page(client, province, staff_a, records):
    client.force_login(staff_a)
    for page in ("999", "abc", "²"):
        assert client.get(f"/org/{province.sub_a.pk}/decisions/?page={page}").status_code == 200


def test_the_registers_cost_the_same_queries_whatever_their_size(client, province, staff_a, records,
                                                                django_assert_max_num_queries):
    client.force_login(staff_a)
    for url in (f"/org/{province.sub_a.pk}/decisions/", f"/org/{province.sub_a.pk}/meetings/"):
        client.get(url)
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200


def test_another_committee_gets_404(client, province, outsider, records):
    client.force_login(outsider)
    for url in (f"/org/{province.sub_a.pk}/meetings/", f"/org/{province.grassroots.pk}/decisions/",
                f"/org/{province.sub_a.pk}/decisions/?export=xlsx"):
        assert client.get(url).status_code == 404
    response = client.get("/decisions/")  # the menu's register is their own committee's
    assert response.status_code == 302 and response["Location"] == f"/org/{province.sub_b.pk}/decisions/"


def test_the_menu_offers_the_registers_only_to_who_can_open_them(client, province, staff_a, an):
    client.force_login(staff_a)
    assert 'href="/meetings/"' in client.get("/people/").content.decode()
    client.force_login(an.user)
    assert 'href="/meetings/"' not in client.get("/").content.decode()
    assert client.get("/meetings/").status_code == 404


def test_the_organization_page_links_to_both_registers(client, province, staff_a):
    client.force_login(staff_a)
    html = client.get(province.grassroots.get_absolute_url()).content.decode()
    assert f"/org/{province.grassroots.pk}/meetings/" in html and f"/org/{province.grassroots.pk}/decisions/" in html


def test_choices_are_shown_by_their_labels_in_the_page_and_the_export(client, province, staff_a, records):
    client.force_login(staff_a)
    url = f"/org/{province.sub_a.pk}/decisions/?status=corrected"
    html = client.get(url).content.decode()
    assert "Không đúng thẩm quyền, thủ tục; đã được đính chính" in html and "Tập thể quyết định" in html
    (header, row), = [_export(client, url)]
    assert dict(zip(header, row))["Tình trạng"] == "Không đúng thẩm quyền, thủ tục; đã được đính chính"
    assert dict(zip(header, row))["Lĩnh vực"] == "Chủ trương, chính sách"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    assert ">Irregular; " in english and "Không đúng thẩm quyền" not in english  # labels per language


def test_the_export_writes_dates_as_dates_shown_the_vietnamese_way(client, province, staff_a, records):
    client.force_login(staff_a)
    response = client.get(f"/org/{province.sub_a.pk}/meetings/?sort=date&export=xlsx")
    cells = [row[1] for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)]
    assert [c.value.date() for c in cells] == [dt.date(2026, m, 5) for m in (2, 3, 4, 5)]
    assert all(c.is_date and c.number_format == "dd/mm/yyyy" for c in cells)  # a spreadsheet sorts them as dates
