"""How the report pages get their reports: through the organization each report covers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from organizations import access
from personnel.models import CLOSED_STATES, Nomination
from personnel.permissions import VIEW_CONFIDENTIAL, VIEW_PERSONNEL

from .models import Report, ReportKind

# What a kind of report needs beyond seeing its organization: a summary shows what the dashboard shows, a
# nomination's record what the personnel pages show.
PERMISSION = {ReportKind.SUMMARY: access.VIEW_DASHBOARD, ReportKind.NOMINATION: VIEW_PERSONNEL}


def get_report_for(request: HttpRequest, pk) -> Report:
    """A report, for whoever may see the organization it covers (404 for anyone else; 403 without the
    permission its kind needs)."""
    report = access.get_owned_for(request, Report.objects.select_related("organization", "job", "requested_by"), pk)
    perm = PERMISSION.get(report.kind)
    if perm and perm not in report.organization.perms:
        raise PermissionDenied
    if not _confidential_readable(report):
        raise PermissionDenied
    return report


def _confidential_readable(report: Report) -> bool:
    """A nomination's record printed with the wider conference's results opens only for whoever may read them
    now: the holders of the permission, or anyone who may see the record once the nomination has finished.
    Another reader of the organization asks for their own print (without the results)."""
    if report.kind != ReportKind.NOMINATION or not report.params.get("confidential"):
        return True
    if VIEW_CONFIDENTIAL in report.organization.perms:
        return True
    return Nomination.objects.filter(pk=report.params.get("nomination"), state__in=CLOSED_STATES).exists()
