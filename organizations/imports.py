"""Reading and checking a member list (.xlsx or .csv) before anything is written.

The first non-empty row names the columns; names are matched without regard
to case or diacritics. Rows are read one at a time and reading stops as soon
as the file has more rows than ``settings.IMPORT_MAX_ROWS``: a small .xlsx can
hold hundreds of thousands of rows. Every problem is reported with its row
number as a code and parameters (``{"row": 5, "code": "bad_date", "params":
{...}}``), rendered in the reader's language by ``error_message``; nothing is
written while any row is bad.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common import uploads
from common.reasons import Reason, text_of
from common.text import fold
from common.uploads import UploadRefused

from .models import Gender, OrgKind, today

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
DATE_FIELDS = ("birth_date", "join_date", "official_date", "start")
# The column names a file must use: Vietnamese whatever the reader's language.
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
NAME_MAX = 120
CARD_MAX = 20
ECHO_MAX = 40  # a bad value is quoted back, cut to this length

# What a file past a limit, damaged or badly encoded read as before ``common.uploads`` said it itself: such a
# file is now refused with the upload's own reason (``UPLOAD``); these codes only render imports stored earlier.
STORED_EARLIER = {
    "too_large": _("Tệp quá lớn (tối đa %(mb)s MB)."),
    "unzipped_too_large": _("Tệp Excel khi giải nén quá lớn (tối đa %(mb)s MB)."),
    "csv_encoding": _("Tệp CSV phải được lưu với bảng mã UTF-8."),
    "csv_field_too_long": _("Có ô dài quá %(n)s ký tự; tệp không đọc tiếp được."),
    "csv_broken": _("Tệp CSV bị lỗi định dạng, không đọc tiếp được. Hãy lưu lại tệp từ Excel dưới dạng "
                    "CSV UTF-8."),
    "xlsx_unreadable": _("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải tệp .xlsx."),
    "xlsx_no_sheet": _("Tệp Excel không có trang tính nào."),
    "xlsx_broken": _("Tệp Excel bị hỏng: nội dung trang tính không đọc được."),
}

MESSAGES = {
    # the whole file
    "file_type": _("Chỉ nhận tệp .xlsx hoặc .csv."),
    "empty": _("Tệp không có dữ liệu."),
    "no_rows": _("Tệp chỉ có dòng tên cột, không có dòng dữ liệu nào."),
    "missing_columns": _("Thiếu cột bắt buộc: %(cols)s."),
    "too_many_rows": _("Tệp có quá nhiều dòng (tối đa %(n)s)."),
    "not_cell": _("Chỉ nhập danh sách đảng viên vào một chi bộ; “%(org)s” là %(kind)s."),
    "dissolved": _("“%(org)s” đã giải thể, sáp nhập: không nhập được đảng viên vào đó."),
    # one row
    "nul": _("Dòng có ký tự không hợp lệ (mã NUL); hãy lưu lại tệp rồi tải lên lại."),
    "missing": _("Thiếu %(col)s."),
    "name_too_long": _("Họ và tên dài quá %(n)s ký tự."),
    "bad_gender": _("Giới tính “%(v)s” không hợp lệ (ghi Nam hoặc Nữ)."),
    "bad_card": _("Số thẻ đảng viên “%(v)s” chỉ gồm chữ số, tối đa %(n)s ký tự."),
    "bad_date": _("%(col)s “%(v)s” không đúng định dạng ngày (dd/mm/yyyy)."),
    "future_date": _("%(col)s “%(v)s” là ngày trong tương lai."),
    "official_before_join": _("Ngày chính thức không được trước ngày vào Đảng."),
    "join_before_birth": _("Ngày vào Đảng phải sau ngày sinh."),
    "under_18": _("Ngày vào Đảng %(join)s: khi đó mới %(age)s tuổi; người vào Đảng phải từ đủ 18 tuổi "
                  "(Điều 1 Điều lệ Đảng)."),
    "start_before_join": _("Ngày bắt đầu sinh hoạt không được trước ngày vào Đảng."),
    "duplicate_card": _("Số thẻ đảng viên %(card)s trùng với dòng %(other)s."),
    "card_taken": _("Số thẻ đảng viên %(card)s đã có trong hệ thống."),
    "card_taken_by": _("Số thẻ đảng viên %(card)s đã có trong hệ thống (%(name)s)."),
}


# Errors stored as Vietnamese text before they had codes (migration 0003 wraps them).
LEGACY = "legacy_text"


# A limit of the upload (common.uploads) passed: params {"reason": ...}, rendered by that reason's message.
UPLOAD = "upload"


def error(code: str, row: int | None = None, **params) -> dict:
    """The one shape of an import error, stored as JSON and rendered when shown."""
    if code not in MESSAGES and code != UPLOAD:  # STORED_EARLIER codes are read, never written
        raise ValueError(f"unknown import error code {code!r}")
    return {"row": row, "code": code, "params": params}


def upload_error(reason: Reason) -> dict:
    """A limit of the upload passed, or a file it cannot read: the reason ``common.uploads`` gave, kept as
    it is (it says the row itself where there is one)."""
    return error(UPLOAD, reason=reason.to_json())


# Parameters kept as ISO dates, shown in the reader's date format (older rows kept "dd/mm/yyyy": shown as kept).
_DATE_PARAMS = {"future_date": ("v",), "under_18": ("join",)}


def _shown_date(value: object) -> object:
    try:
        return date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


def error_message(e: dict) -> str:
    """An error in the reader's language."""
    params = dict(e.get("params") or {})
    for name in _DATE_PARAMS.get(e.get("code", ""), ()):
        if name in params:
            params[name] = _shown_date(params[name])
    if "col" in params:
        params["col"] = LABELS.get(params["col"], params["col"])
    if "cols" in params:
        params["cols"] = ", ".join(LABELS.get(c, c) for c in params["cols"])
    if "kind" in params:
        params["kind"] = OrgKind(params["kind"]).label if params["kind"] in OrgKind.values else params["kind"]
    if e["code"] == LEGACY:
        return params["text"]
    if e["code"] == UPLOAD:
        return text_of(Reason.from_json(params["reason"]))
    template = MESSAGES.get(e["code"]) or STORED_EARLIER.get(e["code"])
    return str(template) % params if template is not None else e["code"]


@dataclass
class ParsedRow:
    number: int  # the row number in the file, as a spreadsheet shows it
    values: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The row as stored on the import: dates as ISO strings."""
        return {"row": self.number, **{k: v.isoformat() if isinstance(v, dt.date) else v
                                       for k, v in self.values.items()}}

    @classmethod
    def from_json(cls, data: dict) -> ParsedRow:
        values = {k: dt.date.fromisoformat(v) if k in DATE_FIELDS and v else v
                  for k, v in data.items() if k != "row"}
        return cls(data["row"], values)


@dataclass
class ParseResult:
    rows: list[ParsedRow]
    errors: list[dict]  # error(...) dicts
    rows_read: int = 0  # data rows read from the file: reading stops past the limit

    @property
    def ok(self) -> bool:
        return not self.errors


class TableError(Exception):
    """The file cannot be read any further; carries one error."""

    def __init__(self, code: str, row: int | None = None, **params):
        super().__init__(code)
        self.error = error(code, row, **params)


def read_rows(file_name: str, content: bytes) -> Iterator[tuple[int, tuple | list]]:
    """(row number, cells) for every row of the first sheet, one at a time, within the upload limits
    (``common.uploads``); raises TableError."""
    name = file_name.lower()
    extension = ".xlsx" if name.endswith(".xlsx") else ".csv" if name.endswith(".csv") else None
    if extension is None:
        raise TableError("file_type")
    rows = uploads.xlsx_rows(content) if extension == ".xlsx" else uploads.csv_rows(content)
    try:
        yield from rows
    except UploadRefused as exc:
        raise TableError(UPLOAD, reason=exc.reasons[0].to_json()) from exc


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


def _echo(value: object) -> str:
    """A bad value quoted back to the clerk: short, and without characters the database refuses."""
    text = str(value).replace("\x00", "")
    return text if len(text) <= ECHO_MAX else text[:ECHO_MAX] + "…"


def _card(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))  # Excel turned the number into a float
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return str(value).strip()


def _parse_row(number: int, cells: dict, errors: list[dict]) -> ParsedRow:
    row = ParsedRow(number)

    def bad(code: str, **params) -> None:
        errors.append(error(code, number, **params))

    for f in REQUIRED:
        if _blank(cells.get(f)):
            bad("missing", col=f)
    name = " ".join(str(cells.get("full_name") or "").split())
    if name:
        if len(name) > NAME_MAX:
            bad("name_too_long", n=NAME_MAX)
        row.values["full_name"] = name[:NAME_MAX]
    gender = cells.get("gender")
    if not _blank(gender):
        if fold(str(gender)) in GENDERS:
            row.values["gender"] = GENDERS[fold(str(gender))]
        else:
            bad("bad_gender", v=_echo(gender))
    if not _blank(cells.get("card_number")):
        card = _card(cells["card_number"])
        # isdigit() alone takes "²" and "١٢"
        if card.isascii() and card.isdigit() and len(card) <= CARD_MAX:
            row.values["card_number"] = card
        else:
            bad("bad_card", v=_echo(card), n=CARD_MAX)
    now = today()
    for f in DATE_FIELDS:
        value = cells.get(f)
        if _blank(value):
            continue
        try:
            day = _parse_date(value)
        except ValueError:
            bad("bad_date", col=f, v=_echo(value))
            continue
        if day > now:
            bad("future_date", col=f, v=day.isoformat())
            continue
        row.values[f] = day
    v = row.values
    if v.get("join_date") and v.get("official_date") and v["official_date"] < v["join_date"]:
        bad("official_before_join")
    if v.get("birth_date") and v.get("join_date") and v["join_date"] <= v["birth_date"]:
        bad("join_before_birth")
    elif v.get("birth_date") and v.get("join_date") and age_on(v["birth_date"], v["join_date"]) < MIN_AGE:
        # Charter Art. 1: a party member is a citizen of eighteen or more (RULES.md).
        bad("under_18", join=v["join_date"].isoformat(), age=age_on(v["birth_date"], v["join_date"]))
    if v.get("start") and v.get("join_date") and v["start"] < v["join_date"]:
        bad("start_before_join")
    if not v.get("start") and v.get("join_date"):
        # Said, not silent: the preview marks a start of activity taken from the join date.
        v["start"], v["start_from_join"] = v["join_date"], True
    return row


MIN_AGE = 18


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def parse_member_table(file_name: str, content: bytes) -> ParseResult:
    """Read and check every row; never touches the database."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        return ParseResult([], [upload_error(Reason("upload_too_large", {"size": settings.IMPORT_MAX_BYTES}))])
    errors: list[dict] = []
    rows: list[ParsedRow] = []
    header: list[str | None] | None = None
    read = 0
    try:
        for number, raw in read_rows(file_name, content):
            if not any(not _blank(c) for c in raw):
                continue
            if header is None:
                header = [COLUMNS.get(fold(str(h or ""))) for h in raw]
                missing = [f for f in REQUIRED if f not in header]
                if missing:
                    return ParseResult([], [error("missing_columns", number, cols=missing)])
                continue
            read += 1
            if read > settings.IMPORT_MAX_ROWS:
                return ParseResult([], [error("too_many_rows", n=settings.IMPORT_MAX_ROWS)], read)
            if any(isinstance(c, str) and "\x00" in c for c in raw):
                errors.append(error("nul", number))
                rows.append(ParsedRow(number))
                continue
            cells = dict(zip(header, raw))
            cells.pop(None, None)
            rows.append(_parse_row(number, cells, errors))
    except TableError as exc:
        return ParseResult([], [exc.error], read)
    if header is None:
        return ParseResult([], [error("empty")], read)
    if not rows:
        return ParseResult([], [error("no_rows")], read)

    seen: dict[str, int] = {}
    for row in rows:
        card = row.values.get("card_number")
        if card:
            if card in seen:
                errors.append(error("duplicate_card", row.number, card=card, other=seen[card]))
            else:
                seen[card] = row.number
    errors.sort(key=lambda e: e["row"] or 0)
    return ParseResult(rows, errors, read)
