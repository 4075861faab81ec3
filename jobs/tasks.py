"""The Celery tasks of jobs: run a job by its id, and reap jobs whose worker died.

``acks_late`` with ``reject_on_worker_lost``: the message is acknowledged
only when the task has ended, and given back to the broker when the worker
process running it dies, so another worker takes the job over (see
``jobs.services``). Soft and hard time limits bound a job; the memory cap
of a worker child is ``CELERY_WORKER_MAX_MEMORY_PER_CHILD``.
"""

from __future__ import annotations

import os

from celery import shared_task
from django.conf import settings

from .services import TRANSIENT, job_execute, jobs_reap


@shared_task(name="jobs.run", bind=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.JOB_SOFT_TIME_LIMIT, time_limit=settings.JOB_SOFT_TIME_LIMIT + 60,
             autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=120, max_retries=5)
def job_run(self, job_id: int) -> str | None:
    outcome = job_execute(job_id, worker=f"{self.request.hostname or 'local'}:{os.getpid()}")
    if outcome.wait:  # another worker's lease still runs: look again when it would have run out
        raise self.retry(countdown=outcome.wait)
    return outcome.job.status if outcome.job else None


@shared_task(name="jobs.reap")
def jobs_reap_task() -> dict[str, int]:
    return jobs_reap()
