"""Document list, document page, provision page: what a reader sees, and query counts."""

import datetime as dt

import pytest

from common.actors import SYSTEM
from regulations.models import Document
from regulations.services import document_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(UserFactory(username="reader"))
    return client


def _codes(response) -> set[str]:
    return {row.record.code for row in response.context["table"].page.object_list}


def test_the_list_filters_by_kind_and_status_on_a_date(reader):
    assert _codes(reader.get("/regulations/?kind=guidance")) == {"25-HD/BTCTW", "43-HD/BTCTW"}
    assert _codes(reader.get("/regulations/?status=replaced&on=01/09/2025")) == {"124-QĐ/TW", "24-QĐ/TW"}
    assert "142-QĐ/TW" not in _codes(reader.get("/regulations/?status=in_force&on=24/04/2029"))
    assert "Đã được thay thế" in reader.get("/regulations/?on=01/11/2025").content.decode()


def test_a_bad_date_is_a_clear_message_not_an_error(reader):
    response = reader.get("/regulations/?on=31/02/2025")
    assert response.status_code == 200 and "Ngày 31/02/2025 không có trong lịch." in response.content.decode()


def test_a_past_date_lists_only_what_had_been_issued_by_then(reader):
    issued_later = set(Document.objects.filter(issue_date__gt=dt.date(2024, 1, 1)).values_list("code", flat=True))
    assert issued_later  # 366-QĐ/TW, 377-QĐ/TW, 43-HD/BTCTW ...
    listed = _codes(reader.get("/regulations/?on=01/01/2024"))
    assert listed and not listed & issued_later
    statuses = [row.get_cell("status") for row in
                reader.get("/regulations/?on=01/01/2024").context["table"].page.object_list]
    assert statuses and "Chưa có hiệu lực" not in statuses


def test_a_catalog_document_without_its_text_opens(reader):
    document = Document.objects.create(code="99-QĐ/TU", kind="regulation", title="Quy định thử",
                                       issue_date=dt.date(2025, 1, 2), effective_from=dt.date(2025, 2, 1))
    response = reader.get(document.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="no-text"' in html and "01/02/2025" in html
    assert reader.get(document.get_absolute_url() + "?version=1").status_code == 404


def test_document_page_has_a_table_of_contents_with_anchors(reader):
    response = reader.get("/regulations/dld-2011/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#dieu-9"' in html and 'id="dieu-9.khoan-5"' in html
    assert "khung điều khoản" in html


def test_an_old_version_stays_readable(reader):
    document = Document.objects.get(code="142-QĐ/TW")
    document_import(document=document, file_name="142.txt", actor=SYSTEM,
                    content="Điều 1. Phạm vi\nNội dung.\nĐiều 3. Giới thiệu\nNội dung mới.\n".encode())
    current = reader.get("/regulations/142-qd-tw/dieu-3/")
    assert current.context["provision"].text == "Nội dung mới."
    old = reader.get("/regulations/142-qd-tw/dieu-3/?version=1")
    assert old.context["provision"].version.number == 1
    assert "không phải bản hiện hành" in reader.get("/regulations/142-qd-tw/?version=1").content.decode()
    assert reader.get("/regulations/142-qd-tw/dieu-4/").status_code == 404  # removed in the new text
    assert reader.get("/regulations/142-qd-tw/dieu-4/?version=1").status_code == 200


def test_provision_page_shows_its_citation_and_a_paginated_cited_by(client, settings, province, staff_a):
    from regulations.services import citations_set

    settings.PAGE_SIZE = 3
    orgs = [province.grassroots, province.cell_1, province.cell_2, province.sub_a, province.cell_b]
    for i, org in enumerate(orgs):
        citations_set(obj=org, refs=[("ĐLĐ-2011", "9.5")], label=f"Vấn đề BTV-0{i}", url=f"/org/{org.pk}/",
                      scope=org.path)
    client.force_login(staff_a)
    html = client.get("/regulations/dld-2011/dieu-9.khoan-5/").content.decode()
    assert "Khoản 5 Điều 9 Điều lệ Đảng" in html and f'href="/org/{province.sub_a.pk}/">Vấn đề BTV-03' in html
    assert "Trang 1/2" in html and "Vấn đề BTV-04" not in html  # cell_b belongs to B: never shown to A's staff
    second = client.get("/regulations/dld-2011/dieu-9.khoan-5/?page=2").content.decode()
    assert second.count("Vấn đề BTV-0") == 1
    import io

    import openpyxl

    export = client.get("/regulations/dld-2011/dieu-9.khoan-5/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in rows) == ["Vấn đề BTV-00", "Vấn đề BTV-01", "Vấn đề BTV-02", "Vấn đề BTV-03"]


def test_unknown_documents_and_anchors_are_404(reader):
    assert reader.get("/regulations/khong-co/").status_code == 404
    assert reader.get("/regulations/dld-2011/dieu-99/").status_code == 404
    assert reader.get("/regulations/dld-2011/?version=9").status_code == 404


@pytest.mark.parametrize("url", ["/regulations/", "/regulations/124-qd-tw/", "/regulations/124-qd-tw/dieu-12/"])
def test_pages_cost_a_fixed_number_of_queries(reader, url, django_assert_max_num_queries):
    document = Document.objects.get(code="124-QĐ/TW")
    text = "".join(f"Điều {i}. Tiêu đề {i}\n1. Khoản.\n2. Khoản hai.\n" for i in range(1, 30))
    document_import(document=document, file_name="124.txt", content=text.encode(), actor=SYSTEM)
    Document.objects.create(code="99-QĐ/TU", kind="regulation", title="Khác", effective_from=dt.date(2026, 1, 1))
    reader.get(url)
    with django_assert_max_num_queries(10):
        assert reader.get(url).status_code == 200
