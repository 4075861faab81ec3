"""Review results from a spreadsheet: the template of one organization's grid, and reading it back.

The template lists the organization's subjects still waiting for the review
meeting, one row each, keyed by the assessment's number, with a column per
criterion of the period's scheme (its code in brackets), the task counts and
the proposed level. Reading it checks every row with the same rules as the
grid (``schemes.grade_errors``, the level, the counts) and reports each
problem as a reason keyed by its row number (codes in ``assessments.reasons``,
read in the reader's language when shown); the rows are then saved by the
grid's service, all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.reasons import Reason, Refused
from common.spreadsheets import xlsx_bytes
from common.text import fold
from organizations.imports import UPLOAD, TableError, read_rows

from . import schemes
from .choices import SHORT_LEVEL, Level
from .models import Assessment
from .services import Row

# Columns read back, by their Vietnamese heading (a template downloaded in English reads too: see _key).
ID, LEVEL = gettext_noop("Mã đánh giá"), gettext_noop("Xếp loại")
TASKS = {"tasks_total": gettext_noop("Số nhiệm vụ"), "tasks_done": gettext_noop("Hoàn thành"),
         "tasks_on_time": gettext_noop("Đúng hạn"), "tasks_exceeded": gettext_noop("Vượt yêu cầu")}


def _key(heading: str) -> str:
    """A heading folded, with the English of a Vietnamese heading taken as that heading."""
    folded = fold(heading or "")
    for vietnamese in (ID, LEVEL, *TASKS.values()):
        if folded in (fold(vietnamese), fold(_(vietnamese))):
            return fold(vietnamese)
    return folded
_CODE = re.compile(r"\[([a-z0-9_]+)\]\s*$")


def _level_words() -> dict[str, str]:
    words = {}
    for level in Level:
        for text in (level.value, level.label, SHORT_LEVEL[level]):
            words[fold(str(text))] = level.value
    return words


def template(period, rows: list[Assessment]) -> bytes:
    """An .xlsx to fill in: one row per subject waiting for the meeting (written by common.spreadsheets,
    so a subject's name that reads as a formula stays text)."""
    scheme = period.rules
    kinds = sorted({a.kind for a in rows}) or [scheme.kinds[0]]
    criteria = list(dict.fromkeys(c for kind in kinds for c in scheme.criteria_for(kind)))
    header = [_("STT"), _(ID), _("Đối tượng"), *[f"{c.label} [{c.code}]" for c in criteria],
              *[_(heading) for heading in TASKS.values()], _(LEVEL)]

    def lines():
        for n, a in enumerate(rows, start=1):
            grades = a.grades or a.self_grades
            level = a.review_level or a.self_level
            yield [n, a.pk, str(a.subject), *[grades.get(c.code, "") for c in criteria], a.tasks_total,
                   a.tasks_done, a.tasks_on_time, a.tasks_exceeded, str(SHORT_LEVEL[Level(level)]) if level else ""]

    return xlsx_bytes(_("Kiểm điểm"), header, lines())


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    file_errors: list[Reason] = field(default_factory=list)  # the file as a whole (unreadable, empty)
    row_errors: dict[int, list[Reason]] = field(default_factory=dict)  # by row number in the file
    line_of: dict[int, int] = field(default_factory=dict)  # assessment id -> row number in the file

    def bad(self, number: int, code: str, **params) -> None:
        self.row_errors.setdefault(number, []).append(Reason(code, {"row": number, **params}))

    @property
    def errors(self) -> list[Reason]:
        """Every reason, the file's first, then the rows' in row order (each says its row)."""
        return self.file_errors + [r for _n, row in sorted(self.row_errors.items()) for r in row]

    def refused(self) -> Refused:
        return Refused(self.file_errors, rows=dict(sorted(self.row_errors.items())))


def _table_reason(exc: TableError) -> Reason:
    """What the member-table reader refused, as a reason: a limit of the upload is its own reason."""
    if exc.error["code"] == UPLOAD:
        return Reason.from_json(exc.error["params"]["reason"])
    return Reason("review_import_table", {"error": exc.error})


def _number(value) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else -1


def parse(period, waiting: list[Assessment], file_name: str, content: bytes) -> Parsed:
    """The rows of the file for the subjects in ``waiting``; every problem with its row number."""
    scheme = period.rules
    by_id = {a.pk: a for a in waiting}
    levels = _level_words()
    result = Parsed()
    header: list[str] | None = None
    try:
        for number, cells in read_rows(file_name, content):
            values = ["" if c is None else str(c).strip() for c in cells]
            if header is None:
                if any(values):
                    header = values
                continue
            if not any(values):
                continue
            record = dict(zip(header, values))
            folded = {_key(k): v for k, v in record.items()}
            key = _number(folded.get(fold(ID)))
            a = by_id.get(key) if key else None
            if a is None:
                result.bad(number, "review_import_unknown", v=str(folded.get(fold(ID), ""))[:20])
                continue
            if a.pk in result.line_of:
                result.bad(number, "review_import_duplicate", subject=str(a.subject), first=result.line_of[a.pk])
                continue
            result.line_of[a.pk] = number
            grades = {}
            for column, value in record.items():
                match = _CODE.search(column or "")
                if match and value != "":
                    grades[match.group(1)] = value.upper() if scheme.graded else value.replace(",", ".")
            codes = {c.code for c in scheme.criteria_for(a.kind)}
            grades = {k: v for k, v in grades.items() if k in codes}
            problems = list(schemes.grade_errors(scheme, a.kind, grades))
            level = levels.get(fold(folded.get(fold(LEVEL), "")))
            if level is None:
                problems.append(Reason("review_import_no_level", {"v": folded.get(fold(LEVEL), "")[:30]}))
            counts = {}
            for name, column in TASKS.items():
                value = _number(folded.get(fold(column)))
                if value == -1:
                    problems.append(Reason("review_import_bad_count", {"v": folded.get(fold(column), "")[:20]}))
                counts[name] = value
            if problems:
                # One line per row, as the grid shows it: the subject, then its problems.
                result.bad(number, "review_import_row", subject=str(a.subject),
                           problems=[r.to_json() for r in problems])
                continue
            result.rows.append(Row(a.pk, grades=grades, level=level,
                                   **{k: v for k, v in counts.items() if v is not None}))
    except TableError as exc:
        result.file_errors.append(_table_reason(exc))
    if header is None and not result.errors:
        result.file_errors.append(Reason("review_import_empty"))
    return result
