"""How the regulations catalog's refusals read, in the reader's language (registered in ``RegulationsConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _provision(p: dict) -> str:
    """ "Khoản 4 Điều 12" of the cited document, from the anchor kept in the params."""
    from .citations import _ANCHOR_PART, LEVEL_WORDS  # noqa: PLC0415  (citations raises these codes)

    words = []
    for part in reversed(str(p.get("anchor", "")).split(".")):
        match = _ANCHOR_PART.match(part)
        if match is None:
            return str(p.get("anchor", ""))
        level, number = match.groups()
        words.append(f"{LEVEL_WORDS[level]} {number.upper() if level == 'chuong' else number}")
    return " ".join(words)


def _candidate(c: dict) -> str:
    issued = date_format(dt.date.fromisoformat(c["issued"]), "SHORT_DATE_FORMAT") if c.get("issued") else "—"
    who = f"{c['issuer']}, " if c.get("issuer") else ""
    return _("“%(key)s”: %(title)s (%(who)sngày %(date)s)") % {"key": c["key"], "title": c["title"], "who": who,
                                                             "date": issued}


def _ambiguous(p: dict) -> str:
    candidates = p["candidates"]
    return _("Có %(n)s văn bản cùng số, ký hiệu %(code)s: %(list)s. Hãy ghi kèm ngày ban hành sau dấu @, ví dụ "
             "“%(example)s”.") % {"n": len(candidates), "code": p["code"],
                                  "list": "; ".join(_candidate(c) for c in candidates),
                                  "example": candidates[-1]["key"]}


def _at_line(p: dict, text: str) -> str:
    """A structural error of a text, after the line it was found on."""
    return _("Dòng %(line)s: %(text)s") % {"line": p["line"], "text": text}


def _level(value: str) -> str:
    from .models import Level  # noqa: PLC0415  (models are not loaded when the app registers its messages)

    try:
        return str(Level(value).label)
    except ValueError:
        return str(value)


# The structural errors of an imported text (``regulations.parser``): the line is a parameter.
TEXT_MESSAGES = {
    "regulation_text_kind": lambda p: _("Chỉ nhận tệp .txt hoặc .docx."),
    "regulation_text_empty": lambda p: _("Không tìm thấy chương, điều hay khoản nào trong văn bản."),
    "regulation_text_nul": lambda p: _at_line(p, _(
        "Tệp có ký tự không hợp lệ (mã NUL); hãy lưu lại tệp rồi tải lên lại.")),
    "regulation_text_number_too_long": lambda p: _("Dòng %(line)s: số “%(n)s” dài quá %(max)s ký tự.") % p,
    "regulation_text_chapter_order": lambda p: _at_line(p, _(
        "Chương %(n)s không đúng thứ tự (sau chương %(p)s).") % {"n": p["n"], "p": p["p"] or "—"}),
    "regulation_text_section_outside": lambda p: _at_line(p, _("Mục %(n)s nằm ngoài chương nào.") % p),
    "regulation_text_section_order": lambda p: _at_line(p, _("Mục %(n)s không đúng thứ tự (cần Mục %(e)s).") % p),
    "regulation_text_article_order": lambda p: _at_line(p, _(
        "Điều %(n)s đứng sau Điều %(p)s: số điều phải tăng dần.") % p),
    "regulation_text_clause_outside": lambda p: _at_line(p, _("Khoản %(n)s nằm ngoài điều nào.") % p),
    "regulation_text_clause_order": lambda p: _at_line(p, _(
        "Khoản %(n)s của Điều %(a)s không đúng thứ tự (cần khoản %(e)s).") % p),
    "regulation_text_point_outside": lambda p: _at_line(p, _("Điểm %(n)s) nằm ngoài điều nào.") % p),
    "regulation_text_point_order": lambda p: _at_line(p, _(
        "Điểm %(n)s) của %(owner)s không đúng thứ tự (cần điểm %(e)s)).") % {
        "n": p["n"], "owner": f"{_level(p['level'])} {p['owner']}", "e": p["e"]}),
}


MESSAGES = {
    **TEXT_MESSAGES,
    "citation_bad_ref": lambda p: _("Không hiểu tham chiếu “%(ref)s” (viết như 12, 12.4 hoặc 12.4.a).") % p,
    "citation_bad_anchor": lambda p: _("Mã neo không hợp lệ: %(a)s") % p,
    "citation_ambiguous": _ambiguous,
    "citation_bad_date": lambda p: _("Không hiểu ngày ban hành trong “%(key)s” (viết như 01-QĐ/TW@2026-02-10 "
                                     "hoặc 01-QĐ/TW@10/02/2026).") % p,
    "citation_unknown_document": lambda p: _("Không có văn bản %(code)s trong danh mục.") % p,
    "citation_unknown_provision": lambda p: _("Không tìm thấy %(what)s trong %(doc)s.") % {
        "what": _provision(p), "doc": p["doc"]},
    "regulation_import_done": lambda p: _("Lượt nhập này đã được xử lý."),
    "regulation_import_stale": lambda p: _(
        "Văn bản đã có bản nhập khác sau khi xem trước; hãy tải tệp lên lại để xem các thay đổi so với bản "
        "hiện hành mới."),
    "regulation_imported": lambda p: _("Lần nhập %(n)s: thêm %(a)s, sửa %(c)s, bỏ %(r)s điều khoản.") % p,
}
