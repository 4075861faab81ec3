"""Every import reads its file through common.uploads: a bomb is refused at its first limit, in bounded memory.

For each import (the member list, the review results, a regulation's text) and
each kind of bomb (many rows, one row of very many cells, a zip member that
inflates hugely, XML with huge text or deep nesting, a DOCTYPE), the file is
refused with a message saying which limit; the peak of memory allocated while
reading it is measured with ``tracemalloc`` and must stay small. No clock.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from assessments import imports as review_imports
from common.uploads import UploadRefused
from organizations import imports as member_imports
from organizations.imports import parse_member_table
from organizations.models import MemberImport
from regulations.parser import read_lines

MB = 2**20
# What reading a refused bomb may allocate at its peak: far below what the bombs inflate to (hundreds of MB).
PEAK = 40 * MB


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _good_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Họ và tên", "Giới tính", "Ngày vào Đảng"])
    book.active.append(["Trần Thị Mới", "Nữ", "19/05/2010"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet is replaced by ``sheet_xml``."""
    with zipfile.ZipFile(io.BytesIO(_good_xlsx())) as source:
        members = {n: source.read(n) for n in source.namelist()}
    members["xl/worksheets/sheet1.xml"] = sheet_xml
    return _zip(members)


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'


def _many_rows(n: int = 400_000) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
                    for i in range(1, n + 1))
    return _with_sheet(SHEET % rows)


def _one_wide_row(n: int = 2_500_000) -> bytes:
    return _with_sheet(SHEET % (b'<row r="1">' + b"<c/>" * n + b"</row>"))


def _far_cell() -> bytes:
    """One cell, at the sheet's last row and column: a reader pads every row and column before it."""
    return _with_sheet(SHEET % b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def _inflating_member() -> bytes:
    """A zip member of 80 MB of zeros (a few hundred KB compressed)."""
    with zipfile.ZipFile(io.BytesIO(_good_xlsx())) as source:
        members = {n: source.read(n) for n in source.namelist()}
    members["xl/media/padding.bin"] = b"\0" * (80 * MB)
    return _zip(members)


def _huge_text(prefix: bytes, suffix: bytes) -> bytes:
    return prefix + b"x" * (30 * MB) + suffix


def _deep(prefix: bytes, suffix: bytes, tag: bytes = b"x") -> bytes:
    return prefix + b"<%s>" % tag * 50_000 + b"</%s>" % tag * 50_000 + suffix


def _doctype(body: bytes) -> bytes:
    return (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
            b'&a;&a;&a;&a;">]>' + body)


XLSX_BOMBS = {
    "many rows": (_many_rows, "upload_too_many_rows"),
    "one row of very many cells": (_one_wide_row, "upload_too_many_columns"),
    "a cell at the far corner": (_far_cell, "upload_too_many_rows"),
    "a member that inflates hugely": (_inflating_member, "upload_unzipped_too_large"),
    "huge text": (lambda: _with_sheet(_huge_text(SHEET.split(b"%s")[0] + b'<row r="1"><c t="inlineStr"><is><t>',
                                                 b"</t></is></c></row>" + SHEET.split(b"%s")[1])),
                  "upload_too_much_text"),
    "deep nesting": (lambda: _with_sheet(_deep(SHEET.split(b"%s")[0], SHEET.split(b"%s")[1])), "upload_too_deep"),
    "an entity declaration": (lambda: _with_sheet(_doctype(SHEET % b"")), "upload_declaration"),
}


def _peak(read) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = read()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, peak


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {name: make() for name, (make, _code) in XLSX_BOMBS.items()}


# --- the member list -----------------------------------------------------------------------------


@pytest.mark.parametrize("bomb", list(XLSX_BOMBS))
def test_a_member_list_bomb_is_refused_at_its_first_limit(bombs, bomb):
    result, peak = _peak(lambda: parse_member_table("danh_sach.xlsx", bombs[bomb]))
    assert result.rows == []
    [error] = result.errors
    assert error["code"] == member_imports.UPLOAD
    assert error["params"]["reason"]["code"] == XLSX_BOMBS[bomb][1]
    assert peak < PEAK, f"{peak / MB:.0f} MB"


def test_a_csv_member_list_of_one_row_of_very_many_cells_is_refused(settings):
    content = ("Họ và tên,Giới tính,Ngày vào Đảng\n" + "," * 1_000_000 + "\n").encode()
    result, peak = _peak(lambda: parse_member_table("danh_sach.csv", content))
    assert [e["params"]["reason"]["code"] for e in result.errors] == ["upload_too_many_columns"]
    assert peak < PEAK


def test_a_csv_member_list_of_many_rows_is_refused_by_the_upload_limit(settings):
    settings.UPLOAD_MAX_ROWS = 100
    content = ("Họ và tên,Giới tính,Ngày vào Đảng\n" + "A,Nam,01/01/2000\n" * 200).encode()
    result = parse_member_table("danh_sach.csv", content)
    assert [e["params"]["reason"]["code"] for e in result.errors] == ["upload_too_many_rows"]


def test_the_refusal_says_which_limit_in_the_readers_language():
    result = parse_member_table("danh_sach.xlsx", _one_wide_row(1000))
    with translation.override("vi"):
        assert member_imports.error_message(result.errors[0]) == "Dòng 1 có quá nhiều cột (tối đa 200 cột)."
    with translation.override("en"):
        assert member_imports.error_message(result.errors[0]) == "Row 1 has too many columns (at most 200)."


def test_a_good_workbook_still_reads():
    result = parse_member_table("danh_sach.xlsx", _good_xlsx())
    assert result.errors == [] and [r.values["full_name"] for r in result.rows] == ["Trần Thị Mới"]


@pytest.mark.django_db
def test_a_member_list_with_a_file_name_of_300_characters_is_kept_with_a_shorter_name(client, province, staff_a):
    client.force_login(staff_a)
    name = "danh sách đảng viên chi bộ thôn một " * 9 + ".csv"
    assert len(name) > 300
    content = "Họ và tên,Giới tính,Ngày vào Đảng\nTrần Thị Mới,Nữ,19/05/2010\n".encode()
    response = client.post(f"/org/{province.cell_1.pk}/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code < 500
    batch = MemberImport.objects.get()
    assert len(batch.file_name) <= 255 and batch.file_name.endswith(".csv")


# --- the review results --------------------------------------------------------------------------


class _Period:
    """What ``assessments.imports.parse`` reads of a period before the first row: nothing, for a bomb."""

    rules = None


@pytest.mark.parametrize("bomb", list(XLSX_BOMBS))
def test_a_review_results_bomb_is_refused_at_its_first_limit(bombs, bomb):
    parsed, peak = _peak(lambda: review_imports.parse(_Period(), [], "ket_qua.xlsx", bombs[bomb]))
    assert parsed.rows == []
    assert len(parsed.errors) == 1
    assert peak < PEAK, f"{peak / MB:.0f} MB"


def test_the_review_results_refusal_is_the_limit_s_message(bombs):
    with translation.override("vi"):
        parsed = review_imports.parse(_Period(), [], "ket_qua.xlsx", bombs["many rows"])
        assert [str(reason) for reason in parsed.errors] == ["Bảng có quá nhiều dòng (tối đa 10.000 dòng)."]


# --- a regulation's text -------------------------------------------------------------------------

W = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>'


def _docx(document_xml: bytes, extra: dict | None = None) -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        members = {n: source.read(n) for n in source.namelist()}
    members["word/document.xml"] = document_xml
    members.update(extra or {})
    return _zip(members)


DOCX_BOMBS = {
    "many paragraphs": (lambda: _docx(W % (b"<w:p><w:r><w:t>1.</w:t></w:r></w:p>" * 1_200_000)),
                        "upload_too_many_elements"),
    "huge text": (lambda: _docx(_huge_text(W.split(b"%s")[0] + b"<w:p><w:r><w:t>", b"</w:t></w:r></w:p>"
                                           + W.split(b"%s")[1])), "upload_too_much_text"),
    "deep nesting": (lambda: _docx(_deep(W.split(b"%s")[0], W.split(b"%s")[1], b"w:sdt")), "upload_too_deep"),
    "a member that inflates hugely": (lambda: _docx(W % b"", {"word/media/image1.png": b"\0" * (80 * MB)}),
                                      "upload_unzipped_too_large"),
    "an entity declaration": (lambda: _docx(_doctype(W % b"<w:p><w:r><w:t>&b;</w:t></w:r></w:p>")),
                              "upload_declaration"),
}


@pytest.mark.parametrize("bomb", list(DOCX_BOMBS))
def test_a_regulation_docx_bomb_is_refused_at_its_first_limit(bomb):
    make, code = DOCX_BOMBS[bomb]
    content = make()
    with pytest.raises(UploadRefused) as refused:
        read_lines("quy_dinh.docx", content)
    assert refused.value.codes == [code]
    assert isinstance(refused.value, ValueError)  # what the regulation import took for an unreadable file


def test_reading_a_docx_bomb_allocates_little():
    content = DOCX_BOMBS["huge text"][0]()
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused):
            read_lines("quy_dinh.docx", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK, f"{peak / MB:.0f} MB"


@pytest.mark.parametrize(("content", "code"), [
    (b"1.\n" * 150_000, "upload_too_many_lines"),
    (b"x" * 60_000, "upload_line_too_long"),
    ("Điều 1.".encode("utf-16"), "upload_encoding"),
])
def test_a_regulation_txt_past_a_limit_is_refused(content, code):
    with pytest.raises(UploadRefused) as refused:
        read_lines("quy_dinh.txt", content)
    assert refused.value.codes == [code]


def test_a_good_docx_still_reads():
    content = _docx(W % b"<w:p><w:r><w:t>\xc4\x90i\xe1\xbb\x81u 1. Ph\xe1\xba\xa1m vi</w:t></w:r></w:p>")
    assert read_lines("quy_dinh.docx", content) == ["Điều 1. Phạm vi"]
