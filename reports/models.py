"""Printed reports: one ``Report`` per request, rendered by a background job (``jobs.Job``).

The job carries the status, the progress and the failure; the report carries
what was asked (kind, scope, parameters) and what was made: the file, its page
count, its sha256, the moment its data were read ("data as of") and the
version of the templates that drew it, so that a fresh rendering can be
compared with it (``manage.py report_verify``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobs.models import Job
from organizations.models import Organization


class ReportKind(models.TextChoices):
    FORM = "form", _("Bản kiểm điểm của đảng viên")
    COLLECTIVE = "collective", _("Báo cáo kiểm điểm của tập thể (Mẫu 01)")
    FORMS = "forms", _("In hàng loạt bản kiểm điểm")
    SUMMARY = "summary", _("Báo cáo tổng hợp kết quả xếp loại")
    MINUTES = "minutes", _("Biên bản hội nghị")
    REGISTER = "register", _("Sổ theo dõi quyết định")
    NOMINATION = "nomination", _("Hồ sơ giới thiệu nhân sự")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("Một tệp PDF")
    ZIP = "zip", _("Tệp ZIP, mỗi tổ chức một PDF")


class Report(models.Model):
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="report")
    kind = models.CharField(_("Loại báo cáo"), max_length=12, choices=ReportKind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="reports",
                                     verbose_name=_("Phạm vi"))
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("Báo cáo"), max_length=300)
    fmt = models.CharField(_("Định dạng"), max_length=3, choices=ReportFormat.choices, default=ReportFormat.PDF)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="reports", verbose_name=_("Người yêu cầu"))
    created_at = models.DateTimeField(_("Yêu cầu lúc"), auto_now_add=True)
    # What was made.
    file = models.FileField(_("Tệp"), upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(_("Số trang"), default=0)
    size = models.PositiveBigIntegerField(_("Dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("Mã băm SHA-256"), max_length=64, blank=True)
    data_as_of = models.DateTimeField(_("Số liệu tính đến"), null=True, blank=True)
    template_version = models.CharField(_("Phiên bản mẫu in"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("Báo cáo in")
        verbose_name_plural = _("Báo cáo in")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="report_mine")]
        constraints = [
            models.CheckConstraint(condition=models.Q(sha256="") | models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                                   name="report_sha256_hex"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.pk}.{self.fmt}"
