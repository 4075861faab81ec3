"""Batch printing: every individual form of a subtree in one job, rendered in chunks, joined into a PDF or a ZIP."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from celery.app.task import Context
from celery.exceptions import ChordError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from assessments.models import Assessment
from common.actors import SYSTEM
from jobs.models import Job, JobStatus
from organizations.models import RoleKind
from organizations.services import role_grant
from portal.celery import app
from reports import batch, services
from reports.models import Report, ReportFormat, ReportKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _request(client, period, org, capture, fmt="pdf") -> Report:
    with capture(execute=True):
        response = client.post(f"/reports/period/{period.pk}/org/{org.pk}/forms/", {"fmt": fmt})
    assert response.status_code == 302, response.content[:300]
    report = Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    report.refresh_from_db()
    return report


def _individuals(period, org):
    return (Assessment.objects.filter(period=period, organization__path__startswith=org.path)
            .exclude(kind="collective"))


@pytest.fixture
def small_chunks(settings):
    settings.REPORT_BATCH_CHUNK = 2  # several chunks even in the small world
    return settings


def test_the_board_prints_every_form_of_the_province_into_one_pdf(client, world, period_2026, board_officer,
                                                                  small_chunks, django_capture_on_commit_callbacks):
    root = world.province.root
    client.force_login(board_officer)
    page = client.get(f"/assessments/periods/{period_2026.pk}/org/{root.pk}/").content.decode()
    assert 'data-testid="print-forms"' in page
    report = _request(client, period_2026, root, django_capture_on_commit_callbacks)
    job = report.job
    assert job.status == JobStatus.SUCCEEDED, job.error
    forms = list(_individuals(period_2026, root).select_related("person", "organization")
                 .order_by("organization__path", "person__sort_name", "pk"))
    assert len(forms) >= 10
    assert (job.done, job.total) == (len(forms), len(forms))  # progress counted across the chunks
    pdf = report.file.read()
    pages = _pages(pdf)
    assert len(pages) == report.pages and report.kind == ReportKind.FORMS
    # Each form numbers its own pages, so the signed paper is whole: "Trang 1/k" starts each form.
    starts = [i for i, text in enumerate(pages) if re.search(r"Trang 1/\d+", text)]
    assert len(starts) == len(forms)
    for form, start in zip(forms, starts, strict=True):
        assert form.person.full_name in pages[start] and form.organization.name in pages[start]
    # The chunks' parts are cleared away once joined.
    assert default_storage.listdir(f"reports/parts/{report.pk}/{job.attempts}")[1] == []
    # The same data give the same bytes: the stored batch verifies against a fresh rendering.
    check = services.report_verify(report)
    assert check.file_intact and check.data_unchanged


def test_a_zip_holds_one_pdf_per_organization(client, world, period_2026, board_officer, small_chunks,
                                              django_capture_on_commit_callbacks):
    grassroots = world.province.grassroots
    client.force_login(board_officer)
    report = _request(client, period_2026, grassroots, django_capture_on_commit_callbacks, fmt="zip")
    assert report.job.status == JobStatus.SUCCEEDED, report.job.error
    assert report.fmt == ReportFormat.ZIP and report.filename.endswith(".zip")
    response = client.get(f"/reports/{report.pk}/download/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    by_org: dict[str, int] = {}
    for form in _individuals(period_2026, grassroots).select_related("organization"):
        by_org[form.organization.name] = by_org.get(form.organization.name, 0) + 1
    names = archive.namelist()
    assert len(names) == len(by_org) and names == sorted(names)
    total_pages = 0
    for name in names:
        org_name = name.split("-", 1)[1].removesuffix(".pdf")
        pages = _pages(archive.read(name))
        total_pages += len(pages)
        assert sum(bool(re.search(r"Trang 1/\d+", p)) for p in pages) == by_org[org_name], name
        assert all(org_name in p for p in pages)  # only that organization's forms
    assert total_pages == report.pages
    assert services.report_verify(report).data_unchanged


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 9)), max_size=30), st.integers(1, 7))
def test_chunks_keep_order_stay_small_and_start_organizations_afresh(runs, size):
    items, pk = [], 0
    for org, count in runs:
        if items and items[-1][0] == org:
            continue  # the items come grouped by organization
        for _ in range(count):
            pk += 1
            items.append((org, pk))
    chunks = batch.batch_chunks(items, size)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(0 < len(chunk) <= size for chunk in chunks)
    for before, after in zip(chunks, chunks[1:], strict=False):
        # An organization continues into the next chunk only when it filled this one.
        if before[-1][0] == after[0][0]:
            assert len(before) == size and all(org == before[-1][0] for org, _pk in after[:1])


def test_a_failing_chunk_fails_the_job_with_a_reason_and_leaves_no_parts(client, world, period_2026,
                                                                        board_officer, small_chunks, monkeypatch,
                                                                        django_capture_on_commit_callbacks):
    calls = {"n": 0}
    real = batch.forms_html

    def second_chunk_breaks(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "forms_html", second_chunk_breaks)
    client.force_login(board_officer)
    report = _request(client, period_2026, world.province.root, django_capture_on_commit_callbacks)
    job = report.job
    assert job.status == JobStatus.FAILED and job.failure["code"] == "job_system_error"
    assert not report.file and not report.sha256
    assert default_storage.listdir(f"reports/parts/{report.pk}/{job.attempts}")[1] == []
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="job-error"' in page and 'data-testid="download"' not in page


def test_the_errback_fails_the_running_attempt_and_clears_its_parts(client, world, period_2026, board_officer,
                                                                    django_capture_on_commit_callbacks):
    """What the chord's errback does when a chunk or the join failed for good (a real worker runs it in CI:
    tests/test_celery.py): the attempt still running fails with a reason and its parts go; an errback of
    another attempt, or of a report that is gone, changes nothing."""
    client.force_login(board_officer)
    report = _request(client, period_2026, world.province.cell_1, django_capture_on_commit_callbacks)
    job = report.job
    job.status, job.lease_until = JobStatus.RUNNING, job.finished_at  # as if its chunks were still out
    job.save(update_fields=["status", "lease_until"])
    part = default_storage.save(f"reports/parts/{report.pk}/{job.attempts}/000000-000.pdf", ContentFile(b"%PDF"))
    batch.batch_failed(report.pk, job.attempts + 1, "callback-of-a-later-attempt")
    batch.batch_failed(10**9, job.attempts, "callback-of-no-report")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and default_storage.exists(part)
    # The errback as the result backend calls it when a chord's chunk failed (a private method of Celery's,
    # the one its Redis backend runs): with the callback's id before the signature's own arguments.
    callback = batch.batch_callback(report.pk, job.attempts)
    request = Context(id="callback-id", errbacks=callback.options["link_error"], delivery_info={"is_eager": True})
    app.backend._call_task_errbacks(request, ChordError("Dependency chunk-3 raised OperationalError()"), None)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure["code"] == "job_system_error" and job.lease_until is None
    assert not default_storage.exists(part)
    batch.batch_failed(report.pk, job.attempts, "callback-again")  # a second call changes nothing
    assert report.job.__class__.objects.get(pk=job.pk).finished_at == job.finished_at


def test_a_fault_renewing_the_lease_after_the_chunks_went_keeps_the_attempt(client, world, period_2026,
                                                                            board_officer, small_chunks, monkeypatch,
                                                                            django_capture_on_commit_callbacks):
    """The planner's last step, renewing the lease once the chord is sent, meets a database fault: the job goes on
    under its attempt (the chunks hold the lease themselves); the fault is not raised, so no retry of the planner
    sends the chunks a second time under the same attempt."""
    real, faults = batch.job_hold, []

    def hold(job_id, attempt):
        # Run eagerly, the chunks and the join are over when the planner renews the lease: that call fails.
        if Job.objects.get(pk=job_id).finished:
            faults.append(attempt)
            raise OperationalError("the database went away")
        real(job_id, attempt)

    monkeypatch.setattr(batch, "job_hold", hold)
    client.force_login(board_officer)
    report = _request(client, period_2026, world.province.grassroots, django_capture_on_commit_callbacks)
    assert faults == [1]
    assert report.job.status == JobStatus.SUCCEEDED and report.job.attempts == 1 and report.file


def test_a_chunk_of_an_earlier_attempt_is_dropped(client, world, period_2026, board_officer,
                                                  django_capture_on_commit_callbacks):
    client.force_login(board_officer)
    report = _request(client, period_2026, world.province.cell_1, django_capture_on_commit_callbacks)
    ids = list(_individuals(period_2026, world.province.cell_1).values_list("pk", flat=True))
    # Finished, or a later attempt: nothing is rendered or written, the stored file is untouched.
    assert batch.batch_chunk(report.pk, report.job.attempts, 0, ids) is None
    assert batch.batch_chunk(report.pk, report.job.attempts - 1, 0, ids) is None
    batch.batch_finish([[[world.province.cell_1.pk, "reports/parts/none.pdf", 1]]], report.pk, report.job.attempts)
    report.refresh_from_db()
    assert services.report_verify(report).file_intact


def test_too_many_forms_for_one_pdf_and_an_empty_scope_are_refused(client, world, period_2026, board_officer,
                                                                   settings, django_capture_on_commit_callbacks):
    client.force_login(board_officer)
    settings.REPORT_BATCH_PDF_MAX_FORMS = 3
    report = _request(client, period_2026, world.province.root, django_capture_on_commit_callbacks)
    assert report.job.status == JobStatus.FAILED and "hãy chọn tệp ZIP" in report.job.error
    # A ZIP is not bound by it.
    report = _request(client, period_2026, world.province.cell_1, django_capture_on_commit_callbacks, fmt="zip")
    assert report.job.status == JobStatus.SUCCEEDED
    Assessment.objects.filter(period=period_2026, organization=world.province.cell_b).exclude(
        kind="collective").delete()
    report = _request(client, period_2026, world.province.cell_b, django_capture_on_commit_callbacks)
    assert report.job.status == JobStatus.FAILED and "Không có bản kiểm điểm nào" in report.job.error


def test_who_may_print_a_batch(client, world, period_2026, django_capture_on_commit_callbacks):
    url = f"/reports/period/{period_2026.pk}/org/{world.province.cell_1.pk}/forms/"
    outsider = UserFactory(username="sub_b_staff")
    role_grant(user=outsider, kind=RoleKind.COMMITTEE_STAFF, organization=world.province.sub_b, actor=SYSTEM)
    client.force_login(outsider)
    assert client.post(url, {"fmt": "pdf"}).status_code == 404
    assert client.post(f"/reports/period/{period_2026.pk}/org/99999999999999999999/forms/",
                       {"fmt": "pdf"}).status_code == 404
    client.force_login(world.cell_staff)
    assert client.get(url).status_code == 405
    # A format that does not exist: said plainly, nothing queued.
    response = client.post(url, {"fmt": "docx"}, follow=True)
    assert "Định dạng tệp không hợp lệ" in response.content.decode()
    assert Report.objects.count() == 0
    # The cell's office may print its own cell.
    report = _request(client, period_2026, world.province.cell_1, django_capture_on_commit_callbacks)
    assert report.job.status == JobStatus.SUCCEEDED and report.requested_by == world.cell_staff
