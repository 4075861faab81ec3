"""Requesting, rendering and verifying printed reports.

``report_request`` records the report and its job in one transaction; the
job (``reports.render``, run by a Celery worker through ``jobs``) reads the
data, renders the HTML to PDF through ``reports.render`` and stores the file
with its page count and sha256. ``report_verify`` renders a stored report
again from its parameters and its "data as of" and compares the bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import Assessment
from audit.services import audit_record
from common.ids import parse_pk
from common.reasons import Refused
from governance.models import Meeting
from jobs import registry
from jobs.services import job_start
from organizations import access
from organizations.models import Organization
from personnel.models import Nomination

from .access import PERMISSION
from .batch import (
    batch_chunks,
    batch_items,
    batch_join_rendered,
    batch_plan_and_dispatch,
    render_parts,
    report_result,
    report_store,
)
from .documents import Document, render_html
from .documents.forms import forms_context
from .documents.governance import minutes_context, register_context
from .documents.nomination import nomination_context, nomination_params
from .documents.summary import summary_context
from .models import Report, ReportFormat, ReportKind
from .render import TEMPLATE_VERSION, html_to_pdf

JOB_KIND = "reports.render"


def _outside(organization: Organization, kind: str, params: dict[str, Any]) -> bool:
    """Whether the parameters name something outside the organization's subtree (a form, a meeting): what the
    report prints must be what its reader may see there. Batches and summaries read the subtree by themselves."""
    if kind in (ReportKind.FORM, ReportKind.COLLECTIVE):
        ids = params.get("assessments") or []
        inside = Assessment.objects.filter(pk__in=ids, organization__path__startswith=organization.path).count()
        return not ids or inside != len(set(ids))
    if kind == ReportKind.MINUTES:
        return not Meeting.objects.filter(pk=params.get("meeting"),
                                          body__organization__path__startswith=organization.path).exists()
    if kind == ReportKind.NOMINATION:
        return not Nomination.objects.filter(pk=parse_pk(params.get("nomination")),
                                             organization__path__startswith=organization.path).exists()
    return False


# Kinds whose parameters are completed under the request's transaction, from the actor (what they may see).
PREPARE = {ReportKind.NOMINATION: nomination_params}


def report_request(*, kind: str, organization: Organization, params: dict[str, Any], title: str, actor,
                   fmt: str = ReportFormat.PDF) -> Report:
    """Record a report and queue its rendering (once the transaction commits).

    The actor must see the organization the report covers (and, for a summary, its dashboard): a report shows
    whoever may open it what it printed."""
    if kind not in ReportKind.values:
        raise Refused.because("report_kind_unknown")
    with transaction.atomic():
        access.authorize(actor, PERMISSION.get(kind, access.VIEW), organization)
        if _outside(organization, kind, params):
            raise Refused.because("report_outside_scope", org=organization.name)
        if kind in PREPARE:  # decided now, for this actor, and kept: the worker renders what was decided
            params = PREPARE[kind](organization, params, actor)
        job = job_start(kind=JOB_KIND, label=title, params={"kind": kind, **(params if kind in PREPARE else {})},
                        actor=actor)
        report = Report.objects.create(job=job, kind=kind, organization=organization, params=params,
                                       title=title[:300], fmt=fmt,
                                       requested_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit_record(actor=actor, action="reports.request", obj=report, summary=report.title,
                     data={"kind": kind, "fmt": fmt, "params": params, "job": job.pk})
    return report


def document_for(report: Report, as_of) -> Document:
    """What a one-document report shows: its template and the context read from the database now."""
    params = report.params
    if report.kind in (ReportKind.FORM, ReportKind.COLLECTIVE):
        return Document("reports/forms.html", {"forms": forms_context(params["assessments"])})
    if report.kind == ReportKind.MINUTES:
        return Document("reports/minutes.html", minutes_context(params))
    if report.kind == ReportKind.REGISTER:
        return Document("reports/register.html", register_context(report.organization, params))
    if report.kind == ReportKind.SUMMARY:
        return Document("reports/summary.html", summary_context(report.organization, params, as_of))
    if report.kind == ReportKind.NOMINATION:
        return Document("reports/nomination_record.html", nomination_context(params, as_of))
    raise Refused.because("report_kind_not_printable")


def _unobserved(done: int, total: int, stage: str = "") -> None:
    """No job to tell (a report checked again)."""


def _render_one(report: Report, as_of, progress=_unobserved) -> tuple[bytes, int]:
    """A one-document report's file as of a moment (``progress`` told of its two steps, in a job)."""
    progress(0, 1, gettext_noop("Đang đọc số liệu"))
    document = document_for(report, as_of)
    progress(0, 1, gettext_noop("Đang dàn trang"))
    rendered = html_to_pdf(render_html(report.title, document, as_of))
    return rendered.pdf, rendered.pages


def _render(report: Report, as_of) -> tuple[bytes, int]:
    """The report's file as of a moment: one document, or a batch's forms chunk by chunk, joined."""
    if report.kind == ReportKind.FORMS:
        chunks = batch_chunks(batch_items(report), report.params.get("chunk", settings.REPORT_BATCH_CHUNK))
        parts = [render_parts(report, [pk for _org, pk in chunk], as_of) for chunk in chunks]
        return batch_join_rendered(report, parts)
    return _render_one(report, as_of)


def _run(job, progress) -> dict[str, Any]:
    report = Report.objects.select_related("organization").get(job=job)
    if report.kind == ReportKind.FORMS:
        batch_plan_and_dispatch(report, job, progress)  # the chunks' chord ends the job
    as_of = timezone.now()
    pdf, pages = _render_one(report, as_of, progress)
    report_store(report, pdf, pages, as_of)
    return report_result(report)  # the job's success counts it done


registry.register(JOB_KIND, _run)


@dataclass(frozen=True)
class Verification:
    stored: str  # the sha256 recorded when it was made
    file: str  # the sha256 of the file as it is now
    fresh: str  # the sha256 of a fresh rendering from the same parameters and data as of
    same_template: bool

    @property
    def file_intact(self) -> bool:
        return self.stored == self.file

    @property
    def data_unchanged(self) -> bool:
        return self.stored == self.fresh


def report_verify(report: Report) -> Verification:
    """Render the report again as of its data and compare: the file kept, and the data since."""
    if not report.sha256 or not report.data_as_of:
        raise Refused.because("report_not_finished")
    with report.file.open("rb") as handle:
        on_disk = hashlib.file_digest(handle, "sha256").hexdigest()  # read in blocks: a batch may be large
    fresh, _pages = _render(report, report.data_as_of)
    return Verification(report.sha256, on_disk, hashlib.sha256(fresh).hexdigest(),
                        report.template_version == TEMPLATE_VERSION)


def nomination_record_request(*, nomination: Nomination, actor) -> Report:
    """Print a nomination's record (hồ sơ giới thiệu nhân sự) for ``actor``: with the wider conference's
    results if they may read them now (``documents.nomination.nomination_params``), without them otherwise."""
    title = _("Hồ sơ giới thiệu nhân sự %(nominee)s — %(position)s — %(target)s") % {
        "nominee": nomination.nominee.full_name, "position": nomination.position.title,
        "target": nomination.target.name}
    return report_request(kind=ReportKind.NOMINATION, organization=nomination.organization,
                          params={"nomination": nomination.pk}, title=title, actor=actor)
