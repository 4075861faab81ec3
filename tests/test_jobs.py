"""Jobs: the lease, the takeover of a job whose worker died, the reaper, failures as codes in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone, translation

from common.reasons import Reason, Refused
from jobs import registry
from jobs import services as jobs
from jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db

RUNS: list[int] = []


def _count(job, progress):
    RUNS.append(job.pk)
    for i in range(1, 4):
        progress(i, 3, "Đang chạy thử")
    return {"url": "/", "label": "xong", "runs": len(RUNS)}


def _refuse(job, progress):
    raise Refused.because("not_permitted", perm="print_reports", org="Chi bộ 1")


def _sentence(job, progress):
    raise ValidationError("Không có đối tượng nào để in.")


def _crash(job, progress):
    raise RuntimeError("boom")


def _flaky(job, progress):
    RUNS.append(job.pk)
    if len(RUNS) == 1:
        raise OperationalError("server closed the connection unexpectedly")
    return {"runs": len(RUNS)}


for kind, function in [("test.count", _count), ("test.refuse", _refuse), ("test.crash", _crash),
                       ("test.sentence", _sentence),
                       ("test.flaky", _flaky)]:
    registry.register(kind, function)


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()


def _job(kind: str, **fields) -> Job:
    return Job.objects.create(kind=kind, label=kind, **fields)


def test_a_job_runs_once_with_its_progress_and_lease(settings):
    job = _job("test.count")
    outcome = jobs.job_execute(job.pk, worker="w1:1")
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempts, job.worker) == (JobStatus.SUCCEEDED, 3, 3, 1, "w1:1")
    assert job.result["runs"] == 1 and job.lease_until is None and outcome.job.pk == job.pk
    # A message delivered twice does not run it again.
    assert jobs.job_execute(job.pk).job is None and RUNS == [job.pk]


def test_a_running_job_under_a_live_lease_is_left_to_its_worker(settings):
    lease = timezone.now() + dt.timedelta(seconds=30)
    job = _job("test.count", status=JobStatus.RUNNING, attempts=1, lease_until=lease, worker="w1:1")
    outcome = jobs.job_execute(job.pk, worker="w2:2")
    assert outcome.job is None and 29 < outcome.wait <= 32 and RUNS == []
    assert Job.objects.get(pk=job.pk).worker == "w1:1"


def test_a_job_whose_worker_died_is_taken_over_then_failed_after_its_attempts(settings):
    settings.JOB_MAX_ATTEMPTS = 2
    expired = timezone.now() - dt.timedelta(seconds=1)
    job = _job("test.count", status=JobStatus.RUNNING, attempts=1, lease_until=expired, worker="w1:1", done=2,
               total=3)
    jobs.job_execute(job.pk, worker="w2:2")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.worker, RUNS) == (JobStatus.SUCCEEDED, 2, "w2:2", [job.pk])
    # A second death after the last attempt: failed with the reason, never left running.
    again = _job("test.count", status=JobStatus.RUNNING, attempts=2, lease_until=expired)
    jobs.job_execute(again.pk, worker="w3:3")
    again.refresh_from_db()
    assert again.status == JobStatus.FAILED and again.failure["code"] == "job_worker_lost"
    assert "2 lần" in again.error and RUNS == [job.pk]


def test_the_reaper_requeues_or_fails_jobs_whose_lease_ran_out(settings, django_capture_on_commit_callbacks):
    settings.JOB_LEASE_SECONDS, settings.JOB_MAX_ATTEMPTS = 60, 2
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    lost = _job("test.count", status=JobStatus.RUNNING, attempts=1, lease_until=long_ago)
    spent = _job("test.count", status=JobStatus.RUNNING, attempts=2, lease_until=long_ago)
    alive = _job("test.count", status=JobStatus.RUNNING, attempts=1, lease_until=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.jobs_reap()
    assert counts == {"requeued": 1, "failed": 1}
    # The requeued one was taken over by the (eager) worker and finished.
    assert Job.objects.get(pk=lost.pk).status == JobStatus.SUCCEEDED and Job.objects.get(pk=lost.pk).attempts == 2
    assert Job.objects.get(pk=spent.pk).status == JobStatus.FAILED
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING and RUNS == [lost.pk]


def test_failures_are_codes_read_in_the_readers_language():
    refused, crashed = _job("test.refuse"), _job("test.crash")
    jobs.job_execute(refused.pk)
    jobs.job_execute(crashed.pk)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.status == crashed.status == JobStatus.FAILED
    # The refusal is kept as its code and parameters, not as the sentence of the worker's language.
    assert refused.failure == {"code": "job_refused", "params": {"reasons": [
        {"code": "not_permitted", "params": {"perm": "print_reports", "org": "Chi bộ 1"}}]}}
    assert crashed.failure == {"code": "job_system_error", "params": {}} and "boom" not in str(crashed.failure)
    with translation.override("vi"):
        assert crashed.error.startswith("Lỗi hệ thống")
        assert refused.error == "Bạn không có quyền thực hiện thao tác này tại Chi bộ 1."
    with translation.override("en"):
        assert crashed.error.startswith("System error") and "Lỗi" not in crashed.error
        assert refused.error.startswith("You are not allowed") and "Chi bộ 1" in refused.error


def test_a_sentence_is_not_kept_as_a_refusal():
    """A refusal without a code could only be stored in one language: it is a defect, kept as a system error."""
    job = _job("test.sentence")
    jobs.job_execute(job.pk)
    job.refresh_from_db()
    assert job.failure == {"code": "job_system_error", "params": {}}


def test_a_transient_fault_gives_the_job_back_for_the_retry():
    job = _job("test.flaky")
    with pytest.raises(OperationalError):
        jobs.job_execute(job.pk, worker="w1:1")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 0 and job.lease_until <= timezone.now()
    jobs.job_execute(job.pk, worker="w1:1")  # the task's retry
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (JobStatus.SUCCEEDED, 1, {"runs": 2})


def test_the_stage_is_shown_in_the_readers_language(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x")
    job = _job("test.count", status=JobStatus.RUNNING, stage="Đang lập danh sách đối tượng", requested_by=user)
    client.force_login(user)
    assert "Đang lập danh sách đối tượng" in client.get(f"/jobs/{job.pk}/progress/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "Drawing up the list of subjects" in page and "Đang lập" not in page


def test_chunks_add_to_the_progress_of_the_attempt_running_now():
    job = Job.objects.create(kind="jobs.test.count", label="x", params={}, status=JobStatus.RUNNING, attempts=2,
                             total=10, done=0)
    jobs.job_add_progress(job.pk, 4, attempt=2)
    jobs.job_add_progress(job.pk, 5, attempt=1)  # a chunk of the attempt that was taken over
    job.refresh_from_db()
    assert job.done == 4 and job.lease_until > timezone.now()
    jobs.job_add_progress(job.pk, 50, attempt=2)  # never past the total
    job.refresh_from_db()
    assert job.done == 10


def test_an_attempt_taken_over_neither_ends_the_job_nor_lets_it_lapse(settings):
    job = Job.objects.create(kind="jobs.test.count", label="x", params={}, status=JobStatus.RUNNING, attempts=2,
                             total=10, done=0, lease_until=timezone.now())
    jobs.job_succeed(job.pk, {"url": "/"}, attempt=1)
    jobs.job_fail(job.pk, Reason("job_system_error"), attempt=1)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.failure in (None, {})
    # While its chunks wait in the queue, the job's lease covers a chunk's hard time limit.
    jobs.job_hold(job.pk, attempt=2)
    job.refresh_from_db()
    assert job.lease_until >= timezone.now() + dt.timedelta(seconds=settings.JOB_SOFT_TIME_LIMIT)
    jobs.job_fail(job.pk, Reason("job_system_error"), attempt=2)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
