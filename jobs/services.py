"""Starting and running jobs. The work itself is the registered function of the job's kind."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import Job, JobStatus

log = logging.getLogger(__name__)


def job_start(*, kind: str, label: str, params: dict[str, Any], actor) -> Job:
    """Record the job and queue it once the caller's transaction commits (eager runs: right then)."""
    registry.function_for(kind)  # an unknown kind fails here, not in the worker
    job = Job.objects.create(kind=kind, label=label[:300], params=params,
                             requested_by=actor if getattr(actor, "is_authenticated", False) else None)
    from .tasks import job_run  # noqa: PLC0415  (tasks import this module)

    transaction.on_commit(lambda: job_run.delay(job.pk))
    return job


def _progress(job: Job):
    def progress(done: int, total: int, stage: str = "") -> None:
        done, total = max(0, done), max(0, total)
        job.done, job.total, job.stage = min(done, total) if total else 0, total, stage[:200]
        # Outside any transaction of the job: the page polling it sees each step.
        Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, stage=job.stage)
    return progress


def job_execute(job_id: int) -> Job | None:
    """Run a queued job to its end; a job already started (a redelivered message) is left alone."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return job
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    try:
        result = registry.function_for(job.kind)(job, _progress(job)) or {}
    except ValidationError as error:
        job.status, job.error = JobStatus.FAILED, " ".join(error.messages)
    except Exception:  # the worker must record the failure, whatever it is
        log.exception("job %s (%s) failed", job.pk, job.kind)
        job.status, job.error = JobStatus.FAILED, _("Lỗi hệ thống; lỗi đã được ghi lại để bộ phận kỹ thuật xử lý.")
    else:
        job.status, job.result = JobStatus.DONE, result
        job.done = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "result", "done", "finished_at"])
    return job
