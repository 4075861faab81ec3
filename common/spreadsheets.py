"""Every .xlsx the portal writes (list exports, import templates) goes through ``xlsx_bytes``.

A text a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: OWASP's "CSV injection", which applies to
any cell a user may edit) is written as a text cell with Excel's quote prefix,
so it shows and stays as typed, never as a live formula. Numbers, dates and
booleans are written as they are: a negative number stays a number, and a day
is a date cell shown in the portal's date format (dd/mm/yyyy), which a
spreadsheet sorts and filters as a date, not as a text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils.formats import get_format
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Django's date format letters and the spreadsheet's codes for the same (what the portal's formats use).
_EXCEL_CODES = {"d": "dd", "j": "d", "m": "mm", "n": "m", "Y": "yyyy", "y": "yy"}


def excel_date_format() -> str:
    """The active language's ``SHORT_DATE_FORMAT`` (d/m/Y) as a spreadsheet number format (dd/mm/yyyy)."""
    django_format = get_format("SHORT_DATE_FORMAT")
    out = []
    for ch in django_format:
        if ch.isalpha():
            if ch not in _EXCEL_CODES:
                return "dd/mm/yyyy"  # a letter with no spreadsheet equivalent: the portal's own format
            out.append(_EXCEL_CODES[ch])
        else:
            out.append(ch)
    return "".join(out)


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def cell(sheet: Worksheet, value: Any, bold: bool = False) -> WriteOnlyCell:
    """A cell holding ``value``; a formula-like text as a text (quote-prefixed), never a formula."""
    if value is not None and not isinstance(value, str | int | float | bool) and not hasattr(value, "isoformat"):
        value = str(value)  # lazy translations, SafeStrings' relatives, Decimals shown as text by tables
    written = WriteOnlyCell(sheet, value=None)
    if is_formula_like(value):
        written.value = value
        written.data_type = "s"  # openpyxl takes a text starting with "=" for a formula
        written.quotePrefix = True  # and a spreadsheet keeps it text when the cell is edited
    else:
        written.value = value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            written.number_format = excel_date_format()
    if bold:
        written.font = Font(bold=True)
    return written


def xlsx_bytes(title: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """One sheet: a bold header row (frozen), then the rows, written as they come (write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    sheet.append([cell(sheet, value, bold=True) for value in header])
    for row in rows:
        sheet.append([cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\" and ch.isprintable()).strip("'")
    return cleaned[:31] or "Sheet"
