"""Pages of the planning (quy hoạch cán bộ): the register of a subtree, adding and removing an entry by a recorded
decision, and importing a list from a file (upload, preview, confirm: all rows or none). Thin: access, forms,
services."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.reasons import Reason, Refused, text_of
from common.tables import XLSX, list_response
from common.uploads import upload_form, upload_limit
from organizations import access

from . import services
from .models import PlanningEntry
from .permissions import MANAGE_PERSONNEL, VIEW_PERSONNEL
from .planning_forms import PlanningAddForm, PlanningImportForm, PlanningRemoveForm, deciding_levels
from .planning_imports import parse_planning_table, template_xlsx
from .planning_tables import STANDING, ImportRowTable, PlanningFilter, PlanningTable, register_rows

# The field of a form that a service's refusal is about; the others are shown above the form.
REFUSAL_FIELDS = {
    "planning_term_missing": "term", "planning_decision_missing": "decision_ref",
    "planning_date_missing": "decision_date", "planning_date_ahead": "decision_date",
    "planning_removed_before_added": "decision_date", "planning_decider_not_above": "decided_by",
}
SESSION_KEY = "planning_imports"
KEPT_PREVIEWS = 3  # previews a session keeps at once (each holds a parsed file)


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The planning of ``pk``'s subtree: filtered, sorted, paginated, exported (the filtered rows, every page)."""
    org = access.get_organization_for(request, pk, VIEW_PERSONNEL)
    data = request.GET.copy()
    data.setdefault("state", STANDING)
    filters = PlanningFilter(data, queryset=register_rows(org, request.user), organization=org)
    manage_paths = access.granted_paths(request.user, MANAGE_PERSONNEL)
    table = PlanningTable(filters.qs, manage_paths=manage_paths)
    return list_response(request, table, "personnel/planning/register.html", {
        "org": org, "filter": filters, "can_manage": MANAGE_PERSONNEL in org.perms,
    }, filename="quy-hoach-can-bo")


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _add_refusal(form, exc: Refused) -> None:
    for reason in exc.reasons or [None]:
        if reason is None:
            form.add_error(None, exc)
            continue
        field = REFUSAL_FIELDS.get(reason.code)
        form.add_error(field if field in form.fields else None, Refused(reason))


def _form_page(request: HttpRequest, form, *, org, title: str, subject: str = "", intro: str = "") -> HttpResponse:
    return render(request, "personnel/planning/form.html", {
        "form": form, "org": org, "title": title, "subject": subject, "intro": intro,
        "back": reverse("personnel:planning", args=[org.pk]),
    }, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a person for a post of ``pk`` by the recorded decision of it or a level above it."""
    org = access.get_organization_for(request, pk, MANAGE_PERSONNEL)
    form = PlanningAddForm(_data(request), organization=org, user=request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.planning_add(organization=org, person=d["person"], position=d["position"],
                                          term=d["term"], added_on=d["decision_date"], added_ref=d["decision_ref"],
                                          added_by=d["decided_by"], actor=request.user)
        except Refused as exc:
            _add_refusal(form, exc)
        else:
            messages.success(request, _("Đã ghi %(p)s vào quy hoạch chức danh %(pos)s, nhiệm kỳ %(term)s.")
                             % {"p": entry.person, "pos": entry.position, "term": entry.term})
            return redirect("personnel:planning", org.pk)
    return _form_page(request, form, org=org, title=_("Bổ sung cán bộ vào quy hoạch"),
                      intro=_("Theo quyết định phê duyệt của chính tổ chức hoặc cấp trên."))


@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an entry out of the planning by a recorded decision (GET shows the form, POST acts)."""
    entry = access.get_owned_for(
        request, PlanningEntry.objects.select_related("organization", "person", "position"), pk, MANAGE_PERSONNEL)
    org = entry.organization
    form = PlanningRemoveForm(_data(request), organization=org)
    if entry.removed_on is not None and not form.is_bound:
        messages.info(request, text_of(Reason("planning_already_removed", {"d": entry.removed_on.isoformat()})))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            services.planning_remove(entry=entry, removed_on=d["decision_date"], removed_ref=d["decision_ref"],
                                     removed_by=d["decided_by"], reason=d["reason"], actor=request.user)
        except Refused as exc:
            _add_refusal(form, exc)
        else:
            messages.success(request, _("Đã đưa %(p)s ra khỏi quy hoạch chức danh %(pos)s.")
                             % {"p": entry.person, "pos": entry.position})
            return redirect("personnel:planning", org.pk)
    return _form_page(request, form, org=org, title=_("Đưa cán bộ ra khỏi quy hoạch"),
                      subject=f"{entry.person} — {entry.position} — {entry.term}")


# --- import -------------------------------------------------------------------------------------------


@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The .xlsx to fill in, with the position codes and the codes of the levels that may decide."""
    from organizations.models import Position

    org = access.get_organization_for(request, pk, MANAGE_PERSONNEL)
    content = template_xlsx(list(Position.objects.order_by("rank", "title").values_list("code", "title")),
                            list(deciding_levels(org).values_list("code", "name")))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "mau-quy-hoach-can-bo.xlsx")
    return response


def _previews(request: HttpRequest) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _keep_preview(request: HttpRequest, preview: dict) -> str:
    """Keep a parsed file in the session under a random token (the oldest ones dropped); returns the token."""
    kept = _previews(request)
    while len(kept) >= KEPT_PREVIEWS:
        kept.pop(min(kept, key=lambda t: kept[t]["at"]))
    token = secrets.token_urlsafe(16)
    kept[token] = preview
    request.session[SESSION_KEY] = kept
    return token


def _preview_for(request: HttpRequest, org, token: str) -> dict:
    preview = _previews(request).get(token)
    if not isinstance(preview, dict) or preview.get("org") != org.pk or preview.get("user") != request.user.pk:
        raise Http404
    return preview


@upload_limit("IMPORT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: the file is read and kept for the preview; nothing is written."""
    org = access.get_organization_for(request, pk, MANAGE_PERSONNEL)
    form = upload_form(request, PlanningImportForm)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        file_name = "".join(ch for ch in upload.name if ch.isprintable())[:200]
        parsed = parse_planning_table(file_name, content)
        if parsed.file_error:
            for e in parsed.errors:
                form.add_error("file", text_of(Reason.from_json(e["reason"])))
        else:
            token = _keep_preview(request, {
                "org": org.pk, "user": request.user.pk, "file_name": file_name, "at": timezone.now().isoformat(),
                "sha256": hashlib.sha256(content).hexdigest(), "rows": parsed.rows, "errors": parsed.errors})
            return redirect("personnel:planning_import_preview", org.pk, token)
    return render(request, "personnel/planning/import_upload.html", {"org": org, "form": form},
                  status=400 if form.is_bound else 200)


def _shown(errors: list[dict]) -> list[dict]:
    return [{"row": e.get("row"), "message": text_of(Reason.from_json(e["reason"]))} for e in errors]


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Step 2: every row as it would be written and every row's errors; confirming writes all rows or none."""
    org = access.get_organization_for(request, pk, MANAGE_PERSONNEL)
    preview = _preview_for(request, org, token)
    status = 200
    if request.method == "POST":
        try:
            entries = services.planning_import_commit(
                organization=org, rows=preview["rows"], file_name=preview["file_name"], sha256=preview["sha256"],
                parse_errors=preview["errors"], actor=request.user)
        except Refused as exc:
            messages.error(request, " ".join(text_of(r) for r in exc.reasons))
            status = 400
        else:
            kept = _previews(request)
            kept.pop(token, None)
            request.session[SESSION_KEY] = kept
            messages.success(request, _("Đã ghi %(n)s cán bộ vào quy hoạch của %(org)s.")
                             % {"n": len(entries), "org": org})
            return redirect("personnel:planning", org.pk)
    rows, errors = services.planning_import_preview(organization=org, rows=preview["rows"], actor=request.user)
    errors = sorted([*preview["errors"], *errors], key=lambda e: e["row"] or 0)
    response = list_response(request, ImportRowTable(rows), "personnel/planning/import_preview.html", {
        "org": org, "preview": preview, "token": token, "errors": _shown(errors), "row_count": len(rows),
    }, filename="xem-truoc-quy-hoach")
    response.status_code = status if response.status_code == 200 else response.status_code
    return response
