"""The one Celery task of jobs: run a job by its id."""

from celery import shared_task

from .services import job_execute


@shared_task(name="jobs.run")
def job_run(job_id: int) -> str | None:
    job = job_execute(job_id)
    return job.status if job else None
