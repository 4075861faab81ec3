"""How the report pages get their reports: through the organization each report covers."""

from __future__ import annotations

from django.http import HttpRequest

from organizations import access

from .models import Report


def get_report_for(request: HttpRequest, pk) -> Report:
    """A report, for whoever may see the organization it covers (404 for anyone else)."""
    return access.get_owned_for(request, Report.objects.select_related("organization", "job", "requested_by"), pk)
