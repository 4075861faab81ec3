"""The portal's own pages: the home page of each role and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance import selectors as work
from organizations import access, selectors
from organizations.models import RoleKind, today


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and monitoring: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _work_waiting(role, own, on) -> dict:
    """What waits for the holder of ``role``: each role's own queue, a count and the oldest few."""
    org = role.organization
    if role.kind == RoleKind.COMMITTEE_STAFF:
        return {"minutes": work.minutes_to_approve(org, on), "overdue": work.report_backs_overdue(org, on)}
    if role.kind == RoleKind.HEAD:
        return {"mine": work.report_backs_of(own) if own else None,
                "overdue": work.report_backs_overdue(org, on)}
    if role.kind == RoleKind.INSPECTION:
        return {"irregular": work.irregular_count(org)}
    return {}


def home(request: HttpRequest) -> HttpResponse:
    """The work waiting for each of the user's roles, and where to go next; no link the user cannot open."""
    roles = list(access.roles_of(request.user))
    kinds = {r.kind for r in roles}
    on = today()
    own = getattr(request.user, "person", None)
    # A summary of each organization the user reads (members, organizations below): two queries each.
    summaries = [(r, selectors.subtree_counts(r.organization, on), _work_waiting(r, own, on)) for r in roles
                 if r.kind != RoleKind.MEMBER]
    return render(request, "portal/home.html", {
        "roles": roles,
        "summaries": summaries,
        "is_board": RoleKind.PROVINCE_BOARD in kinds,
        "is_staff_role": RoleKind.COMMITTEE_STAFF in kinds,
        "is_head": RoleKind.HEAD in kinds,
        "is_inspection": RoleKind.INSPECTION in kinds,
        "own_person": own,
    })


