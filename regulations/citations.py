"""Citing provisions: references, anchors, Vietnamese rendering, dated successors, "cited by".

A reference is written the short way, ``("124-QĐ/TW", "12.4.a")``: Article 12,
Clause 4, Point a. Its anchor is ``dieu-12.khoan-4.diem-a``, and a reader sees
"Điểm a Khoản 4 Điều 12 Quy định 124-QĐ/TW". An empty reference cites the
document as a whole ("Quy định 377-QĐ/TW").

A document is named by its code ("80-QĐ/TW") while no other text of the
catalog has that code. Party numbers restart with each term (the 14th term's
regulations began again at 01-QĐ/TW in February 2026), so a code two texts
share must carry the issue date after an ``@``: ``"01-QĐ/TW@2026-02-10"``
(``dd/mm/yyyy`` is read too). A bare shared code is refused with every
candidate listed (``citation_ambiguous``); a citation that named a code before
another text took it keeps resolving only once it adds the date, which the
test of the code's citations reports. Two issuers with the same code and date
would still be ambiguous: the refusal lists them, and the catalog holds
(issuer, code, date) unique.

Other apps never make ``regulations`` import them. Code that rests on a
provision declares it with ``cite(code, ref, by=...)`` at import time, and a
check judging an act of date D cites ``that_cite.on(D)``: the text in force on
D, following the documents that replaced it. Records of other apps that rest
on provisions are rows of ``Citation`` (written with
``regulations.services.citations_set``); a provision's "cited by" is one
indexed query over them, limited to the scopes the reader may see
(``register_reader_scopes``, filled by the organizations app).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.reasons import Reason, Refused

from .models import Citation, Document, Level, Provision

LEVEL_WORDS = {Level.CHAPTER: "Chương", Level.SECTION: "Mục", Level.ARTICLE: "Điều",
               Level.CLAUSE: "Khoản", Level.POINT: "Điểm"}
_REF = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.([a-zđ]))?$")
_ANCHOR_PART = re.compile(r"^(chuong|muc|dieu|khoan|diem)-([0-9a-zđ]+)$", re.IGNORECASE)


class CitationError(Refused, ValueError):
    """A reference that does not name a provision of the catalog: a refusal with its code
    (``regulations.reasons``), so a service citing a provision lets it through as it is."""

    def __init__(self, reason_code: str, /, **params) -> None:
        super().__init__(Reason(reason_code, params))


def anchor_for(ref: str) -> str:
    """ "12.4.a" -> "dieu-12.khoan-4.diem-a"; an anchor is returned as it is; "" (whole document) stays ""."""
    ref = ref.strip().lower()
    if not ref:
        return ""
    if _ANCHOR_PART.match(ref.split(".")[0]):
        return ref
    match = _REF.match(ref)
    if not match:
        raise CitationError("citation_bad_ref", ref=ref)
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
    for part in reversed(anchor.split(".") if anchor else []):
        match = _ANCHOR_PART.match(part)
        if match is None:
            raise CitationError("citation_bad_anchor", a=anchor)
        level, number = match.groups()
        if level == "chuong":
            number = number.upper()
        words.append(f"{LEVEL_WORDS[level]} {number}")
    return " ".join(words + [document.citation_name])


def ref_for(anchor: str) -> str:
    """ "dieu-12.khoan-4.diem-a" -> "12.4.a" (the short form people type)."""
    return ".".join(part.split("-", 1)[1] for part in anchor.split(".") if "-" in part)


KEY_DATE = "@"  # "01-QĐ/TW@2026-02-10": a code and the issue date that tells two texts of one code apart


def split_key(key: str) -> tuple[str, dt.date | None]:
    """ "01-QĐ/TW@2026-02-10" -> ("01-QĐ/TW", 2026-02-10); a bare code -> (code, None)."""
    code, sep, issued = key.partition(KEY_DATE)
    if not sep:
        return key.strip(), None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return code.strip(), dt.datetime.strptime(issued.strip(), fmt).date()
        except ValueError:
            continue
    raise CitationError("citation_bad_date", key=key)


def _named(key: str, prefix: str = "") -> dict:
    """Lookup arguments for the documents ``key`` names (``prefix``: through a relation)."""
    code, issued = split_key(key)
    return {f"{prefix}code": code, **({f"{prefix}issue_date": issued} if issued else {})}


def document_named(key: str) -> Document:
    """The one document ``key`` names; refused when none does, or when several share it (all listed)."""
    candidates = list(Document.objects.filter(**_named(key)).order_by("issue_date", "issuing_body", "pk")[:10])
    if not candidates:
        raise CitationError("citation_unknown_document", code=key)
    if len(candidates) > 1:
        raise CitationError("citation_ambiguous", code=split_key(key)[0], candidates=[
            {"code": d.code, "issued": d.issue_date.isoformat() if d.issue_date else "", "issuer": d.issuing_body,
             "title": d.title, "key": document_key(d, shared=True)} for d in candidates])
    return candidates[0]


def shared_codes() -> set[str]:
    """The codes two or more texts of the catalog share (one query)."""
    return set(Document.objects.values("code").annotate(n=Count("pk")).filter(n__gt=1).values_list("code", flat=True))


def document_key(document: Document, shared: bool | None = None) -> str:
    """How a citation names ``document``: its code, with its date when another text shares the code.
    ``shared`` says so when the caller knows (``shared_codes``); otherwise it costs a query."""
    if shared is None:
        shared = Document.objects.filter(code=document.code).exclude(pk=document.pk).exists()
    return f"{document.code}{KEY_DATE}{document.issue_date.isoformat()}" if shared and document.issue_date \
        else document.code


def names(key: str, document: Document) -> bool:
    """Whether ``key`` may name ``document`` (its code, and its date when the key gives one)."""
    try:
        code, issued = split_key(key)
    except CitationError:
        return False
    return code == document.code and (issued is None or issued == document.issue_date)


def resolve(code: str, ref: str) -> Provision | None:
    """The provision named by ``(code, ref)`` in the document's current text (``None``: the whole document).

    ``code`` names the document as ``document_named`` reads it: a code, with ``@date`` if two texts share it."""
    anchor = anchor_for(ref)
    document = document_named(code)
    if not anchor:
        return None
    provision = (Provision.objects.filter(version__document=document, version__is_current=True,
                                          anchor=anchor)
                 .select_related("version__document").first())
    if provision is None:
        raise CitationError("citation_unknown_provision", anchor=anchor, doc=document.citation_name)
    return provision


@dataclass(frozen=True)
class Cite:
    """A provision that a piece of code rests on, declared at import time.

    ``successors`` maps the code of a document that may replace this one to the
    reference in it that carries the same rule ("" or absent: the document as
    a whole, until the catalog knows the article).
    """

    code: str
    ref: str
    by: str = ""
    successors: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def anchor(self) -> str:
        return anchor_for(self.ref)

    def resolve(self) -> Provision | None:
        return resolve(self.code, self.ref)

    def on(self, when: dt.date) -> Cite:
        """The citation an act of ``when`` gets: this text, or the one that replaced it by then."""
        mapping = dict(self.successors)
        code, ref = self.code, self.ref
        seen = {code}
        while True:
            try:
                named = _named(code, "replaces__")
            except CitationError:
                break
            others = Document.objects.filter(code=OuterRef("code")).exclude(pk=OuterRef("pk"))
            row = (Document.objects.filter(**named, effective_from__lte=when).annotate(shared=Exists(others))
                   .order_by("effective_from").values_list("code", "issue_date", "shared").first())
            if row is None:
                break
            successor = f"{row[0]}{KEY_DATE}{row[1].isoformat()}" if row[2] and row[1] else row[0]
            if successor in seen:
                break
            seen.add(successor)
            code, ref = successor, mapping.get(successor, mapping.get(row[0], ""))
        return self if code == self.code else Cite(code, ref, self.by)

    def __str__(self) -> str:
        return citation_text(self.code, self.ref)


@functools.lru_cache(maxsize=512)
def _cited_document(code: str) -> Document | None:
    """Documents by code (or ``code@date``), kept per process (a page of reasons cites a few documents many
    times); emptied whenever a document is saved. ``None`` when the code names none, or several."""
    try:
        found = list(Document.objects.filter(**_named(code))[:2])
    except CitationError:
        return None
    return found[0] if len(found) == 1 else None


@receiver(post_save, sender=Document)
def _forget_documents(**_kwargs) -> None:
    _cited_document.cache_clear()


def citation_text(code: str, ref: str) -> str:
    """ "Khoản 5 Điều 9 Điều lệ Đảng"; the code and reference as typed when the document is unknown."""
    document = _cited_document(code)
    if document is None:
        return f"{code} {ref}".strip()
    try:
        text = render_anchor(document, anchor_for(ref))
    except CitationError:
        text = f"{document.citation_name} {ref}".strip()
    if KEY_DATE in code and document.issue_date:  # named with its date: another text shares the code
        return _("%(citation)s ngày %(date)s") % {"citation": text,
                                                  "date": date_format(document.issue_date, "SHORT_DATE_FORMAT")}
    return text


_code_citations: list[Cite] = []


def cite(code: str, ref: str, by: str = "", successors: dict[str, str] | None = None) -> Cite:
    """Declare that ``by`` (a rule, a check) implements the provision ``(code, ref)``."""
    anchor_for(ref)  # a malformed reference fails at import, not on a page
    citation = Cite(code, ref, by, tuple((successors or {}).items()))
    _code_citations.append(citation)
    return citation


def code_citations() -> list[Cite]:
    return list(_code_citations)


def reason_text(reason) -> tuple[str, str]:
    """A stored reason (``common.reasons.Reason``) as (sentence in the active language, citation text)."""
    return reason.message, citation_text(reason.cite_code, reason.cite_ref) if reason.cite_code else ""


@dataclass(frozen=True)
class CitedBy:
    label: str
    url: str = ""


# Who may see which citing records: a function of the user giving the scope prefixes
# they may read (``None``: every scope). The organizations app registers it.
ReaderScopes = Callable[[object], "list[str] | None"]
_reader_scopes: list[ReaderScopes] = []


def register_reader_scopes(scopes: ReaderScopes) -> None:
    _reader_scopes[:] = [scopes]


def scopes_for(user) -> list[str] | None:
    if not _reader_scopes:
        return [] if not getattr(user, "is_superuser", False) else None
    return _reader_scopes[0](user)


def code_cited_by(provision: Provision) -> list[CitedBy]:
    """The rules of the portal's own code that rest on the provision (the same for every reader)."""
    document = provision.version.document
    return [CitedBy(_("Quy tắc trong phần mềm: %(by)s") % {"by": c.by or c.code})
            for c in _code_citations if names(c.code, document) and c.anchor == provision.anchor]


def cited_by(provision: Provision, user) -> QuerySet[Citation]:
    """Records of the other apps resting on the provision that ``user`` may see: one indexed query."""
    return (Citation.objects.filter(document_id=provision.version.document_id, anchor=provision.anchor)
            .within(scopes_for(user)).order_by("scope", "label", "id"))


def unresolved_citations() -> list[tuple[Cite, str]]:
    """Every code citation that does not resolve in the catalog, with the reason."""
    bad = []
    for citation in _code_citations:
        try:
            citation.resolve()
            for code, ref in citation.successors:
                resolve(code, ref)
        except CitationError as exc:
            bad.append((citation, str(exc)))
    return bad
