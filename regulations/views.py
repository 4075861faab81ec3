"""Reading the catalog (every signed-in user) and importing texts (with the import permission)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.ids import parse_pk
from common.reasons import Reason, Refused
from common.tables import list_response
from common.uploads import upload_form, upload_limit

from . import selectors
from .citations import cited_by, code_cited_by, render_anchor
from .forms import ImportForm, SearchForm
from .models import Document, DocumentVersion, Level, Provision, TextImport
from .services import (
    ImportRejected,
    document_import_cancel,
    document_import_confirm,
    document_import_preview,
)
from .tables import CitedByTable, DocumentFilter, DocumentTable, HitData, SearchHitTable


def document_list(request: HttpRequest) -> HttpResponse:
    """The catalog: every document, its status on a chosen day, filtered, sorted, exported."""
    filters = DocumentFilter(request.GET, queryset=Document.objects.prefetch_related("replaced_by", "replaces"))
    on = filters.day
    table = DocumentTable(filters.qs, on=on)
    return list_response(request, table, "regulations/document_list.html", {"filter": filters, "on": on},
                         filename="van-ban")


def _version(document: Document, request: HttpRequest) -> DocumentVersion | None:
    """The version asked for with ``?version=N`` (404 if there is none), else the current one (``None``
    for a catalog entry whose text has not been imported yet)."""
    number = request.GET.get("version")
    versions = document.versions.all()
    if not number:
        return versions.filter(is_current=True).first()
    # isdigit() alone takes "²" and "١٢", which the database does not.
    version = (versions.filter(number=int(number)).first()
               if number.isascii() and number.isdigit() and len(number) < 10 else None)
    if version is None:
        raise Http404
    return version


def document(request: HttpRequest, slug: str) -> HttpResponse:
    document = get_object_or_404(Document.objects.prefetch_related("replaced_by", "replaces"), slug=slug)
    version = _version(document, request)
    provisions = list(version.provisions.order_by("order")) if version else []
    changes = {key: [render_anchor(document, a) for a in anchors]
               for key, anchors in ((version.changes if version else None) or {}).items()}
    return render(request, "regulations/document.html", {
        "document": document, "version": version, "provisions": provisions,
        "toc": [p for p in provisions if p.level in (Level.CHAPTER, Level.SECTION, Level.ARTICLE)],
        "versions": document.versions.select_related("imported_by"),
        "changes": changes, "status": document.status_label_on(timezone.localdate()),
    })


def provision(request: HttpRequest, slug: str, anchor: str) -> HttpResponse:
    document = get_object_or_404(Document, slug=slug)
    version = _version(document, request)
    provision = (Provision.objects.filter(version=version, anchor=anchor)
                 .select_related("version__document", "parent")
                 .prefetch_related(Prefetch("children", Provision.objects.select_related("version__document")
                                            .order_by("order"))).first())
    if provision is None:
        raise Http404
    other_versions = (Provision.objects.filter(version__document=document, anchor=anchor)
                      .exclude(pk=provision.pk).select_related("version__document").order_by("-version__number"))
    table = CitedByTable(cited_by(provision, request.user).select_related("content_type"))
    return list_response(request, table, "regulations/provision.html", {
        "document": document, "version": version, "provision": provision,
        "code_cited_by": code_cited_by(provision), "other_versions": other_versions,
    }, filename="trich-dan")


def search(request: HttpRequest) -> HttpResponse:
    """Provisions matching every word, best first; each page loads only its own rows."""
    form = SearchForm(request.GET)
    query, ids = "", []
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        ids = selectors.search_ids(query, kind=form.cleaned_data["kind"], in_force_on=form.cleaned_data["on"])
    table = SearchHitTable(HitData(selectors.Hits(ids, query)))
    return list_response(request, table, "regulations/search.html", {"form": form, "query": query},
                         filename="tim-dieu-khoan", per_page=20)


@upload_limit("REGULATION_IMPORT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def import_text(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("regulations.import_document"):
        raise PermissionDenied
    form = upload_form(request, ImportForm, initial={"document": request.GET.get("document")})
    errors = []
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = document_import_preview(document=form.cleaned_data["document"], file_name=upload.name,
                                            content=upload.read(), actor=request.user)
        except ImportRejected as exc:  # the text's own errors, each rendered here in the reader's language
            errors = exc.all_reasons
        except ValidationError as exc:  # refused by the service (a Refused)
            form.add_error(None, exc)
        else:
            return redirect(batch)
    return render(request, "regulations/import.html", {"form": form, "errors": errors})


def _import_for(request: HttpRequest, pk) -> TextImport:
    if not request.user.has_perm("regulations.import_document"):
        raise PermissionDenied
    key = parse_pk(pk)
    batch = TextImport.objects.select_related("document", "uploaded_by").filter(pk=key).first() if key else None
    if batch is None:
        raise Http404
    return batch


def _preview_page(request: HttpRequest, batch: TextImport, refused: Sequence[Reason | str] = ()) -> HttpResponse:
    changes = {key: [render_anchor(batch.document, a) for a in anchors]
               for key, anchors in (batch.changes or {}).items()}
    return render(request, "regulations/import_preview.html",
                  {"batch": batch, "changes": changes, "refused": refused})


@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What a new text would change (provisions added, changed, removed), with the buttons to confirm or
    cancel (each its own view)."""
    return _preview_page(request, _import_for(request, pk))


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The previewed text becomes the current version; a refusal is shown on the preview, every reason of it
    (a text read again at confirmation may be refused line by line, or past limits lowered since)."""
    batch = _import_for(request, pk)
    try:
        version = document_import_confirm(batch=batch, actor=request.user)
    except ValidationError as exc:  # a Refused: handled already, overtaken, or the text refused (ImportRejected)
        batch.refresh_from_db()
        shown = ([*exc.reasons, *(r for row in exc.rows.values() for r in row)] if isinstance(exc, Refused)
                 else exc.messages)
        return _preview_page(request, batch, shown)
    c = version.changes
    messages.success(request, _("Đã nhập lần %(n)s: thêm %(a)s, sửa %(c)s, bỏ %(r)s điều khoản.") % {
        "n": version.number, "a": len(c["added"]), "c": len(c["changed"]), "r": len(c["removed"])})
    return redirect(version.document)


@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The previewed text is dropped; the current version stays."""
    batch = _import_for(request, pk)
    try:
        document_import_cancel(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(batch)
    messages.info(request, _("Đã hủy lượt nhập; bản hiện hành giữ nguyên."))
    return redirect(batch.document)
