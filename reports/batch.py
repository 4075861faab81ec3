"""Batch printing: every individual form of a subtree in one job.

The job's function (``batch_plan_and_dispatch``) lists the forms in print
order (organization, then name), cuts them into chunks of about
``REPORT_BATCH_CHUNK`` forms that never mix two organizations in one part,
and sends the chunks as a Celery chord: the chunks render in parallel on
whatever workers there are, each adding its forms to the job's progress, and
the chord's callback (``batch_finish``) joins the parts with pypdf into one
PDF, or into a ZIP with one PDF per organization.

Each chunk and the callback carry the job's attempt: after a worker died
and the job was taken over, what the earlier attempt still sends is
dropped. A chunk that fails for good fails the job with its reason; the
callback then only clears the parts away. A chunk or a join that fails
outside its own handling (out of retries for a database fault, or stopped
at the hard time limit) never reaches the callback: the chord's errback
(``batch_failed``) then fails the job as soon as the chord's other chunks
have returned (the result backend counts them all first), rather than when
its lease runs out.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.temp import NamedTemporaryFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from assessments.choices import SubjectKind
from assessments.models import Assessment
from common.reasons import Reason, Refused
from jobs.models import Job
from jobs.services import TRANSIENT, JobContinues, failure_of, job_add_progress, job_fail, job_hold, job_succeed
from organizations.models import Organization

from .documents import forms_html
from .models import Report, ReportFormat
from .render import TEMPLATE_VERSION, Rendered, html_to_pdf_many, merge_pdfs

Item = tuple[int, int]  # (organization id, assessment id)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    organization: int
    name: str  # in storage
    pages: int

    def to_json(self) -> list:
        return [self.organization, self.name, self.pages]


def batch_items(report: Report) -> list[Item]:
    """The individual forms of the report's subtree in the period (or the chosen ones among them), in print order."""
    params = report.params
    forms = Assessment.objects.filter(period_id=params["period"],
                                      organization__path__startswith=report.organization.path)
    if "assessments" in params:  # a chosen selection of the subtree's forms, rather than all of them
        forms = forms.filter(pk__in=params["assessments"])
    return list(forms.exclude(kind=SubjectKind.COLLECTIVE).order_by("organization__path", "person__sort_name", "pk")
                .values_list("organization_id", "pk"))


def batch_chunks(items: list[Item], size: int) -> list[list[Item]]:
    """Consecutive runs of at most ``size`` forms; an organization starts a new chunk when it would not fit.

    So a cell's forms stay together where they can, and a ZIP's parts rarely need joining.
    """
    chunks: list[list[Item]] = []
    current: list[Item] = []
    for _org, forms in groupby(items, key=lambda item: item[0]):
        forms = list(forms)
        if current and len(current) + len(forms) > size:
            chunks.append(current)
            current = []
        while len(forms) > size:  # an organization bigger than a chunk fills chunks of its own
            chunks.append(forms[:size])
            forms = forms[size:]
        current.extend(forms)
    if current:
        chunks.append(current)
    return chunks


def _part_folder(report: Report, attempt: int) -> str:
    return f"reports/parts/{report.pk}/{attempt}"


def batch_plan_and_dispatch(report: Report, job: Job, progress) -> NoReturn:
    """The job's own step: list the forms, record the data's moment, send the chunks."""
    from .tasks import batch_chunk_task  # noqa: PLC0415  (tasks import this module)

    progress(0, 1, gettext_noop("Đang đọc số liệu"))
    items = batch_items(report)
    if not items:
        raise Refused.because("report_nothing_to_print")
    if report.fmt == ReportFormat.PDF and len(items) > settings.REPORT_BATCH_PDF_MAX_FORMS:
        raise Refused.because("report_pdf_too_many", n=len(items), max=settings.REPORT_BATCH_PDF_MAX_FORMS)
    # The moment the data are read, and the chunk size (the bytes depend on where chunks break): a stored
    # batch is checked again with both.
    params = {**report.params, "chunk": settings.REPORT_BATCH_CHUNK}
    Report.objects.filter(pk=report.pk).update(data_as_of=timezone.now(), params=params)
    for earlier in range(1, job.attempts):  # what an attempt taken over left behind
        _clear(report, earlier)
    chunks = batch_chunks(items, params["chunk"])
    progress(0, len(items), gettext_noop("Đang dàn trang"))
    from celery import chord  # noqa: PLC0415

    chord(batch_chunk_task.s(report.pk, job.attempts, index, [pk for _org, pk in chunk])
          for index, chunk in enumerate(chunks))(batch_callback(report.pk, job.attempts))
    try:
        job_hold(job.pk, job.attempts)
    except TRANSIENT:
        # The chunks are out: each renews the hold as it starts. Raised, the fault would give the attempt back
        # (job_execute) and the task's retry would send a second chord under the same attempt.
        log.warning("report %s: the lease was not renewed after the chunks were sent", report.pk, exc_info=True)
    raise JobContinues


def batch_callback(report_id: int, attempt: int):
    """The chord's callback (join the parts), with its errback (fail the job if a chunk or the join fails for
    good outside its own handling)."""
    from .tasks import batch_failed_task, batch_finish_task  # noqa: PLC0415

    return batch_finish_task.s(report_id, attempt).on_error(batch_failed_task.s(report_id, attempt))


def _current(report_id: int, attempt: int) -> Report | None:
    """The report, if its job is still running this attempt (not failed, finished or taken over)."""
    report = Report.objects.select_related("job", "organization").filter(pk=report_id).first()
    if report is None or report.job.finished or report.job.attempts != attempt:
        return None
    return report


def render_parts(report: Report, ids: list[int], as_of) -> list[tuple[int, Rendered]]:
    """One chunk's forms: one PDF for a single file, one per organization for a ZIP."""
    pages = forms_html(report.title, ids, as_of)
    if report.fmt == ReportFormat.PDF:
        return [(pages[0][0], html_to_pdf_many([html for _org, html in pages]))]
    return [(org, html_to_pdf_many([html for _o, html in group]))
            for org, group in groupby(pages, key=lambda page: page[0])]


def batch_chunk(report_id: int, attempt: int, index: int, ids: list[int]) -> list[list] | None:
    """Render one chunk into the report's part folder; ``None`` when the job is over or has failed."""
    report = _current(report_id, attempt)
    if report is None:
        return None
    job_hold(report.job_id, attempt)
    try:
        parts = []
        for number, (org, part) in enumerate(render_parts(report, ids, report.data_as_of)):
            name = posixpath.join(_part_folder(report, attempt), f"{index:06d}-{number:03d}.pdf")
            if default_storage.exists(name):  # the chunk ran before, on a worker that died
                default_storage.delete(name)
            parts.append(Part(org, default_storage.save(name, ContentFile(part.pdf)), part.pages).to_json())
    except TRANSIENT:
        raise  # the task retries
    except Exception as error:  # the job must end with a reason, whatever went wrong
        job_fail(report.job_id, failure_of(error, f"report {report_id}: chunk {index}"), attempt)
        return None
    job_add_progress(report.job_id, len(ids), attempt)
    return parts


def _clear(report: Report, attempt: int) -> None:
    folder = _part_folder(report, attempt)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(posixpath.join(folder, name))


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


Loader = Callable[[], bytes]


def batch_join(report: Report, parts: list[tuple[int, Loader]]) -> tuple[bytes, int]:
    """The parts, in order, joined: the PDF, or a ZIP of one PDF per organization (read one organization at a time).

    The entries of the ZIP are numbered in print order and named after their organization.
    """
    if report.fmt == ReportFormat.PDF:
        joined = merge_pdfs([load() for _org, load in parts], title=report.title)
        return joined.pdf, joined.pages
    names = dict(Organization.objects.filter(pk__in={org for org, _load in parts}).values_list("pk", "name"))
    moment = timezone.localtime(report.data_as_of).timetuple()[:6]
    pages = 0
    with NamedTemporaryFile(suffix=".zip") as handle:
        with zipfile.ZipFile(handle, "w") as archive:
            for number, (org, group) in enumerate(groupby(parts, key=lambda part: part[0]), start=1):
                joined = merge_pdfs([load() for _org, load in group], title=names.get(org, ""))
                pages += joined.pages
                entry = zipfile.ZipInfo(f"{number:04d}-{_safe(names.get(org, str(org)))}.pdf", date_time=moment)
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, joined.pdf)
        handle.seek(0)
        return handle.read(), pages


def batch_join_stored(report: Report, chunks: Iterable[list[list] | None]) -> tuple[bytes, int]:
    """The chunks' parts as the workers stored them."""
    parts = [Part(*part) for chunk in chunks for part in (chunk or [])]
    return batch_join(report, [(p.organization, lambda name=p.name: _read(name)) for p in parts])


def batch_join_rendered(report: Report, chunks: Iterable[list[tuple[int, Rendered]]]) -> tuple[bytes, int]:
    """Parts rendered here (a stored batch checked again): joined exactly as the workers' would be."""
    return batch_join(report, [(org, lambda pdf=rendered.pdf: pdf) for chunk in chunks for org, rendered in chunk])


def _safe(name: str) -> str:
    """A file name inside the ZIP: the organization's name without separators, at most 80 characters."""
    cleaned = "".join("-" if c in '/\\:*?"<>|\x00' or ord(c) < 32 else c for c in name).strip(" .")
    return cleaned[:80] or "to-chuc"


def batch_failed(report_id: int, attempt: int, callback_id: str = "") -> None:
    """The chord's errback: a chunk or the join failed for good outside its own handling. The attempt's
    parts are cleared, then the job fails (if this attempt is still the one running).

    ``callback_id`` is the id of the chord's callback, which Celery hands to the errback whichever task
    failed; the failed task is in the worker's log.
    """
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return
    _clear(report, attempt)
    # Checked with the job locked: an attempt taken over since, or a job already ended, is left as it is.
    if job_fail(report.job_id, Reason("job_system_error"), attempt):
        log.error("report %s (attempt %s): a chunk or the join failed for good (chord callback %s)", report_id,
                  attempt, callback_id)


def batch_finish(results: list[list[list] | None], report_id: int, attempt: int) -> None:
    """The chord's callback: join the parts, store the file, end the job."""
    report = Report.objects.select_related("job", "organization").get(pk=report_id)
    if report.job.finished or report.job.attempts != attempt or any(r is None for r in results):
        _clear(report, attempt)  # failed (a chunk said why), or taken over by a later attempt
        return
    job_hold(report.job_id, attempt)
    try:
        data, pages = batch_join_stored(report, results)
    except TRANSIENT:
        raise
    except Exception as error:
        job_fail(report.job_id, failure_of(error, f"report {report_id}: joining the parts"), attempt)
        _clear(report, attempt)
        return
    with transaction.atomic():  # the job locked: an attempt taken over meanwhile stores nothing
        job = Job.objects.select_for_update().get(pk=report.job_id)
        if not job.finished and job.attempts == attempt:
            report_store(report, data, pages, as_of=report.data_as_of)
            job_succeed(report.job_id, report_result(report), attempt)
    _clear(report, attempt)


def report_store(report: Report, data: bytes, pages: int, as_of=None) -> None:
    """Keep the made file with its page count, size, sha256, template version (and data as of, if given)."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.file:
            locked.file.delete(save=False)  # a run taken over from a worker that died
        locked.file.save(locked.filename, ContentFile(data), save=False)
        locked.pages, locked.size, locked.sha256 = pages, len(data), hashlib.sha256(data).hexdigest()
        locked.template_version = TEMPLATE_VERSION
        fields = ["file", "pages", "size", "sha256", "template_version"]
        if as_of is not None:
            locked.data_as_of = as_of
            fields.append("data_as_of")
        locked.save(update_fields=fields)
    for name in fields:  # the caller's instance as stored, without reading it again
        setattr(report, name, getattr(locked, name))


def report_result(report: Report) -> dict[str, Any]:
    return {"url": report.get_absolute_url(), "label": gettext_noop("Tải báo cáo"), "pages": report.pages}
