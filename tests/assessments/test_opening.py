"""The opening job of a period taken over after its worker died: the next attempt locks the period, removes what
the dead attempt wrote and does the work again, so the period opens with every subject once; an attempt taken over
while it still ran writes nothing more and ends nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone

from assessments import services as svc
from assessments.models import Assessment, PeerGroup, Period, PeriodStatus, Rollup
from assessments.services import periods
from audit.models import AuditEntry
from jobs import services as jobs
from jobs.models import Job, JobStatus


class WorkerKilled(BaseException):
    """The worker's process ends here (SIGKILL runs no handler: nothing after this point runs)."""


def _queued(world, board_officer, django_capture_on_commit_callbacks) -> tuple[Period, Job]:
    period = svc.period_create(organization=world.province.root, year=2026, actor=board_officer)
    with django_capture_on_commit_callbacks(execute=False):  # queued, not run: the test plays the workers
        job = svc.period_open(period=period, actor=board_officer)
    return Period.objects.select_related("organization").get(pk=period.pk), job


def _dies_after(batches: int):
    def progress(done: int, total: int, stage: str = "") -> None:
        if done and done >= batches * periods.BATCH:
            raise WorkerKilled
    return progress


def _dead_attempt(period: Period, job: Job, batches: int) -> Job:
    """Attempt 1 claims the job, writes the peer groups and ``batches`` batches of subjects, and its worker dies;
    its lease then runs out."""
    claimed = jobs._claim(job.pk, "celery@a:101").job
    with pytest.raises(WorkerKilled):
        periods._open(period, claimed, _dies_after(batches))
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    return claimed


def _subjects(period: Period) -> list[tuple]:
    return sorted(Assessment.objects.filter(period=period).values_list("kind", "organization_id", "person_id"))


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(periods, "BATCH", 4)  # the world's 15 subjects in 4 batches


@pytest.fixture
def reference(world, board_officer, django_capture_on_commit_callbacks) -> dict:
    """What the opening writes when nothing goes wrong (a quarter's period of all subjects, for comparison)."""
    from .conftest import open_period  # noqa: PLC0415

    period = open_period(world.province.root, board_officer, capture=django_capture_on_commit_callbacks, year=2025)
    return {"subjects": _subjects(period), "groups": PeerGroup.objects.filter(period=period).count(),
            "rollups": sorted(Rollup.objects.filter(period=period).values_list("organization_id", "kind", "count"))}


def test_an_opening_whose_worker_died_midway_is_taken_over_without_duplicates(
        world, board_officer, django_capture_on_commit_callbacks, small_batches, reference):
    period, job = _queued(world, board_officer, django_capture_on_commit_callbacks)
    _dead_attempt(period, job, batches=2)
    assert Assessment.objects.filter(period=period).count() == 8  # two batches of 4 left behind
    assert PeerGroup.objects.filter(period=period).count() == reference["groups"]

    outcome = jobs.job_execute(job.pk, "celery@b:202")  # the message comes back to another worker

    job = outcome.job
    period.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2, job.error
    assert period.status == PeriodStatus.OPEN and period.subjects == len(reference["subjects"])
    assert _subjects(period) == reference["subjects"]  # every subject once
    assert PeerGroup.objects.filter(period=period).count() == reference["groups"]
    assert sorted(Rollup.objects.filter(period=period).values_list("organization_id", "kind", "count")) == [
        (org, kind, n) for org, kind, n in reference["rollups"]]
    assert set(Assessment.objects.filter(period=period).values_list("peer_group__period", flat=True)) == {period.pk}
    assert AuditEntry.objects.get(action="assessments.period_opened", object_id=str(period.pk)).data["attempt"] == 2


def test_an_opening_whose_worker_died_after_opening_the_period_is_only_reported(
        world, board_officer, django_capture_on_commit_callbacks):
    period, job = _queued(world, board_officer, django_capture_on_commit_callbacks)
    claimed = jobs._claim(job.pk, "celery@a:101").job
    periods._open(period, claimed, lambda *args: None)  # the last transaction committed; job_succeed never ran
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    rows = _subjects(period)

    job = jobs.job_execute(job.pk, "celery@b:202").job

    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert job.result["subjects"] == len(rows) and _subjects(period) == rows
    assert AuditEntry.objects.filter(action="assessments.period_opened").count() == 1


def test_an_attempt_taken_over_while_it_still_ran_writes_nothing_more(
        world, board_officer, django_capture_on_commit_callbacks, small_batches, reference):
    """A worker paused past its lease (not dead) wakes after another has taken the job over and opened the period:
    its next transaction finds its attempt superseded; it writes nothing, ends nothing, undoes nothing."""
    period, job = _queued(world, board_officer, django_capture_on_commit_callbacks)
    paused = _dead_attempt(period, job, batches=1)
    assert jobs.job_execute(job.pk, "celery@b:202").job.status == JobStatus.SUCCEEDED

    with pytest.raises(jobs.AttemptSuperseded):
        periods._open(Period.objects.select_related("organization").get(pk=period.pk), paused, lambda *a: None)

    period.refresh_from_db()
    job.refresh_from_db()
    assert period.status == PeriodStatus.OPEN and _subjects(period) == reference["subjects"]
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2


def test_an_attempt_taken_over_before_it_starts_stops_at_once(world, board_officer,
                                                              django_capture_on_commit_callbacks):
    period, job = _queued(world, board_officer, django_capture_on_commit_callbacks)
    first = jobs._claim(job.pk, "celery@a:101").job
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    jobs._claim(job.pk, "celery@b:202")
    with pytest.raises(jobs.AttemptSuperseded):
        periods.period_open_job(first, lambda *a: None)
    assert not Assessment.objects.filter(period=period).exists()


def test_an_attempt_that_fails_after_it_was_taken_over_leaves_the_period_to_the_other(
        world, board_officer, django_capture_on_commit_callbacks, small_batches, monkeypatch):
    """Its failure would put the period back to draft and remove the rows: not while another attempt runs it."""
    period, job = _queued(world, board_officer, django_capture_on_commit_callbacks)
    first = jobs._claim(job.pk, "celery@a:101").job
    opening = periods._open

    def taken_over_then_fails(period, job, progress):
        Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        jobs._claim(job.pk, "celery@b:202")  # another worker takes over meanwhile
        raise RuntimeError("the paused worker's own fault")

    monkeypatch.setattr(periods, "_open", taken_over_then_fails)
    with pytest.raises(jobs.AttemptSuperseded):
        periods.period_open_job(first, lambda *a: None)
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPENING  # the attempt that took over opens it
    monkeypatch.setattr(periods, "_open", opening)
    job.refresh_from_db()
    periods.period_open_job(job, lambda *a: None)
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN


def test_an_attempt_taken_over_does_not_end_the_job(world, board_officer, django_capture_on_commit_callbacks):
    """``job_execute`` ends the job only for the attempt it claimed: a late attempt neither fails nor succeeds it."""
    period, job = _queued(world, board_officer, django_capture_on_commit_callbacks)
    first = jobs._claim(job.pk, "celery@a:101").job
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    second = jobs._claim(job.pk, "celery@b:202").job
    assert second.attempts == 2
    assert not jobs.job_fail(job.pk, jobs.failure_of(RuntimeError("late"), "test"), first.attempts)
    jobs.job_progress(job.pk, 1, 9, "late", attempt=first.attempts)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.total == 0


def test_a_database_fault_leaves_the_opening_to_the_task_s_retry(world, board_officer,
                                                                  django_capture_on_commit_callbacks, small_batches,
                                                                  monkeypatch, reference):
    """A fault that may pass by itself is retried by the task: the period stays opening (not back to draft, which
    would make the retry refuse it), and the retry opens it with every subject once."""
    period, job = _queued(world, board_officer, django_capture_on_commit_callbacks)
    opening = periods._open

    def fault_after_a_batch(period, job, progress):
        def progress_then_fault(done, total, stage=""):
            if done >= periods.BATCH:
                raise OperationalError("server closed the connection unexpectedly")
        return opening(period, job, progress_then_fault)

    monkeypatch.setattr(periods, "_open", fault_after_a_batch)
    with pytest.raises(OperationalError):
        jobs.job_execute(job.pk, "celery@a:101")
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPENING and Assessment.objects.filter(period=period).exists()
    monkeypatch.setattr(periods, "_open", opening)

    job = jobs.job_execute(job.pk, "celery@a:101").job  # the task's retry

    period.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and period.status == PeriodStatus.OPEN
    assert _subjects(period) == reference["subjects"]
