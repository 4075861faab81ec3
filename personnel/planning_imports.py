"""Reading a planning list (.xlsx or .csv) before anything is checked against the database or written.

The first non-empty row names the columns, matched without regard to case or
diacritics (``COLUMNS``). Every data row becomes a plain dict of strings (the
decision date as an ISO string), so it can wait in the session between the
preview and the confirmation; what a cell says about the database (a card, a
position, a deciding level) is checked by ``personnel.services``
(``planning_import_check``), the same way at the preview and at the commit.
Problems are reasons with codes (``personnel.reasons``), each with its row.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from openpyxl import Workbook

from common import uploads
from common.reasons import Reason
from common.spreadsheets import cell
from common.text import fold
from common.uploads import UploadRefused

# The column names a file uses (Vietnamese whatever the reader's language), as the template writes them.
LABELS = {
    "card": "Số thẻ đảng viên",
    "position": "Chức danh quy hoạch (mã hoặc tên)",
    "term": "Nhiệm kỳ",
    "ref": "Số quyết định",
    "day": "Ngày quyết định",
    "decider": "Mã cấp phê duyệt",
}
REQUIRED = tuple(LABELS)
# folded header -> field; the template's own labels are added below.
COLUMNS = {
    "so the dang vien": "card", "so the": "card",
    "chuc danh": "position", "ma chuc danh": "position", "chuc danh quy hoach": "position",
    "nhiem ky": "term", "nhiem ky quy hoach": "term",
    "so quyet dinh": "ref", "so quyet dinh phe duyet": "ref",
    "ngay quyet dinh": "day", "ngay quyet dinh phe duyet": "day",
    "cap phe duyet": "decider", "ma cap phe duyet": "decider", "ma to chuc phe duyet": "decider",
    "cap quyet dinh": "decider", "ma cap quyet dinh": "decider",
    **{fold(label): name for name, label in LABELS.items()},
}
MAX = {"card": 20, "position": 120, "term": 20, "ref": 60, "decider": 40}  # as the model's fields hold them
ECHO_MAX = 40  # a bad value is quoted back, cut to this length


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)  # {"row": n, "card": ..., "day": "2025-12-01", ...}
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row": n or None, "reason": Reason.to_json()}

    @property
    def file_error(self) -> bool:
        """The file as a whole could not be read: no rows to preview."""
        return bool(self.errors) and not self.rows


def row_error(row: int | None, code: str, **params: Any) -> dict[str, Any]:
    return {"row": row, "reason": Reason(code, params).to_json()}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def echo(value: object) -> str:
    """A bad value quoted back: short, and without characters the database refuses."""
    text = str(value).replace("\x00", "")
    return text if len(text) <= ECHO_MAX else text[:ECHO_MAX] + "…"


def _text(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))  # Excel made a number of a card or a year
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def parse_date(value: object) -> dt.date:
    """A real date cell, or dd/mm/yyyy (also dd-mm-yyyy and yyyy-mm-dd); ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if dt.date(1900, 1, 1) <= day <= dt.date(2199, 12, 31):
            return day
    raise ValueError(text)


def _row(number: int, cells: dict[str, object], errors: list[dict]) -> dict[str, Any]:
    row: dict[str, Any] = {"row": number}
    for name in REQUIRED:
        value = cells.get(name)
        if _blank(value):
            errors.append(row_error(number, "planning_import_missing", col=name))
            row[name] = "" if name != "day" else None
            continue
        if name == "day":
            try:
                row["day"] = parse_date(value).isoformat()
            except ValueError:
                errors.append(row_error(number, "planning_import_bad_date", v=echo(value)))
                row["day"] = None
            continue
        text = _text(value)
        if len(text) > MAX[name]:
            errors.append(row_error(number, "planning_import_too_long", col=name, n=MAX[name]))
            text = text[:MAX[name]]
        row[name] = text
    return row


def parse_planning_table(file_name: str, content: bytes) -> Parsed:
    """Every row read and checked for its shape; never touches the database."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        return Parsed(errors=[{"row": None, "reason": Reason(
            "upload_too_large", {"size": settings.IMPORT_MAX_BYTES}).to_json()}])
    name = file_name.lower()
    if name.endswith(".xlsx"):
        reader = uploads.xlsx_rows(content)
    elif name.endswith(".csv"):
        reader = uploads.csv_rows(content)
    else:
        return Parsed(errors=[row_error(None, "planning_import_file_type")])
    parsed = Parsed()
    header: list[str | None] | None = None
    read = 0
    try:
        for number, raw in reader:
            if all(_blank(c) for c in raw):
                continue
            if header is None:
                header = [COLUMNS.get(fold(str(h or ""))) for h in raw]
                missing = [f for f in REQUIRED if f not in header]
                if missing:
                    return Parsed(errors=[row_error(number, "planning_import_columns", cols=missing)])
                continue
            read += 1
            if read > settings.IMPORT_MAX_ROWS:
                return Parsed(errors=[row_error(None, "planning_import_too_many_rows", n=settings.IMPORT_MAX_ROWS)])
            if any(isinstance(c, str) and "\x00" in c for c in raw):
                parsed.errors.append(row_error(number, "planning_import_nul"))
                parsed.rows.append({"row": number, **{f: "" for f in REQUIRED}, "day": None})
                continue
            cells = {h: v for h, v in zip(header, raw, strict=False) if h is not None}
            parsed.rows.append(_row(number, cells, parsed.errors))
    except UploadRefused as exc:
        return Parsed(errors=[{"row": None, "reason": exc.reasons[0].to_json()}])
    if header is None:
        return Parsed(errors=[row_error(None, "planning_import_empty")])
    if not parsed.rows:
        return Parsed(errors=[row_error(None, "planning_import_no_rows")])
    return parsed


def template_xlsx(positions: list[tuple[str, str]], deciders: list[tuple[str, str]]) -> bytes:
    """The file to fill in: the columns on the first sheet; the position codes and the codes of the levels that
    may decide (the organization and those above it) on two more, for reference."""
    book = Workbook(write_only=True)
    sheets = [("Quy hoạch", list(LABELS.values()), []),
              ("Mã chức danh", ["Mã", "Chức danh"], positions),
              ("Mã cấp phê duyệt", ["Mã", "Tổ chức"], deciders)]
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title)
        sheet.freeze_panes = "A2"
        sheet.append([cell(sheet, value, bold=True) for value in header])
        for row in rows:
            sheet.append([cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
