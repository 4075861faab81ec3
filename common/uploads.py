"""Upload size limits enforced while the request body is read, not after it has been stored.

A view declares the largest upload it takes with ``@upload_limit("SETTING")``.
``LimitedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``: for such a
view it refuses a request whose declared length is already too large as soon
as the file part starts, and stops reading a body whose file bytes pass the
limit whatever the request declared, so no later handler writes the excess
to memory or disk. The view then finds ``upload_was_cut(request)`` true and
shows the size message.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reasons import Reason, Refused, register_messages

# Room for the other fields and the multipart headers around the file.
FORM_OVERHEAD = 64 * 1024
_CUT = "_upload_was_cut"


def upload_limit(setting: str) -> Callable:
    """Mark a view as taking uploads of at most ``settings.<setting>`` bytes."""

    def decorate(view: Callable) -> Callable:
        view.upload_limit_setting = setting
        return view

    return decorate


def limit_for(request: HttpRequest | None) -> int | None:
    """The upload limit of the view ``request`` goes to, or None when it declares none."""
    if request is None:
        return None
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    setting = getattr(match.func, "upload_limit_setting", None)
    return getattr(settings, setting) if setting else None


def declared_too_large(request: HttpRequest, limit: int) -> bool:
    """Whether the request says, before a byte is read, that it carries more than ``limit``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + FORM_OVERHEAD


def too_large_message(limit: int) -> str:
    return _("Tệp quá lớn (tối đa %(size)s).") % {"size": filesizeformat(limit)}


def upload_was_cut(request: HttpRequest) -> bool:
    return getattr(request, _CUT, False)


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit: int | None = None
        self.too_large = False
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = limit_for(self.request)
        self.too_large = self.limit is not None and declared_too_large(self.request, self.limit)
        return None  # the parsing itself is left to Django

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.too_large:
            self._cut()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.limit is not None:
            self.received += len(raw_data)
            if self.received > self.limit:
                self._cut()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file

    def _cut(self) -> None:
        setattr(self.request, _CUT, True)
        # connection_reset: do not read the rest of the body either.
        raise StopUpload(connection_reset=True)


class LimitedUploadForm(forms.Form):
    """A form whose ``file`` is limited to ``settings.<limit_setting>`` bytes and a few extensions.

    ``too_large`` is true when the request was refused or cut for its size before the file arrived;
    the file field is optional so that such a request reads "too large", not "choose a file".
    """

    limit_setting = "IMPORT_MAX_BYTES"
    extensions: tuple[str, ...] = ()
    missing_message = gettext_lazy("Chọn tệp để tải lên.")
    extension_message = ""

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    @classmethod
    def limit(cls) -> int:
        return getattr(settings, cls.limit_setting)

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(too_large_message(self.limit()))
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(self.missing_message)
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(self.extension_message)
        if upload.size > self.limit():
            raise forms.ValidationError(too_large_message(self.limit()))
        return upload


def upload_form(request: HttpRequest, form_class: type[LimitedUploadForm], **kwargs) -> LimitedUploadForm:
    """``form_class`` for this request: unbound for a GET; refused on the declared length alone (so
    ``request.FILES`` is never read); else bound, knowing whether ``LimitedUploadHandler`` cut the body."""
    if request.method != "POST":
        return form_class(**kwargs)
    if declared_too_large(request, form_class.limit()):
        return form_class({}, too_large=True, **kwargs)
    files = request.FILES  # read through LimitedUploadHandler, which may cut it
    return form_class(request.POST, files, too_large=upload_was_cut(request), **kwargs)


# --- reading what was uploaded, within limits -------------------------------------------------------
#
# Every uploaded file is read through the functions below, never handed straight to openpyxl or
# python-docx: a few hundred kilobytes of zip can inflate to gigabytes of XML, and one row of XML can hold
# millions of cells. Before a library parses anything, the zip's central directory is checked (member count
# and sizes) and every XML member is scanned once with expat, streaming, keeping nothing but counters
# (depth, elements, text, rows, cells per row, the highest cell reference). The first limit passed refuses
# the file with ``UploadRefused``, a ``Refused`` whose message says which limit, in the reader's language.


class UploadRefused(Refused, ValueError):
    """A refused upload. Also a ``ValueError``: the readers that took a ValueError for "unreadable" keep
    catching it, and ``str()`` of it is the message in the active language."""


def _mb(params: dict) -> str:
    return filesizeformat(params["size"])


def _n(params: dict) -> str:
    return number_format(params["n"], force_grouping=True)


register_messages({
    "upload_unreadable": lambda p: _("Không đọc được tệp %(kind)s: tệp bị hỏng hoặc không đúng định dạng. "
                                     "Hãy mở tệp, lưu lại dạng %(kind)s rồi tải lên lại.") % p,
    "upload_encoding": lambda p: _("Tệp %(kind)s phải được lưu với bảng mã UTF-8.") % p,
    "upload_broken": lambda p: _(
        "Tệp bị hỏng từ dòng %(row)s: nội dung không đọc tiếp được. Hãy lưu lại tệp rồi tải lên lại.") % p,
    "upload_no_sheet": lambda p: _("Tệp Excel không có trang tính nào."),
    "upload_cell_too_long": lambda p: _(
        "Dòng %(row)s có ô dài quá %(n)s ký tự; tệp không đọc tiếp được.") % {"row": p["row"], "n": _n(p)},
    "upload_too_large": lambda p: _("Tệp quá lớn (tối đa %(size)s).") % {"size": _mb(p)},
    "upload_unzipped_too_large": lambda p: _(
        "Tệp nén giải nén ra quá lớn (tối đa %(size)s); hãy lưu lại tệp rồi tải lên lại.") % {"size": _mb(p)},
    "upload_too_many_parts": lambda p: _("Tệp nén chứa quá nhiều thành phần (tối đa %(n)s).") % {"n": _n(p)},
    "upload_too_many_rows": lambda p: _("Bảng có quá nhiều dòng (tối đa %(n)s dòng).") % {"n": _n(p)},
    "upload_too_many_columns": lambda p: _(
        "Dòng %(row)s có quá nhiều cột (tối đa %(n)s cột).") % {"row": p["row"], "n": _n(p)},
    "upload_too_many_cells": lambda p: _("Bảng có quá nhiều ô (tối đa %(n)s ô).") % {"n": _n(p)},
    "upload_too_deep": lambda p: _("Tệp có cấu trúc lồng nhau quá sâu (tối đa %(n)s cấp).") % {"n": _n(p)},
    "upload_too_many_elements": lambda p: _(
        "Tệp có quá nhiều thành phần định dạng (tối đa %(n)s).") % {"n": _n(p)},
    "upload_too_much_text": lambda p: _("Tệp có quá nhiều chữ (tối đa %(n)s ký tự).") % {"n": _n(p)},
    "upload_too_many_lines": lambda p: _("Tệp có quá nhiều dòng (tối đa %(n)s dòng).") % {"n": _n(p)},
    "upload_line_too_long": lambda p: _(
        "Dòng %(line)s quá dài (tối đa %(n)s ký tự).") % {"line": p["line"], "n": _n(p)},
    "upload_declaration": lambda p: _(
        "Tệp có khai báo không được nhận (DOCTYPE hoặc thực thể XML); hãy lưu lại tệp rồi tải lên lại."),
})


def refuse(code: str, **params: Any) -> UploadRefused:
    return UploadRefused(Reason(code, params))


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may hold (settings ``UPLOAD_MAX_*``; see .env.example)."""

    unzipped: int  # bytes, all members of a zip together, from its central directory
    parts: int  # members of a zip
    rows: int  # the highest row of a sheet, blank rows included
    columns: int  # the highest column of a row
    cells: int  # cells of a sheet, and strings of a workbook's shared string table
    depth: int  # XML nesting
    elements: int  # XML elements of one file (all members together)
    text: int  # characters of text of one file
    lines: int  # lines of a text (a .txt, the paragraphs of a .docx)
    line: int  # characters of one line or paragraph

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            unzipped=settings.UPLOAD_MAX_UNZIPPED_BYTES, parts=settings.UPLOAD_MAX_ZIP_PARTS,
            rows=settings.UPLOAD_MAX_ROWS, columns=settings.UPLOAD_MAX_COLUMNS, cells=settings.UPLOAD_MAX_CELLS,
            depth=settings.UPLOAD_MAX_XML_DEPTH, elements=settings.UPLOAD_MAX_XML_ELEMENTS,
            text=settings.UPLOAD_MAX_TEXT_CHARS, lines=settings.UPLOAD_MAX_LINES,
            line=settings.UPLOAD_MAX_LINE_CHARS)


def open_zip(content: bytes, kind: str, limits: Limits) -> zipfile.ZipFile:
    """The archive, once its central directory says it inflates within the limits (nothing extracted yet).

    ``zipfile`` never inflates a member past the size its directory entry declares, so the declared sizes
    checked here bound what any later reader extracts.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise refuse("upload_unreadable", kind=kind) from exc
    if len(members) > limits.parts:
        raise refuse("upload_too_many_parts", n=limits.parts)
    if sum(m.file_size for m in members) > limits.unzipped:
        raise refuse("upload_unzipped_too_large", size=limits.unzipped)
    return archive


_COLUMN = re.compile(r"([A-Z]{1,3})(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


class _Scan:
    """Counters of one file's XML members together; raises at the first limit passed.

    A member whose root is ``worksheet`` is a sheet: its rows, its cells per row and their references are
    counted too; one whose root is ``sst`` (a workbook's shared strings) has its strings counted as cells.
    """

    def __init__(self, limits: Limits, kind: str) -> None:
        self.limits, self.kind = limits, kind
        self.elements = 0
        self.text = 0
        self.max_row = 0  # the highest row and column of any sheet: how far a reader needs to go
        self.max_column = 0

    def member(self, archive: zipfile.ZipFile, name: str) -> None:
        limits = self.limits
        depth, root = 0, ""
        row_number, row_cells, cells = 0, 0, 0

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth, root, row_number, row_cells, cells
            depth += 1
            self.elements += 1
            if depth > limits.depth:
                raise refuse("upload_too_deep", n=limits.depth)
            if self.elements > limits.elements:
                raise refuse("upload_too_many_elements", n=limits.elements)
            local = tag.rsplit(" ", 1)[-1]
            if depth == 1:
                root = local
            elif root == "worksheet" and local == "row":
                # A row may say its number (r="1048576"); a reader pads every row missing before it.
                number = attrs.get("r", "")
                row_number = int(number) if number.isascii() and number.isdigit() else row_number + 1
                row_cells = 0
                if row_number > limits.rows:
                    raise refuse("upload_too_many_rows", n=limits.rows)
                self.max_row = max(self.max_row, row_number)
            elif root == "worksheet" and local == "c":
                row_cells += 1
                cells += 1
                match = _COLUMN.match(attrs.get("r", ""))
                column = _column_number(match.group(1)) if match else row_cells
                if max(row_cells, column) > limits.columns:
                    raise refuse("upload_too_many_columns", row=row_number, n=limits.columns)
                if cells > limits.cells:
                    raise refuse("upload_too_many_cells", n=limits.cells)
                self.max_column = max(self.max_column, column)
            elif root == "sst" and local == "si":
                cells += 1
                if cells > limits.cells:
                    raise refuse("upload_too_many_cells", n=limits.cells)

        def end(tag: str) -> None:
            nonlocal depth
            depth -= 1

        def text(data: str) -> None:
            self.text += len(data)
            if self.text > limits.text:
                raise refuse("upload_too_much_text", n=limits.text)

        def declaration(*args: Any) -> None:
            # No office file declares a DOCTYPE or an entity; refusing them rules out entity expansion.
            raise refuse("upload_declaration")

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.CharacterDataHandler = text
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = declaration
        try:
            with archive.open(name) as stream:
                while chunk := stream.read(64 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            if root == "worksheet":
                raise refuse("upload_broken", row=row_number + 1) from exc
            raise refuse("upload_unreadable", kind=self.kind) from exc
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as exc:
            raise refuse("upload_unreadable", kind=self.kind) from exc


def _is_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a member reads as XML (what the libraries parse); images and other binaries do not."""
    try:
        with archive.open(info) as stream:
            head = stream.read(64)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error, RuntimeError):
        return True  # scanned, and refused as unreadable
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def scan_office_file(content: bytes, kind: str, limits: Limits | None = None) -> tuple[zipfile.ZipFile, _Scan]:
    """Check an Office file (.xlsx, .docx) against the limits before any library parses it."""
    limits = limits or Limits.from_settings()
    archive = open_zip(content, kind, limits)
    scan = _Scan(limits, kind)
    for info in archive.infolist():
        if not info.is_dir() and _is_xml(archive, info):
            scan.member(archive, info.filename)
    return archive, scan


def xlsx_rows(content: bytes, limits: Limits | None = None) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) for every row of the first sheet, one at a time, within the limits.

    Read with openpyxl in read-only mode, and only as far as the highest row and column the scan saw, so a
    sheet's declared dimensions (``A1:XFD1048576``) cost nothing.
    """
    from openpyxl import load_workbook

    limits = limits or Limits.from_settings()
    archive, scan = scan_office_file(content, ".xlsx", limits)
    archive.close()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML, zip) for a damaged file
        raise refuse("upload_unreadable", kind=".xlsx") from exc
    try:
        if not book.worksheets:
            raise refuse("upload_no_sheet")
        if not scan.max_row or not scan.max_column:
            return
        rows = book.worksheets[0].iter_rows(max_row=scan.max_row, max_col=scan.max_column, values_only=True)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # what openpyxl makes of a sheet surfaces only while reading
                raise refuse("upload_broken", row=number + 1) from exc
            number += 1
            yield number, row
    finally:
        book.close()


def csv_rows(content: bytes, limits: Limits | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV file (UTF-8, comma, semicolon or tab), within the limits."""
    limits = limits or Limits.from_settings()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse("upload_encoding", kind="CSV") from exc
    if len(text) > limits.text:
        raise refuse("upload_too_much_text", n=limits.text)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = cells = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise refuse("upload_cell_too_long", row=number + 1, n=csv.field_size_limit()) from exc
            raise refuse("upload_broken", row=number + 1) from exc
        number += 1
        cells += len(row)
        if number > limits.rows:
            raise refuse("upload_too_many_rows", n=limits.rows)
        if len(row) > limits.columns:
            raise refuse("upload_too_many_columns", row=number, n=limits.columns)
        if cells > limits.cells:
            raise refuse("upload_too_many_cells", n=limits.cells)
        yield number, row


def docx_paragraphs(content: bytes, limits: Limits | None = None) -> list[str]:
    """The text of the body's paragraphs of a Word file (.docx), within the limits."""
    from docx import Document

    limits = limits or Limits.from_settings()
    archive, _scan = scan_office_file(content, ".docx", limits)
    archive.close()
    try:
        paragraphs = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise refuse("upload_unreadable", kind=".docx") from exc
    return _within_lines(paragraphs, limits)


def text_lines(content: bytes, limits: Limits | None = None) -> list[str]:
    """The lines of a UTF-8 text, within the limits."""
    limits = limits or Limits.from_settings()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse("upload_encoding", kind=".txt") from exc
    if len(text) > limits.text:
        raise refuse("upload_too_much_text", n=limits.text)
    return _within_lines(text.splitlines(), limits)


def _within_lines(lines: list[str], limits: Limits) -> list[str]:
    if len(lines) > limits.lines:
        raise refuse("upload_too_many_lines", n=limits.lines)
    for number, line in enumerate(lines, 1):
        if len(line) > limits.line:
            raise refuse("upload_line_too_long", line=number, n=limits.line)
    return lines
