"""Document list, document page, provision page: what a reader sees, and query counts."""

import datetime as dt

import pytest

from regulations import citations
from regulations.citations import CitedBy
from regulations.models import Document
from regulations.services import document_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(UserFactory(username="reader"))
    return client


def test_the_list_filters_by_kind_and_status_on_a_date(reader):
    page = reader.get("/regulations/?kind=guidance").context["page"]
    assert {d.code for d in page} == {"25-HD/BTCTW", "43-HD/BTCTW"}
    page = reader.get("/regulations/?status=replaced&on=01/09/2025").context["page"]
    assert {d.code for d in page} == {"124-QĐ/TW", "24-QĐ/TW"}
    page = reader.get("/regulations/?status=in_force&on=24/04/2029").context["page"]
    assert "142-QĐ/TW" not in {d.code for d in page}
    assert "Đã được thay thế" in reader.get("/regulations/?on=01/11/2025").content.decode()


def test_a_bad_date_is_a_clear_message_not_an_error(reader):
    response = reader.get("/regulations/?on=31/02/2025")
    assert response.status_code == 200 and "Nhập một ngày hợp lệ" in response.content.decode()


def test_document_page_has_a_table_of_contents_with_anchors(reader):
    response = reader.get("/regulations/dld-2011/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#dieu-9"' in html and 'id="dieu-9.khoan-5"' in html
    assert "khung điều khoản" in html


def test_an_old_version_stays_readable(reader):
    document = Document.objects.get(code="142-QĐ/TW")
    document_import(document=document, file_name="142.txt", actor=None,
                    content="Điều 1. Phạm vi\nNội dung.\nĐiều 3. Giới thiệu\nNội dung mới.\n".encode())
    current = reader.get("/regulations/142-qd-tw/dieu-3/")
    assert current.context["provision"].text == "Nội dung mới."
    old = reader.get("/regulations/142-qd-tw/dieu-3/?version=1")
    assert old.context["provision"].version.number == 1
    assert "không phải bản hiện hành" in reader.get("/regulations/142-qd-tw/?version=1").content.decode()
    assert reader.get("/regulations/142-qd-tw/dieu-4/").status_code == 404  # removed in the new text
    assert reader.get("/regulations/142-qd-tw/dieu-4/?version=1").status_code == 200


def test_provision_page_shows_its_citation_and_cited_by(reader):
    def provider(document, anchor):
        if anchor == "dieu-9.khoan-5":
            yield CitedBy("Vấn đề BTV-01", "/org/1/")

    citations.register_cited_by(provider)
    try:
        response = reader.get("/regulations/dld-2011/dieu-9.khoan-5/")
    finally:
        citations.unregister_cited_by(provider)
    html = response.content.decode()
    assert "Khoản 5 Điều 9 Điều lệ Đảng" in html and 'href="/org/1/">Vấn đề BTV-01' in html


def test_unknown_documents_and_anchors_are_404(reader):
    assert reader.get("/regulations/khong-co/").status_code == 404
    assert reader.get("/regulations/dld-2011/dieu-99/").status_code == 404
    assert reader.get("/regulations/dld-2011/?version=9").status_code == 404


@pytest.mark.parametrize("url", ["/regulations/", "/regulations/124-qd-tw/", "/regulations/124-qd-tw/dieu-12/"])
def test_pages_cost_a_fixed_number_of_queries(reader, url, django_assert_max_num_queries):
    document = Document.objects.get(code="124-QĐ/TW")
    text = "".join(f"Điều {i}. Tiêu đề {i}\n1. Khoản.\n2. Khoản hai.\n" for i in range(1, 30))
    document_import(document=document, file_name="124.txt", content=text.encode(), actor=None)
    Document.objects.create(code="99-QĐ/TU", kind="regulation", title="Khác", effective_from=dt.date(2026, 1, 1))
    reader.get(url)
    with django_assert_max_num_queries(10):
        assert reader.get(url).status_code == 200
