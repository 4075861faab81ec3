"""Long work done by a Celery worker, followed on a page with a progress bar.

Opening an assessment period for a province and rendering a batch of reports
are both jobs: the page that starts them creates a ``Job`` and sends the
reader to its page, which polls the progress with htmx until the job has
finished and then links to what it made. A kind of job is a function that an
app registers (``jobs.registry``); the job records who asked, how far it has
got and how it ended.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.reasons import Reason


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Không thành công")


class Job(models.Model):
    kind = models.CharField(_("Loại công việc"), max_length=60)
    label = models.CharField(_("Công việc"), max_length=300)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED, db_index=True)
    done = models.PositiveIntegerField(_("Đã làm"), default=0)
    total = models.PositiveIntegerField(_("Tổng số"), default=0)
    # The stage in the source language (a message id), translated when shown.
    stage = models.CharField(_("Bước"), max_length=200, blank=True)
    # What the job made: {"url": ..., "label": ...} and any figures worth showing.
    result = models.JSONField(default=dict, blank=True)
    # Why it failed, as a reason code and parameters (``common.reasons``), read in the reader's language.
    failure = models.JSONField(default=dict, blank=True)
    # Who runs it: a worker holds a lease it renews with each step of progress. A running job
    # whose lease has run out lost its worker: it is taken over (up to JOB_MAX_ATTEMPTS) or failed.
    attempts = models.PositiveSmallIntegerField(_("Số lần chạy"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(_("Tiến trình"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="jobs", verbose_name=_("Người yêu cầu"))
    created_at = models.DateTimeField(_("Yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Công việc chạy nền")
        verbose_name_plural = _("Công việc chạy nền")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                                   name="job_done_within_total"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("jobs:job", args=[self.pk])

    @property
    def error(self) -> str:
        """The failure in the active language ("" when it has not failed)."""
        return Reason.from_json(self.failure).message if self.failure else ""

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
