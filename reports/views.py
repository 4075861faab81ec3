"""Report pages: request a report from the page it reports on, follow it, download it, list mine."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.access import get_assessment_for, get_period_org_for
from assessments.choices import SubjectKind
from common.tables import list_response
from governance.access import get_meeting_for
from jobs.models import JobStatus
from organizations import access
from personnel.models import Nomination
from personnel.permissions import VIEW_PERSONNEL

from . import services
from .access import get_report_for
from .forms import BatchForm, RegisterForm
from .models import Report, ReportKind
from .tables import ReportFilter, ReportTable


@require_POST
def assessment_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Print one subject's form (an individual's self-assessment, or the collective's report)."""
    a = get_assessment_for(request, pk)
    if access.VIEW not in a.organization.perms:  # the subject alone may read their result, not print it
        raise PermissionDenied
    collective = a.kind == SubjectKind.COLLECTIVE
    title = (_("Báo cáo kiểm điểm tập thể %(org)s — %(period)s") if collective
             else _("Bản kiểm điểm %(person)s — %(period)s")) % {
        "org": a.organization.name, "person": a.subject, "period": a.period.title}
    report = services.report_request(kind=ReportKind.COLLECTIVE if collective else ReportKind.FORM,
                                     organization=a.organization, params={"assessments": [a.pk]},
                                     title=title, actor=request.user)
    return redirect(report)


@require_POST
def period_forms_print(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """Print every individual form of an organization's subtree in a period: one job, one file."""
    period, org = get_period_org_for(request, pk, org, access.VIEW)
    form = BatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Định dạng tệp không hợp lệ: chọn một tệp PDF hoặc tệp ZIP."))
        return redirect(reverse("assessments:dashboard", args=[period.pk, org.pk]))
    title = _("Bản kiểm điểm của đảng viên %(org)s — %(period)s") % {"org": org.name, "period": period.title}
    report = services.report_request(kind=ReportKind.FORMS, organization=org, params={"period": period.pk},
                                     title=title, actor=request.user, fmt=form.cleaned_data["fmt"])
    return redirect(report)


@require_POST
def period_summary_print(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """Print the summary of a period for an organization's subtree (the provincial summary at the root)."""
    period, org = get_period_org_for(request, pk, org, access.VIEW_DASHBOARD)
    title = _("Báo cáo tổng hợp xếp loại %(org)s — %(period)s") % {"org": org.name, "period": period.title}
    report = services.report_request(kind=ReportKind.SUMMARY, organization=org, params={"period": period.pk},
                                     title=title, actor=request.user)
    return redirect(report)


@require_POST
def meeting_minutes_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Print a meeting's minutes, as recorded so far (approved or not: the document says which)."""
    meeting = get_meeting_for(request, pk, access.VIEW)
    title = _("Biên bản hội nghị %(meeting)s") % {"meeting": meeting}
    report = services.report_request(kind=ReportKind.MINUTES, organization=meeting.org,
                                     params={"meeting": meeting.pk}, title=title, actor=request.user)
    return redirect(report)


@require_POST
def decisions_register_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the register of decisions of an organization's subtree over a date range."""
    org = access.get_organization_for(request, pk, access.VIEW)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(reverse("governance:decisions", args=[org.pk]))
    start, end = form.cleaned_data["from"], form.cleaned_data["to"]
    title = _("Sổ theo dõi quyết định %(org)s từ %(from)s đến %(to)s") % {
        "org": org.name, "from": date_format(start, "SHORT_DATE_FORMAT"),
        "to": date_format(end, "SHORT_DATE_FORMAT")}
    report = services.report_request(kind=ReportKind.REGISTER, organization=org,
                                     params={"from": start.isoformat(), "to": end.isoformat()},
                                     title=title, actor=request.user)
    return redirect(report)


@require_POST
def nomination_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Print a nomination's record; the service decides whether the wider conference's results are in it."""
    nomination = access.get_owned_for(
        request, Nomination.objects.select_related("organization", "target", "position", "nominee"), pk,
        VIEW_PERSONNEL)
    report = services.nomination_record_request(nomination=nomination, actor=request.user)
    return redirect(report)


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    r = get_report_for(request, pk)
    return render(request, "reports/report.html", {"r": r, "job": r.job})


@require_GET
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    r = get_report_for(request, pk)
    return render(request, "reports/_status.html", {"r": r, "job": r.job})


@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    r = get_report_for(request, pk)
    if r.job.status != JobStatus.SUCCEEDED or not r.file:
        raise Http404
    try:
        handle = r.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = "application/pdf" if r.fmt == "pdf" else "application/zip"
    return FileResponse(handle, as_attachment=True, filename=r.filename, content_type=content_type)


@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    mine = Report.objects.filter(requested_by=request.user).select_related("organization", "job")
    filters = ReportFilter(request.GET, queryset=mine)
    return list_response(request, ReportTable(filters.qs), "reports/mine.html", {"filter": filters},
                         filename="bao-cao-cua-toi")


