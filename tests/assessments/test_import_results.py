"""The review results read from a spreadsheet refuse row by row with codes, read in the reader's language."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from assessments import imports
from assessments.selectors import subject_rows

pytestmark = pytest.mark.django_db


def _sheet(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _waiting(period, org):
    return [a for a in subject_rows(period, org) if not a.needs_appraisal]


def _bad_file(period, cell) -> bytes:
    """The template of cell 1 with an unknown number on row 2, a subject twice (rows 3 and 4), a level nobody
    understands and a count that is not one on row 3."""
    sheet = load_workbook(io.BytesIO(imports.template(period, _waiting(period, cell)))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    level, total = header.index("Xếp loại"), header.index("Số nhiệm vụ")
    first = rows[1]
    first[level], first[total] = "Rất siêu", "nhiều"
    unknown = list(first)
    unknown[1] = 999999
    return _sheet([header, unknown, first, list(first)])


def test_each_row_is_refused_with_a_code_keyed_by_its_row(world, period_2026):
    cell = world.province.cell_1
    parsed = imports.parse(period_2026, _waiting(period_2026, cell), "kq.xlsx", _bad_file(period_2026, cell))
    assert parsed.rows == [] and parsed.file_errors == []
    assert {n: [r.code for r in row] for n, row in parsed.row_errors.items()} == {
        2: ["review_import_unknown"], 3: ["review_import_row"], 4: ["review_import_duplicate"]}
    row_3 = parsed.row_errors[3][0]
    assert [p["code"] for p in row_3.params["problems"]][-2:] == ["review_import_no_level",
                                                                   "review_import_bad_count"]
    refused = parsed.refused()
    assert list(refused.rows) == [2, 3, 4]
    assert refused.to_json()[0] == {"code": "review_import_unknown", "params": {"row": 2, "v": "999999"}}


def test_the_row_errors_read_in_english_and_in_vietnamese(world, period_2026):
    cell = world.province.cell_1
    with translation.override("vi"):
        parsed = imports.parse(period_2026, _waiting(period_2026, cell), "kq.xlsx", _bad_file(period_2026, cell))
    with translation.override("en"):
        english = [str(r) for r in parsed.errors]
    with translation.override("vi"):
        vietnamese = [str(r) for r in parsed.errors]
    assert english[0] == "Row 2: assessment number “999999” is not on the list waiting for review."
    assert english[1].startswith("Row 3 (") and "no level given, or “Rất siêu” is not understood" in english[1]
    assert "task count “nhiều” is not valid" in english[1] and english[2].startswith("Row 4: ")
    assert vietnamese[0] == "Dòng 2: mã đánh giá “999999” không thuộc danh sách chờ kiểm điểm."
    assert "chưa có mức xếp loại hoặc không hiểu “Rất siêu”" in vietnamese[1]
    assert "số nhiệm vụ “nhiều” không hợp lệ" in vietnamese[1] and "đã có ở dòng 3" in vietnamese[2]


def test_an_english_reader_sees_the_page_in_english(client, world, period_2026):
    cell = world.province.cell_1
    client.force_login(world.cell_staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = f"/assessments/periods/{period_2026.pk}/org/{cell.pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("kq.xlsx", _bad_file(period_2026, cell))})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="import-errors"' in html
    assert "Row 2: assessment number “999999” is not on the list waiting for review." in html
    assert "không thuộc danh sách" not in html


def test_an_unreadable_file_and_an_empty_one_are_reasons_too(world, period_2026):
    cell = world.province.cell_1
    waiting = _waiting(period_2026, cell)
    broken = imports.parse(period_2026, waiting, "kq.xlsx", b"not a workbook")
    other = imports.parse(period_2026, waiting, "kq.pdf", b"%PDF")
    empty = imports.parse(period_2026, waiting, "kq.xlsx", _sheet([]))
    assert [r.code for r in broken.errors] == ["upload_unreadable"]  # the upload's own reason
    assert [r.code for r in other.errors] == ["review_import_table"]
    assert [r.code for r in empty.errors] == ["review_import_empty"]
    with translation.override("en"):
        assert str(other.errors[0]) == "Only .xlsx or .csv files are accepted."
        assert str(empty.errors[0]) == "The file has no rows."
