"""A job's page and its progress bar (polled by htmx until the job ends)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from common.ids import parse_pk

from .models import Job


def get_job_for(request: HttpRequest, pk) -> Job:
    """The person who asked for a job follows it (and a superuser); for anyone else it does not exist."""
    pk = parse_pk(str(pk))  # an id past the integer range is no id
    jobs = Job.objects.all()
    if not request.user.is_superuser:
        jobs = jobs.filter(requested_by=request.user)
    job = jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/job.html", {"job": get_job_for(request, pk)})


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/_progress.html", {"job": get_job_for(request, pk)})
