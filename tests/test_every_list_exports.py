"""Every list page is a table whose Excel export holds exactly the rows its filters select, on every page."""

import io

import openpyxl
import pytest

from common.actors import SYSTEM
from tests.factories import MembershipFactory
from tests.governance.test_views_working import _committee, irregular_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(province, staff_a, inspector_a, settings):
    import datetime as dt

    from governance import services as svc
    from organizations.services import member_import_preview

    settings.PAGE_SIZE = 2  # several pages everywhere: the export must not stop at the first
    executive, people, collective, individual = _committee(province.grassroots)
    for day in (2, 3, 4):
        meeting = svc.meeting_open(body=executive, date=dt.date(2026, 3, day), title=f"HN {day}", actor=SYSTEM)
        irregular_decision(meeting, people, collective, f"Sai {day}")
    from organizations.models import Position
    from personnel.services import planning_add

    for i in range(3):
        person = MembershipFactory(organization=province.cell_1, person__full_name=f"Đảng Viên Số {i}").person
        planning_add(organization=province.grassroots, person=person, position=Position.objects.get(code="secretary"),
                     term="2025-2030", added_on=dt.date(2025, 12, 1), added_ref=f"{i}-QĐ", added_by=province.sub_a,
                     actor=SYSTEM)
    csv = "Họ và tên,Giới tính,Ngày vào Đảng\n" + "".join(f"Người {i},Nam,01/01/2010\n" for i in range(5))
    batch, _rows = member_import_preview(organization=province.cell_1, file_name="a.csv", content=csv.encode(),
                                         actor=staff_a)
    from regulations.services import citations_set

    for org in (province.grassroots, province.cell_1, province.cell_2):
        citations_set(obj=org, refs=[("ĐLĐ-2011", "9.5")], label=f"Trích dẫn của {org}", url=f"/org/{org.pk}/",
                      scope=org.path)
    from personnel.services import nomination_draft
    from tests.factories import position

    for code, person in zip(("deputy-secretary", "standing-member", "executive-member"), people, strict=False):
        nomination_draft(organization=province.grassroots, kind="standard", position=position(code), nominee=person,
                         source="internal", actor=SYSTEM)
    return {"staff": staff_a, "inspector": inspector_a, "batch": batch}


@pytest.mark.parametrize("who, url", [
    ("staff", "/org/{sub_a}/members/"),
    ("staff", "/org/{sub_a}/members/?q=dang+vien"),
    ("staff", "/org/{sub_a}/meetings/?date_from=03/03/2026"),
    ("staff", "/org/{sub_a}/decisions/"),
    ("inspector", "/org/{sub_a}/irregular/?q=sai"),
    ("staff", "/people/?q=so"),
    ("staff", "/regulations/?kind=guidance"),
    ("staff", "/regulations/search/?q=dang+vien"),
    ("staff", "/regulations/dld-2011/dieu-9.khoan-5/"),
    ("staff", "/imports/{batch}/"),
    ("staff", "/org/{sub_a}/planning/?q=dang+vien"),
    ("staff", "/org/{sub_a}/nominations/?state=draft"),
    ("staff", "/nominations/"),
])
def test_the_export_holds_exactly_the_rows_the_page_counts(client, province, lists, who, url):
    url = url.format(sub_a=province.sub_a.pk, batch=lists["batch"].pk)
    client.force_login(lists[who])
    page = client.get(url)
    assert page.status_code == 200
    table = page.context["table"]
    response = client.get(url + ("&" if "?" in url else "?") + "export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert table.paginator.count > 0, url
    assert len(rows) == table.paginator.count
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # the STT column, counted over every page
