"""The Celery tasks of batch printing: render one chunk, join the chunks (the chord's callback), fail the
job when a chunk or the join failed for good (the chord's errback).

Like ``jobs.run``: acknowledged late and given back when their worker dies
(a chunk is rendered again, over what it wrote before), bounded by the soft
and hard time limits, retried on transient database faults.

The errback is called old-style, with the id of the chord's callback before
its own arguments: Celery (5.7) looks at the arguments the task still lacks
once the signature's are given, one here (tests/reports/test_batch.py calls
it as the result backend does).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from jobs.services import TRANSIENT

from .batch import batch_chunk, batch_failed, batch_finish

LIMITS = {"acks_late": True, "reject_on_worker_lost": True, "soft_time_limit": settings.JOB_SOFT_TIME_LIMIT,
          "time_limit": settings.JOB_SOFT_TIME_LIMIT + 60, "autoretry_for": TRANSIENT, "retry_backoff": 5,
          "retry_backoff_max": 120, "max_retries": 5}


@shared_task(name="reports.batch_chunk", **LIMITS)
def batch_chunk_task(report_id: int, attempt: int, index: int, ids: list[int]) -> list[list] | None:
    return batch_chunk(report_id, attempt, index, ids)


@shared_task(name="reports.batch_finish", **LIMITS)
def batch_finish_task(results: list, report_id: int, attempt: int) -> None:
    batch_finish(results, report_id, attempt)


@shared_task(name="reports.batch_failed", **{**LIMITS, "max_retries": 10})
def batch_failed_task(callback_id: str, report_id: int, attempt: int) -> None:
    batch_failed(report_id, attempt, callback_id)
