"""Search across provisions, ignoring diacritics; ranked, with highlighted snippets.

PostgreSQL: a full-text vector built with ``unaccent`` (GIN-indexed), ranked
with ``ts_rank``; the last word matches as a prefix; when no whole word
matches, parts of words are looked up in the folded text (trigram-indexed).
SQLite: every word must appear in the folded text, ranked by how often the
words occur. Both return
the same shape: ranked provision ids, then one query for the page.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.text import fold, fold_aligned

from .models import Document, Provision

SNIPPET = 220


def _words(query: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", fold(query)) if w]


def provisions_matching(query: str, *, kind: str = "", in_force_on: dt.date | None = None) -> QuerySet:
    qs = Provision.objects.filter(version__is_current=True)
    if kind:
        qs = qs.filter(version__document__kind=kind)
    if in_force_on:
        qs = qs.filter(version__document__in=Document.objects.in_force_on(in_force_on))
    return qs


def search_ids(query: str, *, kind: str = "", in_force_on: dt.date | None = None) -> list[int]:
    """Ids of every matching provision, best first: one query (the page loads its own rows)."""
    words = _words(query)
    if not words:
        return []
    qs = provisions_matching(query, kind=kind, in_force_on=in_force_on)
    if connection.vendor == "postgresql":
        raw = " & ".join(words[:-1] + [f"{words[-1]}:*"])
        tsquery = SearchQuery(raw, config="simple", search_type="raw")
        ids = list(qs.filter(search_vector=tsquery)
                   .annotate(rank=SearchRank(F("search_vector"), tsquery))
                   .order_by("-rank", "version__document_id", "order")
                   .values_list("pk", flat=True))
        if ids:
            return ids
        # No whole-word match: fall back to parts of words (the trigram index serves these LIKEs).
    for word in words:
        qs = qs.filter(search_text__contains=word)
    rows = list(qs.order_by("version__document_id", "order").values_list("pk", "search_text"))
    rows.sort(key=lambda r: -sum(r[1].count(w) for w in words))
    return [pk for pk, _text in rows]


def snippet(text: str, query: str, width: int = SNIPPET) -> SafeString:
    """A window of ``text`` around the first match, every matched word in <mark>, all else escaped."""
    words = _words(query)
    folded = fold_aligned(text)
    spans = []
    for i, word in enumerate(words):
        # whole words, except the last one, which may be typed in part (as the search allows)
        end_boundary = "" if i == len(words) - 1 else r"\b"
        spans += [(m.start(), m.end()) for m in re.finditer(r"\b" + re.escape(word) + end_boundary, folded)]
    spans.sort()
    start = max(0, spans[0][0] - width // 3) if spans else 0
    end = min(len(text), start + width)
    parts, cursor = [], start
    for a, b in spans:
        if a < cursor or b > end:
            continue
        parts += [escape(text[cursor:a]), f"<mark>{escape(text[a:b])}</mark>"]
        cursor = b
    parts.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 (every part is escaped above)


def load_hits(ids: list[int], query: str) -> list[Provision]:
    """The page's provisions in rank order, each with ``.snippet``: one query."""
    by_id = Provision.objects.select_related("version__document").in_bulk(ids)
    hits = []
    for pk in ids:
        provision = by_id[pk]
        body = f"{provision.heading}. {provision.text}" if provision.heading else provision.text
        provision.snippet = snippet(body, query)
        hits.append(provision)
    return hits


class Hits:
    """The ranked ids of a search as a sequence of provisions: a slice (a page) loads only its rows."""

    def __init__(self, ids: list[int], query: str) -> None:
        self.ids, self.query = ids, query

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return load_hits(self.ids[key], self.query)
        return load_hits([self.ids[key]], self.query)[0]

    def __iter__(self):
        for start in range(0, len(self.ids), 500):  # an export: every hit, a batch at a time
            yield from load_hits(self.ids[start:start + 500], self.query)
