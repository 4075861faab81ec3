"""Reading a Vietnamese legal text into its provision tree.

Recognised lines (at the start of a line, after trimming):

- ``Chương I`` / ``CHƯƠNG II``: a chapter; its title follows on the same line or the next;
- ``Mục 1``: a section of the current chapter;
- ``Điều 12. Heading``: an article (numbered through the whole document);
- ``1. text``: a clause of the current article;
- ``a) text``: a point of the current clause (or of the article if it has no clauses).

Anything else continues the text of the last provision. Structural mistakes
are reported as reasons (codes registered in ``regulations.reasons``) carrying
their line number in ``params["line"]``, and nothing is returned as usable
while any remains: the caller saves all or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from common import uploads
from common.reasons import Reason

from .models import Level, Provision

POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese order used for points
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_CHAPTER = re.compile(r"^ch(?:ương|ƯƠNG|UONG|uong)\s+([IVXLC]+|\d+)\b[.:]?\s*(.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^m(?:ục|ỤC)\s+(\d+)\b[.:]?\s*(.*)$", re.IGNORECASE)
_ARTICLE = re.compile(r"^đ(?:iều|IỀU)\s+(\d+)\s*[.:]?\s*(.*)$", re.IGNORECASE)
_CLAUSE = re.compile(r"^(\d+)\.\s+(.*)$")
_POINT = re.compile(r"^([a-zđ])\)\s+(.*)$")
_NUMBERED = (_CHAPTER, _SECTION, _ARTICLE, _CLAUSE)
NUMBER_MAX = Provision._meta.get_field("number").max_length


def roman(value: str) -> int:
    if value.isdigit():
        return int(value)
    total = 0
    for i, ch in enumerate(value.upper()):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(value) and _ROMAN[value[i + 1].upper()] > v else v
    return total


@dataclass
class Node:
    level: str
    number: str
    heading: str
    line: int
    anchor: str
    parent: Node | None = None
    lines: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class ParseResult:
    nodes: list[Node]  # document order
    errors: list[Reason]  # each with its line in params["line"], but the one for a text without structure
    preamble: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.nodes)

    @property
    def rows(self) -> dict[int, list[Reason]]:
        """The errors keyed by their line, in line order."""
        rows: dict[int, list[Reason]] = {}
        for reason in self.errors:
            if "line" in reason.params:
                rows.setdefault(reason.params["line"], []).append(reason)
        return rows

    @property
    def overall(self) -> list[Reason]:
        """The errors of the text as a whole (no line)."""
        return [reason for reason in self.errors if "line" not in reason.params]


def read_lines(file_name: str, content: bytes) -> list[str]:
    """Plain text (UTF-8) or .docx paragraphs, as lines, read within the upload limits (``common.uploads``).

    Raises ``UploadRefused`` (a ``Refused`` and a ValueError) for a file of another kind, past a limit or
    unreadable.
    """
    if file_name.lower().endswith(".docx"):
        paragraphs = uploads.docx_paragraphs(content)
        return [line for p in paragraphs for line in p.split("\n")]
    if file_name.lower().endswith(".txt"):
        return uploads.text_lines(content)
    raise uploads.refuse("regulation_text_kind")


def parse(lines: list[str]) -> ParseResult:
    nodes: list[Node] = []
    errors: list[Reason] = []
    preamble: list[str] = []
    chapter = section = article = clause = None
    current: Node | None = None
    pending_chapter_title: Node | None = None
    last_article = 0

    def error(line: int, code: str, **params) -> None:
        errors.append(Reason(code, {"line": line, **params}))

    def add(node: Node) -> Node:
        nodes.append(node)
        if node.parent:
            node.parent.children.append(node)
        return node

    for number, raw in enumerate(lines, start=1):
        line = unicodedata.normalize("NFC", raw).strip()
        if not line:
            continue
        if pending_chapter_title is not None:
            if not any(p.match(line) for p in (_CHAPTER, _SECTION, _ARTICLE)):
                pending_chapter_title.heading = line
                pending_chapter_title = None
                continue
            pending_chapter_title = None

        # What the database cannot hold is an error of its line, not an exception (nor a number int() refuses).
        if "\x00" in line:
            error(number, "regulation_text_nul")
            continue
        too_long = next((m.group(1) for p in _NUMBERED if (m := p.match(line)) and len(m.group(1)) > NUMBER_MAX),
                        None)
        if too_long is not None:
            error(number, "regulation_text_number_too_long", n=too_long[:20] + ("…" if len(too_long) > 20 else ""),
                  max=NUMBER_MAX, digits=len(too_long))
            continue

        if m := _CHAPTER.match(line):
            value = roman(m.group(1))
            previous = roman(chapter.number) if chapter else 0
            if value != previous + 1:
                error(number, "regulation_text_chapter_order", n=m.group(1), p=chapter.number if chapter else "")
            chapter = add(Node(Level.CHAPTER, m.group(1).upper(), m.group(2).strip(), number,
                               f"chuong-{m.group(1).lower()}"))
            section = article = clause = None
            current = chapter
            if not chapter.heading:
                pending_chapter_title = chapter
        elif m := _SECTION.match(line):
            if chapter is None:
                error(number, "regulation_text_section_outside", n=m.group(1))
                continue
            expected = int(section.number) + 1 if section else 1
            if int(m.group(1)) != expected:
                error(number, "regulation_text_section_order", n=m.group(1), e=expected)
            section = add(Node(Level.SECTION, m.group(1), m.group(2).strip(), number,
                               f"{chapter.anchor}.muc-{m.group(1)}", parent=chapter))
            article = clause = None
            current = section
        elif m := _ARTICLE.match(line):
            value = int(m.group(1))
            if value <= last_article:
                error(number, "regulation_text_article_order", n=value, p=last_article)
                continue
            last_article = value
            article = add(Node(Level.ARTICLE, str(value), m.group(2).strip().rstrip("."), number,
                               f"dieu-{value}", parent=section or chapter))
            clause = None
            current = article
        elif m := _CLAUSE.match(line):
            if article is None:
                error(number, "regulation_text_clause_outside", n=m.group(1))
                continue
            expected = int(clause.number) + 1 if clause else 1
            if int(m.group(1)) != expected:
                error(number, "regulation_text_clause_order", n=m.group(1), a=article.number, e=expected)
                continue
            clause = add(Node(Level.CLAUSE, m.group(1), "", number, f"{article.anchor}.khoan-{m.group(1)}",
                              parent=article, lines=[m.group(2)]))
            current = clause
        elif m := _POINT.match(line):
            if article is None:
                error(number, "regulation_text_point_outside", n=m.group(1))
                continue
            owner = clause or article
            siblings = [c for c in owner.children if c.level == Level.POINT]
            expected = POINT_LETTERS[len(siblings)] if len(siblings) < len(POINT_LETTERS) else "?"
            if m.group(1) != expected:
                error(number, "regulation_text_point_order", n=m.group(1), level=str(owner.level),
                      owner=owner.number, e=expected)
                continue
            current = add(Node(Level.POINT, m.group(1), "", number, f"{owner.anchor}.diem-{m.group(1)}",
                               parent=owner, lines=[m.group(2)]))
        elif current is None:
            preamble.append(line)
        else:
            current.lines.append(line)

    if not nodes and not errors:
        errors.append(Reason("regulation_text_empty"))
    return ParseResult(nodes, errors, "\n".join(preamble))
