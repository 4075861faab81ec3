"""How the report pages get their reports: through the organization each report covers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from organizations import access

from .models import Report, ReportKind

# What a kind of report needs beyond seeing its organization: a summary shows what the dashboard shows.
PERMISSION = {ReportKind.SUMMARY: access.VIEW_DASHBOARD}


def get_report_for(request: HttpRequest, pk) -> Report:
    """A report, for whoever may see the organization it covers (404 for anyone else; 403 without the
    permission its kind needs)."""
    report = access.get_owned_for(request, Report.objects.select_related("organization", "job", "requested_by"), pk)
    perm = PERMISSION.get(report.kind)
    if perm and perm not in report.organization.perms:
        raise PermissionDenied
    return report
