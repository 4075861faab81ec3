"""Citing provisions: references, anchors, Vietnamese rendering, and "cited by".

A reference is written the short way, ``("124-QĐ/TW", "12.4.a")``: Article 12,
Clause 4, Point a. Its anchor is ``dieu-12.khoan-4.diem-a``, and a reader sees
"Điểm a Khoản 4 Điều 12 Quy định 124-QĐ/TW".

Other apps never make ``regulations`` import them. Code that rests on a
provision declares it with ``cite(code, ref, by=...)`` at import time; apps
whose records cite provisions register a provider with ``register_cited_by``
(in their ``AppConfig.ready``), and a provision's page asks the providers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Document, Level, Provision

LEVEL_WORDS = {Level.CHAPTER: "Chương", Level.SECTION: "Mục", Level.ARTICLE: "Điều",
               Level.CLAUSE: "Khoản", Level.POINT: "Điểm"}
_REF = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.([a-zđ]))?$")
_ANCHOR_PART = re.compile(r"^(chuong|muc|dieu|khoan|diem)-([0-9a-zđ]+)$", re.IGNORECASE)


class CitationError(ValueError):
    """A reference that does not name a provision of the catalog."""


def anchor_for(ref: str) -> str:
    """ "12.4.a" -> "dieu-12.khoan-4.diem-a"; an anchor is returned as it is."""
    ref = ref.strip().lower()
    if _ANCHOR_PART.match(ref.split(".")[0]):
        return ref
    match = _REF.match(ref)
    if not match:
        raise CitationError(_("Không hiểu tham chiếu “%(ref)s” (viết như 12, 12.4 hoặc 12.4.a).") % {"ref": ref})
    article, clause, point = match.groups()
    parts = [f"dieu-{article}"]
    if clause:
        parts.append(f"khoan-{clause}")
    if point:
        parts.append(f"diem-{point}")
    return ".".join(parts)


def render_anchor(document: Document, anchor: str) -> str:
    """The way a Vietnamese reader writes it: smallest unit first, then the document."""
    words = []
    for part in reversed(anchor.split(".")):
        match = _ANCHOR_PART.match(part)
        if match is None:
            raise CitationError(_("Mã neo không hợp lệ: %(a)s") % {"a": anchor})
        level, number = match.groups()
        if level == "chuong":
            number = number.upper()
        words.append(f"{LEVEL_WORDS[level]} {number}")
    return " ".join(words + [document.citation_name])


def resolve(code: str, ref: str) -> Provision:
    """The provision named by ``(code, ref)`` in the document's current text."""
    anchor = anchor_for(ref)
    document = Document.objects.filter(code=code).first()
    if document is None:
        raise CitationError(_("Không có văn bản %(code)s trong danh mục.") % {"code": code})
    provision = (Provision.objects.filter(version__document=document, version__is_current=True,
                                          anchor=anchor)
                 .select_related("version__document").first())
    if provision is None:
        raise CitationError(_("Không tìm thấy %(what)s trong %(doc)s.")
                            % {"what": render_anchor(document, anchor).removesuffix(
                                " " + document.citation_name), "doc": document.citation_name})
    return provision


@dataclass(frozen=True)
class Cite:
    """A provision that a piece of code rests on, declared at import time."""

    code: str
    ref: str
    by: str = ""

    @property
    def anchor(self) -> str:
        return anchor_for(self.ref)

    def resolve(self) -> Provision:
        return resolve(self.code, self.ref)

    def __str__(self) -> str:
        document = Document.objects.filter(code=self.code).first()
        return render_anchor(document, self.anchor) if document else f"{self.code} {self.ref}"


_code_citations: list[Cite] = []


def cite(code: str, ref: str, by: str = "") -> Cite:
    """Declare that ``by`` (a rule, a check) implements the provision ``(code, ref)``."""
    anchor_for(ref)  # a malformed reference fails at import, not on a page
    citation = Cite(code, ref, by)
    _code_citations.append(citation)
    return citation


def code_citations() -> list[Cite]:
    return list(_code_citations)


@dataclass(frozen=True)
class CitedBy:
    label: str
    url: str = ""


Provider = Callable[[Document, str], Iterable[CitedBy]]
_providers: list[Provider] = []


def register_cited_by(provider: Provider) -> None:
    """Register ``provider(document, anchor) -> [CitedBy]``; call it from ``AppConfig.ready``."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_cited_by(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def cited_by(provision: Provision) -> list[CitedBy]:
    document = provision.version.document
    found = [CitedBy(_("Quy tắc trong phần mềm: %(by)s") % {"by": c.by or c.code})
             for c in _code_citations if c.code == document.code and c.anchor == provision.anchor]
    for provider in _providers:
        found.extend(provider(document, provision.anchor))
    return found


def unresolved_citations() -> list[tuple[Cite, str]]:
    """Every code citation that does not resolve in the catalog, with the reason."""
    bad = []
    for citation in _code_citations:
        try:
            citation.resolve()
        except CitationError as exc:
            bad.append((citation, str(exc)))
    return bad
