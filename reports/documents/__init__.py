"""The documents the portal prints: each builds its template's context from the database.

A builder reads everything it shows in a fixed number of queries, whatever the
number of forms or rows, and nothing in it depends on the clock but the
``as_of`` it is given: the same data, template version and ``as_of`` give the
same HTML, hence the same PDF bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from reports.documents.forms import forms_context
from reports.render import TEMPLATE_VERSION

HASH_PLACEHOLDER = "@@REPORT-HASH@@"


@dataclass(frozen=True)
class Document:
    template: str
    context: dict[str, Any]


def render_html(title: str, document: Document, as_of) -> str:
    """A document's HTML, with its short hash (of the HTML itself) in the footer of every page."""
    context = {**document.context, "title": title, "as_of": timezone.localtime(as_of),
               "template_version": TEMPLATE_VERSION, "short_hash": HASH_PLACEHOLDER}
    with translation.override("vi"):  # the official forms are in Vietnamese, whoever asks
        html = render_to_string(document.template, context)
    short = hashlib.sha256(html.encode()).hexdigest()[:12]
    return html.replace(HASH_PLACEHOLDER, short)


def forms_html(title: str, ids: list[int], as_of) -> list[tuple[int, str]]:
    """Each form of a batch as a document of its own (organization id, HTML), in print order.

    A form of its own numbers its own pages and carries its own short hash; the forms are read in
    one go (four queries for any number).
    """
    return [(form["a"].organization_id, render_html(title, Document("reports/forms.html", {"forms": [form]}), as_of))
            for form in forms_context(ids)]
