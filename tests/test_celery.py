"""Tasks: in-process when no broker is configured, through a real worker in CI.

The worker tests (``-m celery_worker``) run in CI's worker step against a real
prefork worker on Redis; the worker and these tests share one database of their
own, so these tests work on it directly rather than on pytest's test database,
with names of their own. The step exports the worker's main pid
(``CELERY_WORKER_PID``) so that the tests can kill its pool processes, a short
lease (``JOB_LEASE_SECONDS``) so that a job whose worker died is taken over
within seconds, and small chunks (``REPORT_BATCH_CHUNK``) so that a batch
print is many tasks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from celery import chord
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from pypdf import PdfReader
from redis import Redis

from assessments import services as svc
from assessments.choices import SubjectKind
from assessments.models import Assessment, PeerGroup, Period, PeriodStatus
from common.text import fold, name_sort_key
from jobs.models import Job, JobStatus
from jobs.services import jobs_reap
from organizations.models import Gender, Membership, Organization, OrgKind, Person
from portal.celery import app
from portal.tasks import healthcheck
from reports.batch import batch_callback
from reports.models import Report, ReportKind
from reports.services import report_request
from reports.tasks import batch_chunk_task
from tests.conftest import need
from tests.factories import MembershipFactory, PersonFactory, UserFactory


def test_without_a_broker_tasks_run_in_process(settings):
    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured: the worker test below covers this run")
    nonce = uuid.uuid4().hex
    result = healthcheck.delay(nonce).get(timeout=5)
    assert result["nonce"] == nonce and result["pid"] == str(os.getpid())


@pytest.mark.celery_worker
def test_a_task_round_trips_through_a_real_worker():
    broker = os.environ.get("CELERY_BROKER_URL", "")
    need("celery", bool(broker), "CELERY_BROKER_URL is not set")
    app.conf.task_always_eager = False
    try:
        replies = app.control.ping(timeout=5)
        need("celery", bool(replies), f"no Celery worker answers on {broker}")
        nonce = uuid.uuid4().hex
        result = healthcheck.apply_async(args=[nonce]).get(timeout=30)
    finally:
        app.conf.task_always_eager = not broker
    assert result["nonce"] == nonce
    assert result["pid"] != str(os.getpid())  # ran in the worker process, not here


@pytest.fixture
def shared_db(django_db_blocker):
    """The worker's own database, opened to this test; tasks go to the worker through the broker."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    need("celery", bool(broker), "CELERY_BROKER_URL is not set")
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"].startswith("test_") or "memory" in str(connection.settings_dict["NAME"]):
            pytest.skip("the worker cannot see pytest's test database; CI runs this on a shared database")
        app.conf.task_always_eager = False
        try:
            replies = app.control.ping(timeout=5)
            need("celery", bool(replies), f"no Celery worker answers on {broker}")
            yield broker
        finally:
            app.conf.task_always_eager = not broker


def _until(check: Callable[[], Any], seconds: float, what: str, every: float = 0.05) -> Any:
    """Poll ``check`` until it returns something true, failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"not within {seconds:g}s: {what}")


def _job(pk: int) -> Job:
    return Job.objects.get(pk=pk)


def _world(cells: int, members: int) -> tuple[Organization, Period, Any]:
    """A province of ``cells`` cells of ``members`` members each, its period opened by the worker."""
    tag = uuid.uuid4().hex[:8]
    root = Organization.objects.add_root({"name": f"Đảng bộ thử {tag}", "code": f"w-{tag}",
                                          "kind": OrgKind.PROVINCIAL})
    for c in range(cells):
        root.refresh_from_db()  # treebeard needs the current numchild
        cell = Organization.objects.add_child(root, {"name": f"Chi bộ số {c + 1} {tag}", "code": f"w-{tag}-{c}",
                                                     "kind": OrgKind.GRASSROOTS_CELL})
        for i in range(members):
            person = PersonFactory(full_name=f"Nguyễn Thị Ánh Tuyết {c + 1:02d}-{i:02d}",
                                   card_number=f"9{tag[:6]}{c:02d}{i:02d}")
            MembershipFactory(person=person, organization=cell)
    actor = UserFactory(username=f"worker-{tag}", is_superuser=True)
    period = svc.period_create(organization=root, year=2026, actor=actor)
    job = svc.period_open(period=period, actor=actor)  # outside a transaction: queued at once
    job = _until(lambda: (j := _job(job.pk)).finished and j, 60, "the period's opening job ends", every=0.2)
    assert job.status == JobStatus.SUCCEEDED, job.error
    period.refresh_from_db()
    return root, period, actor


def _print(root: Organization, period: Period, actor) -> Report:
    """A batch print of every form of the province, as the dashboard's button asks for it."""
    with transaction.atomic():  # the job is queued when this commits
        return report_request(kind=ReportKind.FORMS, organization=root, params={"period": period.pk},
                              title=f"Bản kiểm điểm của đảng viên {root.name}", actor=actor, fmt="pdf")


def _finish(job_id: int, seconds: float = 180) -> Job:
    """Wait for the job to end, running the reaper as beat would (CI has no beat), compressed to the short lease."""
    def ended() -> Job | None:
        jobs_reap()
        job = _job(job_id)
        return job if job.finished else None

    return _until(ended, seconds, f"job {job_id} ends (succeeded or failed), not left running", every=0.5)


def _worker_pid() -> int:
    pid = os.environ.get("CELERY_WORKER_PID", "")
    need("celery", pid.isdigit(), "CELERY_WORKER_PID (the worker's main process) is not set")
    assert b"celery" in Path(f"/proc/{pid}/cmdline").read_bytes(), f"{pid} is not the Celery worker"
    return int(pid)


def _state(pid: int) -> tuple[int, str] | None:
    """A process's parent and state (``Z`` for a zombie), or ``None`` when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, ppid = stat.rsplit(")", 1)[1].split()[:2]
    return int(ppid), state


def _alive(pid: int) -> bool:
    state = _state(pid)
    return state is not None and state[1] != "Z"


def _children(pid: int) -> set[int]:
    """The pool processes of the worker: live children of its main process."""
    kids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (state := _state(int(entry.name))) and state[0] == pid and state[1] != "Z":
            kids.add(int(entry.name))
    return kids


def _check_pdf(report: Report, period: Period) -> None:
    """The stored PDF is whole: its page count and sha256 as recorded, every form exactly once, in print order."""
    report.refresh_from_db()
    data = report.file.read()
    report.file.close()
    assert hashlib.sha256(data).hexdigest() == report.sha256 and len(data) == report.size
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == report.pages
    names = list(Assessment.objects.filter(period=period).exclude(kind=SubjectKind.COLLECTIVE)
                 .order_by("organization__path", "person__sort_name", "pk").values_list("person__full_name", flat=True))
    starts = [text for text in pages if re.search(r"Trang 1/\d+", text)]  # each form numbers its own pages
    assert len(starts) == len(names)  # no chunk lost, none printed twice
    for name, text in zip(names, starts, strict=True):
        assert name in text


@pytest.mark.celery_worker
def test_a_period_opens_through_a_real_worker(shared_db):
    """The opening job goes to the worker through the broker and reports its progress in the database."""
    tag = uuid.uuid4().hex[:8]
    root = Organization.objects.add_root({"name": f"Đảng bộ thử {tag}", "code": f"w-{tag}",
                                          "kind": OrgKind.PROVINCIAL})
    cell = Organization.objects.add_child(root, {"name": f"Chi bộ {tag}", "code": f"w-{tag}-c",
                                                 "kind": OrgKind.GRASSROOTS_CELL})
    for i in range(3):
        MembershipFactory(person=PersonFactory(card_number=f"9{tag[:6]}{i:03d}"), organization=cell)
    actor = UserFactory(username=f"worker-{tag}", is_superuser=True)
    period = svc.period_create(organization=root, year=2026, actor=actor)
    job = svc.period_open(period=period, actor=actor)  # outside a transaction: queued at once
    job = _until(lambda: (j := _job(job.pk)).finished and j, 60, "the opening job ends", every=0.5)
    period.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert period.status == PeriodStatus.OPEN and job.done == job.total == 5  # 2 collectives, 3 members
    assert Assessment.objects.filter(period=period).count() == 5
    assert job.result["url"] == period.get_absolute_url()


def _province(cells: int, members: int) -> tuple[Organization, Any]:
    """A province of ``cells`` cells of ``members`` members each (its period not yet opened), written in bulk."""
    tag = uuid.uuid4().hex[:8]
    root = Organization.objects.add_root({"name": f"Đảng bộ mở kỳ {tag}", "code": f"o-{tag}",
                                          "kind": OrgKind.PROVINCIAL})
    for c in range(cells):
        root.refresh_from_db()
        cell = Organization.objects.add_child(root, {"name": f"Chi bộ số {c + 1} {tag}", "code": f"o-{tag}-{c}",
                                                     "kind": OrgKind.GRASSROOTS_CELL})
        names = [f"Trần Văn Mở Kỳ {c + 1:02d}-{i:05d}" for i in range(members)]
        people = Person.objects.bulk_create([
            Person(full_name=name, search_name=fold(name), sort_name=name_sort_key(name), gender=Gender.MALE,
                   card_number=f"8{tag[:6]}{c:02d}{i:05d}") for i, name in enumerate(names)], batch_size=1000)
        Membership.objects.bulk_create([Membership(person=person, organization=cell, start=dt.date(2020, 1, 1))
                                        for person in people], batch_size=1000)
    return root, UserFactory(username=f"opener-{tag}", is_superuser=True)


@pytest.mark.celery_worker
def test_a_period_s_opening_whose_process_is_killed_midway_is_taken_over(shared_db, record_property):
    """SIGKILL the pool process while it opens a period (after it claimed the job, before it ended).

    The pool processes are stopped (SIGSTOP) while the main process takes the job's message, then let go; the
    process that claims the job is killed as soon as the job shows it running. Its message comes back; once the
    dead process's lease has run out another process takes the job over (attempt 2), removes what the dead one
    wrote and opens the period: every subject once, one peer group per deciding level and kind.
    """
    main = _worker_pid()
    need("celery", settings.JOB_LEASE_SECONDS <= 10, "the worker step sets a short lease (JOB_LEASE_SECONDS)")
    root, actor = _province(cells=3, members=3000)  # two batches of subjects
    period = svc.period_create(organization=root, year=2026, actor=actor)
    inspect = app.control.inspect(timeout=1)
    _until(lambda: not any((inspect.active() or {"-": [None]}).values()), 60, "the worker is idle", every=0.2)
    pool = _children(main)
    try:
        for pid in pool:
            os.kill(pid, signal.SIGSTOP)
        job = svc.period_open(period=period, actor=actor)  # outside a transaction: queued at once

        def taken() -> bool:
            reserved = inspect.reserved() or {}
            return any(t["name"] == "jobs.run" and t["args"] == [job.pk] for ts in reserved.values() for t in ts)

        _until(taken, 15, "the worker has taken the job's message", every=0.2)
        for pid in pool:
            os.kill(pid, signal.SIGCONT)
        # Killed once its first batch of subjects is written (``BATCH``), before the second is.
        def first_batch_written() -> Job | None:
            j = _job(job.pk)
            return j if j.finished or j.done >= svc.BATCH else None

        claimed = _until(first_batch_written, 60, "the opening process wrote its first batch", every=0.002)
        assert claimed.status == JobStatus.RUNNING, "the opening ended before it could be killed: a larger province"
        opener = int(claimed.worker.rsplit(":", 1)[1])
        assert opener in pool and claimed.attempts == 1
        os.kill(opener, signal.SIGKILL)
        _until(lambda: not _alive(opener), 10, "the opening process is dead")
    finally:
        for pid in pool:
            if _alive(pid):
                os.kill(pid, signal.SIGCONT)
    left = Assessment.objects.filter(period=period).count()
    record_property("left_by_the_dead", left)
    assert svc.BATCH <= left < 3 * 3000 + 4  # the dead process's rows: its first batch, not the whole list

    job = _finish(job.pk)
    record_property("attempts", job.attempts)
    period.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.attempts == 2 and not job.worker.endswith(f":{opener}")
    assert period.status == PeriodStatus.OPEN and period.subjects == 9004  # 4 collectives, 9000 members
    rows = list(Assessment.objects.filter(period=period).values_list("kind", "organization_id", "person_id"))
    assert len(rows) == len(set(rows)) == 9004
    groups = list(PeerGroup.objects.filter(period=period).values_list("organization_id", "kind"))
    assert len(groups) == len(set(groups))


@pytest.mark.celery_worker
def test_a_batch_print_survives_its_pool_processes_killed_in_the_middle(shared_db, record_property):
    """SIGKILL every pool process while the chunks render: their messages come back, the PDF is whole.

    The chunk tasks are acknowledged late and given back when their process dies; the main process forks
    new ones, which render the chunks again. If a chord's count were lost with a process, the lease would run
    out and the reaper (here run by the test, as beat would) would start the job over: attempts 2.
    """
    main = _worker_pid()
    root, period, actor = _world(cells=4, members=20)
    report = _print(root, period, actor)
    job = _until(lambda: (j := _job(report.job_id)).status == JobStatus.RUNNING and 0 < j.done < j.total and j,
                 60, "the chunks are rendering (some forms done, not all)", every=0.02)
    pool = _children(main)
    assert len(pool) == 2, pool  # --concurrency 2
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    record_property("killed_at", f"{job.done}/{job.total}")
    _until(lambda: not any(_alive(pid) for pid in pool), 10, "the pool processes are dead")
    # The main process forks new pool processes in their place.
    _until(lambda: len(_children(main) - pool) == 2, 30, "two new pool processes")

    job = _finish(job.pk)
    record_property("attempts", job.attempts)
    assert job.status == JobStatus.SUCCEEDED, job.failure
    assert job.attempts in (1, 2) and job.done == job.total == 80
    _check_pdf(report, period)


@pytest.mark.celery_worker
def test_a_batch_print_whose_planner_is_killed_is_taken_over(shared_db, record_property):
    """SIGKILL the pool process while it runs the job itself (``jobs.run``), after it claimed the job.

    To catch it there: the pool processes are stopped (SIGSTOP) while the main process takes the job's
    message, writes to Redis are paused, and the pool goes on: the planner claims the job, lists the forms
    and waits at the chord it sends. Killed there, its message comes back; the job is still under the dead
    process's lease, so the task waits for the lease to run out and takes the job over: attempts 2.
    """
    main = _worker_pid()
    need("celery", settings.JOB_LEASE_SECONDS <= 10, "the worker step sets a short lease (JOB_LEASE_SECONDS)")
    root, period, actor = _world(cells=2, members=10)
    inspect = app.control.inspect(timeout=1)
    _until(lambda: not any((inspect.active() or {"-": [None]}).values()), 60, "the worker is idle", every=0.2)
    redis = Redis.from_url(shared_db)
    pool = _children(main)
    try:
        for pid in pool:
            os.kill(pid, signal.SIGSTOP)
        report = _print(root, period, actor)

        def taken() -> bool:  # received by the main process, not started by a (stopped) pool process
            reserved = inspect.reserved() or {}
            return any(t["name"] == "jobs.run" and t["args"] == [report.job_id] for ts in reserved.values() for t in ts)

        _until(taken, 15, "the worker has taken the job's message", every=0.2)
        redis.client_pause(60_000, all=False)  # writes wait, the planner's chord among them (ends by itself)
        for pid in pool:
            os.kill(pid, signal.SIGCONT)
        job = _until(lambda: (j := _job(report.job_id)).status == JobStatus.RUNNING and j.stage == "Đang dàn trang"
                     and j, 20, "the planner claimed the job and listed the forms")
        planner = int(job.worker.rsplit(":", 1)[1])
        assert planner in pool and job.attempts == 1
        os.kill(planner, signal.SIGKILL)
        _until(lambda: not _alive(planner), 10, "the planner's process is dead")
    finally:
        redis.client_unpause()
        for pid in pool:
            if _alive(pid):
                os.kill(pid, signal.SIGCONT)

    job = _finish(job.pk)
    record_property("attempts", job.attempts)
    assert job.status == JobStatus.SUCCEEDED, job.failure
    assert job.attempts == 2 and not job.worker.endswith(f":{planner}")  # taken over, by another process
    assert job.done == job.total == 20
    _check_pdf(report, period)


@pytest.mark.celery_worker
def test_a_chunk_that_fails_for_good_fails_the_job_at_once(shared_db):
    """A chunk task that fails where the chunk's own code cannot answer for it (as one stopped at its hard time
    limit, or out of retries for a database fault; here a message it cannot read): the chord's
    callback never runs; once the other chunks have returned, its errback clears the parts they wrote and fails
    the job with a reason, within seconds (not when the lease, an hour here, runs out)."""
    root, period, actor = _world(cells=1, members=4)
    ids = list(Assessment.objects.filter(period=period).exclude(kind=SubjectKind.COLLECTIVE).order_by("pk")
               .values_list("pk", flat=True))
    now = timezone.now()
    job = Job.objects.create(kind="reports.render", label="errback", params={"kind": ReportKind.FORMS},
                             status=JobStatus.RUNNING, attempts=1, total=len(ids), started_at=now,
                             lease_until=now + dt.timedelta(hours=1), requested_by=actor)
    report = Report.objects.create(job=job, kind=ReportKind.FORMS, organization=root, title="errback", fmt="pdf",
                                   params={"period": period.pk, "chunk": 2}, data_as_of=now, requested_by=actor)
    chord([batch_chunk_task.s(report.pk, 1, 0, ids[:2]),  # the second chunk's message names no report it can read
           batch_chunk_task.s("no-such-report", 1, 1, ids[2:])])(batch_callback(report.pk, 1))
    job = _until(lambda: (j := _job(job.pk)).finished and j, 60, "the job fails through the errback", every=0.2)
    assert job.status == JobStatus.FAILED and job.failure["code"] == "job_system_error"
    folder = f"reports/parts/{report.pk}/1"
    assert not default_storage.exists(folder) or default_storage.listdir(folder)[1] == []  # the first chunk's part
