"""Search across provisions ignoring diacritics, ranked, highlighted, filtered (both databases)."""

import datetime as dt

import pytest

from common.actors import SYSTEM
from regulations import selectors
from regulations.models import Document, Provision
from regulations.services import document_import

pytestmark = pytest.mark.django_db

TEXT = """Điều 1. Xếp loại chất lượng tổ chức đảng
Tổ chức đảng được xếp loại chất lượng hằng năm theo bốn mức.
Điều 2. Đánh giá cán bộ
1. Cán bộ được đánh giá theo kết quả thực hiện nhiệm vụ.
2. Việc xếp loại chất lượng cán bộ, xếp loại chất lượng đảng viên do chi bộ thực hiện.
Điều 3. Khen thưởng
Khen thưởng <b>kịp thời</b> các tập thể tiêu biểu.
"""


@pytest.fixture
def regulation():
    document = Document.objects.create(code="07-QĐ/TU", kind="regulation", title="Quy định thử",
                                       issue_date=dt.date(2026, 1, 1), effective_from=dt.date(2026, 1, 1))
    document_import(document=document, file_name="qd.txt", content=TEXT.encode(), actor=SYSTEM)
    return document


def _hits(query, **filters):
    return [p.anchor for p in selectors.load_hits(selectors.search_ids(query, **filters), query)
            if p.version.document.code == "07-QĐ/TU"]


@pytest.mark.parametrize("query", ["xep loai chat luong", "XẾP LOẠI CHẤT LƯỢNG", "xếp loai chat lượng"])
def test_diacritics_and_case_do_not_matter(regulation, query):
    assert set(_hits(query)) == {"dieu-1", "dieu-2.khoan-2"}


def test_results_are_ranked_and_every_word_must_match(regulation):
    hits = _hits("xep loai chat luong can bo")
    assert hits == ["dieu-2.khoan-2"]
    assert _hits("khen thuong") == ["dieu-3"]
    assert _hits("khong co tu nay") == []


def test_a_partly_typed_last_word_still_matches(regulation):
    assert "dieu-3" in _hits("khen thuo")


def test_snippets_highlight_the_words_and_escape_the_text(regulation):
    provision = Provision.objects.get(version__document=regulation, anchor="dieu-3")
    html = selectors.snippet(provision.text, "kip thoi")
    assert "<mark>kịp</mark> <mark>thời</mark>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_filters_by_kind_and_by_date_in_force(regulation):
    assert _hits("khen thuong", kind="regulation") == ["dieu-3"]
    assert _hits("khen thuong", kind="guidance") == []
    assert _hits("khen thuong", in_force_on=dt.date(2025, 12, 31)) == []
    assert _hits("khen thuong", in_force_on=dt.date(2026, 1, 1)) == ["dieu-3"]


def test_only_the_current_text_is_searched(regulation):
    document_import(document=regulation, file_name="qd2.txt",
                    content="Điều 1. Phạm vi\nNội dung mới về thi đua.\n".encode(), actor=SYSTEM)
    assert _hits("khen thuong") == []
    assert _hits("thi dua") == ["dieu-1"]


def test_the_catalog_skeleton_is_searchable_without_diacritics():
    hits = selectors.load_hits(selectors.search_ids("qua nua so thanh vien tan thanh"), "")
    assert [p.citation() for p in hits] == ["Khoản 5 Điều 9 Điều lệ Đảng"]


def test_search_page_and_query_count(client, regulation, django_assert_max_num_queries):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    client.get("/regulations/search/?q=xep+loai")
    with django_assert_max_num_queries(6):
        response = client.get("/regulations/search/?q=xep+loai+chat+luong")
    html = response.content.decode()
    assert "Điều 1 Quy định 07-QĐ/TU" in html and "<mark>xếp</mark>" in html


def test_parts_of_words_are_found_when_no_whole_word_matches(regulation):
    assert _hits("huong") == ["dieu-3"]  # inside "thưởng"


def test_search_results_page_without_a_cap_and_export_every_hit(client, regulation, settings):
    import io

    import openpyxl

    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get("/regulations/search/?q=xep+loai")
    count = page.context["table"].paginator.count
    assert count >= 1
    export = client.get("/regulations/search/?q=xep+loai&export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == count and all("<mark>" not in (r[2] or "") for r in rows)
    assert rows[0][1] == str(page.context["table"].page.object_list[0].record.citation)  # the same order


@pytest.mark.parametrize("sort", ["-nonexistent", "citation", "-snippet", "rank,-x"])
def test_a_sort_in_the_address_is_ignored_the_ranking_stays(client, regulation, sort):
    """The hits are in rank order and their columns do not sort: any ``sort`` (a column or not) is ignored,
    on the page and in the export, never a server error."""
    import io

    import openpyxl

    from tests.factories import UserFactory

    client.force_login(UserFactory())
    ranked = client.get("/regulations/search/?q=xep+loai&export=xlsx")
    for url in (f"/regulations/search/?sort={sort}", f"/regulations/search/?q=xep+loai&sort={sort}"):
        assert client.get(url).status_code == 200
        assert client.get(url + "&export=xlsx").status_code == 200
    export = client.get(f"/regulations/search/?q=xep+loai&export=xlsx&sort={sort}")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert rows == list(openpyxl.load_workbook(io.BytesIO(ranked.content)).active.iter_rows(min_row=2,
                                                                                            values_only=True))
    assert len(rows) >= 2
