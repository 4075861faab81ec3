"""HTML to PDF: the one wrapper around WeasyPrint.

Rendering is locked down. The fetcher serves only the portal's own static
files, read from disk through the static files finders, under the
unresolvable origin ``https://portal.invalid/static/``; it follows no
redirect and refuses every other address (``file://`` anywhere, http(s),
``data:``), each refusal recorded. Attachments are never embedded: the
options name none, and ``<link rel=attachment>`` or ``<a rel=attachment>``
could only reach a static file, which the wrapper refuses as an attachment.
User text reaches the templates through Django's autoescaping only.

The same HTML gives the same bytes: the document's dates come from its
``data as of`` (the ``dcterms.created`` and ``dcterms.modified`` meta tags
of ``templates/reports/base.html``), and no file identifier is written.

What does not change from one document to the next is kept, per thread (a
worker process renders one document at a time; ``make run`` renders in its
request threads, and Pango's font maps are not shared between threads):
the font configuration, whose font map would otherwise warm up again for
every document (about a quarter of a two-page form's time), and the parsed
print stylesheet (``static/reports/print.css``, parsed again only when the
file changes). The stylesheet is given to WeasyPrint as the user style
sheet: a document's own ``<style>`` (the register's landscape pages) still
wins over it. Two things this relies on: the stylesheet imports nothing
(only its own file's path, mtime and size say when to parse it again), and
no report declares ``@font-face`` (a kept font configuration would keep the
font for every later document of the thread).
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import posixpath
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

ORIGIN = "https://portal.invalid"
BASE_URL = f"{ORIGIN}/"
# Bumped whenever a report's layout changes: a stored report names the version that drew it.
TEMPLATE_VERSION = "2026.11-5"
PRINT_STYLESHEET = "reports/print.css"


class FetchRefused(ValueError):
    """An address the renderer does not fetch (not a refusal of an act: WeasyPrint logs it and draws nothing)."""


class StaticOnlyFetcher(URLFetcher):
    """Fetches the portal's static files from disk, and nothing else."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"not fetched: {url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN or parts.query or not parts.path.startswith(
                settings.STATIC_URL):
            return None
        name = unquote(parts.path[len(settings.STATIC_URL):])
        if not name or "\\" in name or "\x00" in name or posixpath.normpath(name) != name or name.startswith(
                ("/", "..")):
            return None
        found = finders.find(name)
        return Path(found) if found and Path(found).is_file() else None


_kept = threading.local()


def thread_fonts() -> FontConfiguration:
    """This thread's font configuration, made once."""
    fonts = getattr(_kept, "fonts", None)
    if fonts is None:
        fonts = _kept.fonts = FontConfiguration()
    return fonts


def print_stylesheet() -> CSS:
    """The print stylesheet, parsed once per thread and again only when the file has changed."""
    found = finders.find(PRINT_STYLESHEET)
    if not found:
        raise FileNotFoundError(PRINT_STYLESHEET)
    stat = os.stat(found)
    key = (found, stat.st_mtime_ns, stat.st_size)
    kept = getattr(_kept, "stylesheet", None)
    if kept is None or kept[0] != key:
        css = CSS(url=f"{ORIGIN}{settings.STATIC_URL}{PRINT_STYLESHEET}", url_fetcher=StaticOnlyFetcher(),
                  font_config=thread_fonts())
        kept = _kept.stylesheet = (key, css)
    return kept[1]


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def html_to_pdf(html: str) -> Rendered:
    """Render one HTML document (one report, or one form) to PDF bytes."""
    return html_to_pdf_many([html])


def html_to_pdf_many(htmls: Sequence[str]) -> Rendered:
    """Render several documents (the forms of a batch) into one PDF, written once.

    Each document is laid out on its own, so that its footer numbers its own pages ("Trang 1/2" of
    each form, as the signed paper needs), with the print stylesheet, the fonts and the fetcher
    shared; the pages are then written together, the fonts embedded once.
    """
    if not htmls:
        raise ValueError("nothing to render")
    fetcher, fonts, stylesheets = StaticOnlyFetcher(), thread_fonts(), [print_stylesheet()]
    documents = [HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(stylesheets=stylesheets,
                                                                                   font_config=fonts)
                 for html in htmls]
    for document in documents:
        if document.metadata.attachments:  # <link rel=attachment>: never embedded
            fetcher.refused.extend(f"attachment:{a.description or a.name or ''}"
                                   for a in document.metadata.attachments)
            document.metadata.attachments = []
        _drop_attachment_links(document)
    whole = documents[0] if len(documents) == 1 else documents[0].copy(
        [page for document in documents for page in document.pages])
    # No file identifier: pydyf would serialize every object a second time to hash it (about a tenth of
    # the time of a two-page form), and without one the bytes are already the same for the same HTML.
    pdf = whole.write_pdf(attachments=None)
    return Rendered(pdf, len(whole.pages), fetcher.served, fetcher.refused)


def merge_pdfs(parts: Sequence[bytes], title: str = "") -> Rendered:
    """Join rendered parts (the chunks of a batch) into one PDF, the same bytes for the same parts."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return Rendered(out.getvalue(), len(writer.pages))


def _drop_attachment_links(document) -> None:
    """An ``<a rel=attachment>`` would embed its target in the PDF: keep it a plain link, or nothing."""
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]
