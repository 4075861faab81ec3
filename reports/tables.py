"""The register of reports: mine, sortable, filtered, exported."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.tables import ChoicesColumn, PortalTable
from jobs.models import JobStatus

from .models import Report, ReportKind


class ReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("Loại báo cáo"),
                                       empty_label=_("Tất cả"))
    status = django_filters.ChoiceFilter(field_name="job__status", choices=JobStatus.choices,
                                         label=_("Trạng thái"), empty_label=_("Tất cả"))

    class Meta:
        model = Report
        fields = ["kind", "status"]


class ReportTable(PortalTable):
    created_at = tables.DateTimeColumn(verbose_name=_("Yêu cầu lúc"), format="SHORT_DATETIME_FORMAT")
    title = tables.Column(verbose_name=_("Báo cáo"), linkify=True)
    kind = ChoicesColumn(ReportKind.choices, verbose_name=_("Loại báo cáo"))
    organization = tables.Column(verbose_name=_("Phạm vi"), accessor="organization__name")
    status = ChoicesColumn(JobStatus.choices, verbose_name=_("Trạng thái"), accessor="job__status")
    pages = tables.Column(verbose_name=_("Số trang"), attrs={"td": {"class": "text-end"}})
    sha = tables.Column(verbose_name=_("Mã"), accessor="sha256", orderable=False)

    class Meta(PortalTable.Meta):
        model = Report
        fields = ["created_at", "title", "kind", "organization", "status", "pages", "sha"]
        empty_text = _("Anh/chị chưa yêu cầu báo cáo nào.")

    def render_sha(self, value) -> str:
        return value[:12]
