"""Starting, running, finishing and reaping jobs. The work itself is the registered function of the job's kind.

A worker runs a job under a lease (``JOB_LEASE_SECONDS``) that every step of
progress renews. A worker that dies (killed, out of memory, its machine gone)
stops renewing it; the job's message comes back (``acks_late`` with
``reject_on_worker_lost``) or the reaper finds it, and once the lease has run
out another worker takes the job over from the start, up to
``JOB_MAX_ATTEMPTS`` runs in all; after that the job fails with the reason
"worker lost". A job is never left "running" with nobody running it.

The states of a job (``Job.status``) and what moves it::

      job_start (commits, then sends jobs.run)
          |
          v
     +--------+   _claim: attempts = 1, lease_until = now + JOB_LEASE_SECONDS
     | queued |---------------------------------------------------+
     +--------+                                                   |
                                                                  v
       job_progress(attempt) renews the lease ---------->  +-----------+
       job_hold / job_add_progress(attempt): chord-held    |  running  |<--+ _claim once the lease has run
                                                           +-----------+   | out (message given back, or
                                                             |    |  |     | re-sent by jobs_reap):
              job_succeed(attempt)  +------------------------+    |  +-----+ attempts + 1 (a takeover)
                                    v                             v
                             +-----------+                   +--------+
                             | succeeded |                   | failed |  job_fail(attempt): a refusal (codes),
                             +-----------+                   +--------+  a time limit, a system error;
                                                                         _claim / jobs_reap: lease out and
                                                                         attempts >= JOB_MAX_ATTEMPTS

``succeeded`` and ``failed`` are final (``Job.finished``): nothing claims,
ends or renews a finished job again (a message delivered twice finds it
finished and leaves it).

The lease (``lease_until``) is set by each claim and renewed by progress; it
is cleared when the job ends. While it runs, no other worker may take the
job: ``_claim`` answers "wait" (``Outcome.wait``) and the task looks again
when it would have run out. Once it has run out, the worker is presumed
dead.

An attempt (``attempts``) is one claimed run. Every claim starts a new one
(and resets ``done`` and ``stage``), and everything an attempt does to the
job row is scoped to it: ``job_succeed`` and ``job_fail`` with the attempt
end the job only if it is still the attempt running (``job_execute`` passes
the attempt it claimed), ``job_progress``, ``job_hold`` and
``job_add_progress`` renew only its lease. A worker presumed dead may still be
running (paused past its lease): a job function whose work is many
transactions calls ``job_check_attempt`` at the start of each, under the lock
of the rows it writes, and stops (``AttemptSuperseded``) once taken over; so a
takeover and a late attempt never both write.

A takeover runs the job's function again from the start, so each function
is idempotent per attempt: it first removes or ignores what an earlier
attempt wrote (a period's opening deletes the earlier rows under the
period's lock; a batch print clears the earlier attempts' parts and drops
the chunks they still send).

The reaper (``jobs_reap``, on beat) finds running jobs whose lease ran out
more than a lease ago and whose message did not come back: it sends
``jobs.run`` again (the next worker takes the job over) or, after
``JOB_MAX_ATTEMPTS``, fails the job "worker lost".

A fault that may pass by itself (``TRANSIENT``: the database gone for a
moment) gives the attempt back (``attempts - 1``) with the lease run out, and
the task's retry claims the job again at once, under the same number.

A job whose work is a Celery chord (a batch print, ``reports.batch``): its
function sends the chord and raises ``JobContinues``; the job stays running
with no worker of its own. The chord holds the lease (``job_hold``: as long
as a chunk may take, its hard time limit, so chunks queued behind other work
are not taken for a dead worker); each chunk renews it when it starts and
when it adds its progress. A chunk whose worker dies comes back by itself
(``reject_on_worker_lost``). The chord's callback ends the job
(``job_succeed`` with the attempt, under the job's lock); a chunk that fails
for good fails it (``job_fail`` with the attempt); a chunk or a join that
fails outside its own handling (its hard time limit, out of retries) never
reaches the callback, and the chord's errback fails the job once the other
chunks have returned. Should the lease still run out (the chord lost), the
reaper's takeover plans the job again as a new attempt. A second kind of
chord must do the same: carry the attempt in every chunk and in its
callback and errback, hold the lease with ``job_hold``, end the job only
through ``job_succeed``/``job_fail`` with the attempt, and clear what an
attempt taken over wrote.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone, translation

from common.reasons import Reason, Refused

from . import registry
from .models import Job, JobStatus

log = logging.getLogger(__name__)

# Faults that may pass by themselves: the task is retried rather than the job failed.
TRANSIENT: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


class AttemptSuperseded(Exception):  # noqa: N818  (a signal, not an error)
    """Raised by a job function that finds its attempt taken over (``job_check_attempt``): it stops, writing
    nothing more, and ends nothing; the attempt that took over runs the job to its end."""


class JobContinues(Exception):  # noqa: N818  (a signal, not an error)
    """Raised by a job function that has handed the rest of its work to other tasks (the chunks of a batch).

    The job stays running; the task that does the last of the work ends it (``job_succeed`` or ``job_fail``).
    """


@dataclass(frozen=True)
class Outcome:
    job: Job | None
    wait: float = 0  # seconds before asking again: another worker's lease still runs


def _lease() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def job_start(*, kind: str, label: str, params: dict[str, Any], actor) -> Job:
    """Record the job and queue it once the caller's transaction commits (eager runs: right then)."""
    registry.function_for(kind)  # an unknown kind fails here, not in the worker
    job = Job.objects.create(kind=kind, label=label[:300], params=params,
                             requested_by=actor if getattr(actor, "is_authenticated", False) else None)
    _queue(job.pk)
    return job


def _queue(job_id: int) -> None:
    from .tasks import job_run  # noqa: PLC0415  (tasks import this module)

    transaction.on_commit(lambda: job_run.delay(job_id))


def job_progress(job_id: int, done: int, total: int, stage: str = "", *, attempt: int | None = None) -> None:
    """Record progress and renew the lease, outside any transaction of the job's work.

    ``stage`` is a message id in the source language (``gettext_noop``), translated when shown. With
    ``attempt``, only while that attempt is the one running: an attempt taken over renews nothing.
    """
    total = max(0, total)
    fields: dict[str, Any] = {"total": total, "done": min(max(0, done), total), "lease_until": _lease()}
    if stage:
        fields["stage"] = stage[:200]
    running = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING)
    if attempt is not None:
        running = running.filter(attempts=attempt)
    running.update(**fields)


def job_check_attempt(job: Job) -> None:
    """Raise ``AttemptSuperseded`` unless ``job``'s attempt (as claimed) is still the one running.

    A job function whose work is many transactions calls it at the start of each, after locking the rows that
    work writes under (a period, for its opening): an attempt whose lease ran out while it still ran (a worker
    paused, not dead) then stops at its next transaction instead of writing beside the attempt that took over.
    """
    if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).exists():
        raise AttemptSuperseded


def _chunk_lease() -> dt.datetime:
    """While a job waits on its chunks: as long as a chunk may take (its hard time limit), so that chunks
    queued behind other work are not mistaken for a dead worker; a chunk whose worker dies comes back by
    itself (``reject_on_worker_lost``)."""
    return timezone.now() + dt.timedelta(seconds=max(settings.JOB_LEASE_SECONDS, settings.JOB_SOFT_TIME_LIMIT + 60))


def job_hold(job_id: int, attempt: int) -> None:
    """Renew the lease of a job whose work is in its chunks (sent, running, or being joined)."""
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt).update(lease_until=_chunk_lease())


def job_add_progress(job_id: int, done: int, attempt: int) -> None:
    """Add to the progress (chunks of one job finishing in any order, on any worker) and renew the lease.

    Only for the attempt running now: a chunk sent by an attempt that was taken over counts for nothing.
    """
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt).update(
        done=Least(F("done") + max(0, done), F("total")), lease_until=_chunk_lease())


def _claim(job_id: int, worker: str) -> Outcome:
    """Take the job if it is queued, or running under a lease that has run out (its worker is gone)."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return Outcome(None)
        if job.status == JobStatus.RUNNING:
            if job.lease_until and job.lease_until > now:
                return Outcome(None, wait=(job.lease_until - now).total_seconds() + 1)
            if job.attempts >= settings.JOB_MAX_ATTEMPTS:
                _fail(job, Reason("job_worker_lost", {"attempts": job.attempts}))
                return Outcome(None)
            log.warning("job %s (%s): worker %s lost, taken over by %s", job.pk, job.kind, job.worker, worker)
        job.status, job.attempts, job.worker = JobStatus.RUNNING, job.attempts + 1, worker[:200]
        job.started_at, job.lease_until, job.done, job.stage = now, _lease(), 0, ""
        job.save(update_fields=["status", "attempts", "worker", "started_at", "lease_until", "done", "stage"])
    return Outcome(job)


def _fail(job: Job, reason: Reason) -> None:
    job.status, job.failure, job.finished_at, job.lease_until = JobStatus.FAILED, reason.to_json(), timezone.now(), None
    job.save(update_fields=["status", "failure", "finished_at", "lease_until"])


def job_fail(job_id: int, reason: Reason, attempt: int | None = None) -> bool:
    """End a running job as failed (a chunk of its work failed for good, or it ran out of time); whether it did.

    With ``attempt``, only if that attempt is still the one running (not one taken over since).
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished or attempt not in (None, job.attempts):
            return False
        _fail(job, reason)
    return True


def job_succeed(job_id: int, result: dict, attempt: int | None = None) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished or attempt not in (None, job.attempts):
            return job
        job.status, job.result, job.done = JobStatus.SUCCEEDED, result, job.total
        job.finished_at, job.lease_until, job.stage = timezone.now(), None, ""
        job.save(update_fields=["status", "result", "done", "finished_at", "lease_until", "stage"])
    return job


def failure_of(error: Exception, what: str) -> Reason:
    """The reason a piece of a job's work failed for good, logged as it deserves: a refusal (the message
    shown to the person who asked), the time limit, or anything else (a system error, with its traceback)."""
    if isinstance(error, Refused):  # kept as codes: read in the language of whoever opens the job
        return Reason("job_refused", {"reasons": error.to_json()})
    if isinstance(error, ValidationError):  # a form's own error, not a service's: no code to keep
        log.warning("%s refused with a sentence, not a code: %s", what, error.messages)
        return Reason("job_system_error")
    if isinstance(error, SoftTimeLimitExceeded):
        log.warning("%s ran out of time: %s", what, error)
        return Reason("job_time_limit", {"seconds": settings.JOB_SOFT_TIME_LIMIT})
    log.error("%s failed", what, exc_info=error)
    return Reason("job_system_error")


def job_execute(job_id: int, worker: str = "") -> Outcome:
    """Run a queued job to its end.

    A job already finished is left alone (a message delivered twice); one running under another
    worker's live lease is not touched (``wait`` says when to look again).
    """
    outcome = _claim(job_id, worker or "local")
    job = outcome.job
    if job is None:
        return outcome
    try:
        # The worker's own language: stages and refusals are recorded as message ids and codes.
        with translation.override(settings.LANGUAGE_CODE):
            result = registry.function_for(job.kind)(job, partial(job_progress, job.pk, attempt=job.attempts)) or {}
    except JobContinues:
        pass  # the tasks it sent end the job
    except AttemptSuperseded:
        log.warning("job %s (%s): attempt %s was taken over; it stops", job.pk, job.kind, job.attempts)
    except TRANSIENT:
        # Let the task retry; the lease is given up so that the retry takes the job over at once
        # (if the database is down this fails too, and the lease runs out by itself).
        try:
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
                lease_until=timezone.now(), attempts=job.attempts - 1)
        except TRANSIENT:
            pass
        raise
    except Exception as error:  # the worker must record the failure, whatever it is
        job_fail(job.pk, failure_of(error, f"job {job.pk} ({job.kind})"), job.attempts)
    else:
        job_succeed(job.pk, result, job.attempts)  # an attempt taken over ends nothing
    job.refresh_from_db()
    return Outcome(job)


def jobs_reap(now: dt.datetime | None = None) -> dict[str, int]:
    """Find running jobs whose lease ran out (their worker died and no message brings them back).

    Each is queued again for another worker to take over, or failed once it has had its attempts.
    """
    now = now or timezone.now()
    grace = dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        for job in (Job.objects.select_for_update(skip_locked=True)
                    .filter(status=JobStatus.RUNNING, lease_until__lt=now - grace).order_by("pk")):
            if job.attempts >= settings.JOB_MAX_ATTEMPTS:
                _fail(job, Reason("job_worker_lost", {"attempts": job.attempts}))
                counts["failed"] += 1
            else:
                _queue(job.pk)  # the lease has run out: the next worker to see it takes it over
                counts["requeued"] += 1
    return counts
