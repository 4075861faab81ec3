"""Reading and checking a member list (.xlsx or .csv) before anything is written.

The first row names the columns; names are matched without regard to case
or diacritics. Every problem is reported with its row number, in Vietnamese,
and nothing is written while any row is bad.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from common.text import fold

from .models import Gender

# folded header -> field name
COLUMNS = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ngay sinh": "birth_date",
    "gioi tinh": "gender",
    "so the dang vien": "card_number",
    "so the": "card_number",
    "ngay vao dang": "join_date",
    "ngay chinh thuc": "official_date",
    "ngay bat dau sinh hoat": "start",
    "ngay sinh hoat": "start",
}
REQUIRED = ("full_name", "gender", "join_date")
LABELS = {
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "gender": "Giới tính",
    "card_number": "Số thẻ đảng viên",
    "join_date": "Ngày vào Đảng",
    "official_date": "Ngày chính thức",
    "start": "Ngày bắt đầu sinh hoạt",
}
GENDERS = {"nam": Gender.MALE, "nu": Gender.FEMALE, "male": Gender.MALE, "female": Gender.FEMALE}


@dataclass
class ParsedRow:
    number: int  # the row number in the file, header = 1
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class ParseResult:
    rows: list[ParsedRow]
    errors: list[dict]  # {"row": n or None, "message": str}

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_table(file_name: str, content: bytes) -> list[list[object]]:
    name = file_name.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValueError(_("Không đọc được tệp Excel: %(err)s") % {"err": exc}) from exc
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from exc
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    raise ValueError(_("Chỉ nhận tệp .xlsx hoặc .csv."))


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_member_table(file_name: str, content: bytes) -> ParseResult:
    """Read and check every row; never touches the database."""
    errors: list[dict] = []
    if len(content) > settings.IMPORT_MAX_BYTES:
        return ParseResult([], [{"row": None, "message": _(
            "Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}}])
    try:
        table = _read_table(file_name, content)
    except ValueError as exc:
        return ParseResult([], [{"row": None, "message": str(exc)}])
    table = [row for row in table if any(not _blank(v) for v in row)]
    if not table:
        return ParseResult([], [{"row": None, "message": _("Tệp không có dữ liệu.")}])

    header = [COLUMNS.get(fold(str(h or ""))) for h in table[0]]
    missing = [LABELS[f] for f in REQUIRED if f not in header]
    if missing:
        return ParseResult([], [{"row": 1, "message": _(
            "Thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)}}])
    if len(table) - 1 > settings.IMPORT_MAX_ROWS:
        return ParseResult([], [{"row": None, "message": _(
            "Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": settings.IMPORT_MAX_ROWS}}])

    rows: list[ParsedRow] = []
    for number, raw in enumerate(table[1:], start=2):
        row = ParsedRow(number)
        cells = dict(zip(header, raw))
        cells.pop(None, None)

        def bad(message: str, number: int = number) -> None:
            errors.append({"row": number, "message": message})

        for f in REQUIRED:
            if _blank(cells.get(f)):
                bad(_("Thiếu %(col)s.") % {"col": LABELS[f]})
        name = " ".join(str(cells.get("full_name") or "").split())
        if name:
            if len(name) > 120:
                bad(_("Họ và tên dài quá 120 ký tự."))
            row.values["full_name"] = name
        gender = cells.get("gender")
        if not _blank(gender):
            if fold(str(gender)) in GENDERS:
                row.values["gender"] = GENDERS[fold(str(gender))]
            else:
                bad(_("Giới tính “%(v)s” không hợp lệ (ghi Nam hoặc Nữ).") % {"v": gender})
        card = cells.get("card_number")
        if not _blank(card):
            card = str(card).strip()
            if isinstance(cells.get("card_number"), float):  # Excel turned it into a number
                card = str(int(cells["card_number"]))
            if not card.isdigit() or len(card) > 20:
                bad(_("Số thẻ đảng viên “%(v)s” chỉ gồm chữ số, tối đa 20 ký tự.") % {"v": card})
            row.values["card_number"] = card
        for f in ("birth_date", "join_date", "official_date", "start"):
            value = cells.get(f)
            if _blank(value):
                continue
            try:
                row.values[f] = _parse_date(value)
            except ValueError:
                bad(_("%(col)s “%(v)s” không đúng định dạng ngày (dd/mm/yyyy).")
                    % {"col": LABELS[f], "v": value})
        v = row.values
        if v.get("join_date") and v.get("official_date") and v["official_date"] < v["join_date"]:
            bad(_("Ngày chính thức không được trước ngày vào Đảng."))
        if v.get("birth_date") and v.get("join_date") and v["join_date"] <= v["birth_date"]:
            bad(_("Ngày vào Đảng phải sau ngày sinh."))
        rows.append(row)

    seen: dict[str, int] = {}
    for row in rows:
        card = row.values.get("card_number")
        if card:
            if card in seen:
                errors.append({"row": row.number, "message": _(
                    "Số thẻ đảng viên %(card)s trùng với dòng %(other)s.")
                    % {"card": card, "other": seen[card]}})
            else:
                seen[card] = row.number
    return ParseResult(rows, errors)
