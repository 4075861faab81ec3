"""The registers of meetings and decisions: tables and their filters (see ``common.tables``)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.tables import ChoicesColumn, DateColumn, DatedFilterSet, PortalTable
from organizations.models import BodyKind, today

from .models import Decision, DecisionKind, DecisionStatus, Field, Meeting, MeetingStatus

# --- meetings -------------------------------------------------------------------------


class MeetingFilter(DatedFilterSet):
    body = django_filters.ChoiceFilter(field_name="body__kind", choices=BodyKind.choices,
                                       label=_("Cơ quan lãnh đạo"), empty_label=_("Tất cả"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Biên bản"),
                                         empty_label=_("Tất cả"))
    organization = django_filters.CharFilter(field_name="body__organization__name", lookup_expr="icontains",
                                             label=_("Tổ chức"), max_length=120)
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Tên hội nghị"),
                                  max_length=120)

    class Meta:
        model = Meeting
        fields: list[str] = []


class MeetingTable(PortalTable):
    date = DateColumn(verbose_name=_("Ngày họp"))
    title = tables.Column(verbose_name=_("Tên hội nghị"), linkify=True)
    organization = tables.Column(verbose_name=_("Tổ chức"), accessor="body__organization__name")
    body = ChoicesColumn(BodyKind.choices, verbose_name=_("Cơ quan"), accessor="body__kind")
    decisions = tables.Column(verbose_name=_("Số quyết định"), accessor="n_decisions",
                              attrs={"td": {"class": "text-end"}})
    status = ChoicesColumn(MeetingStatus.choices, verbose_name=_("Biên bản"))

    class Meta(PortalTable.Meta):
        model = Meeting
        fields = ("date", "title", "organization", "body", "decisions", "status")
        order_by = ("-date",)

    def render_status(self, record, column):
        badge = "success" if record.status == MeetingStatus.APPROVED else "secondary"
        return format_html('<span class="badge text-bg-{}">{}</span>', badge, column.label(record.status))

    def value_status(self, record, column) -> str:
        return column.label(record.status)


# --- decisions ------------------------------------------------------------------------

CORRECTED = "corrected"
REPORT_CHOICES = [("pending", _("Chờ báo cáo")), ("overdue", _("Quá hạn báo cáo")), ("done", _("Đã báo cáo"))]
STATUS_CHOICES = [*DecisionStatus.choices, (CORRECTED, _("Đã được đính chính"))]


class DecisionFilter(DatedFilterSet):
    kind = django_filters.ChoiceFilter(choices=DecisionKind.choices, label=_("Thẩm quyền"),
                                       empty_label=_("Tất cả"))
    body = django_filters.ChoiceFilter(field_name="meeting__body__kind", choices=BodyKind.choices,
                                       label=_("Cơ quan lãnh đạo"), empty_label=_("Tất cả"))
    field = django_filters.ChoiceFilter(field_name="matter__field", choices=Field.choices, label=_("Lĩnh vực"),
                                        empty_label=_("Tất cả"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label=_("Tình trạng"),
                                         empty_label=_("Tất cả"))
    matter = django_filters.CharFilter(method="filter_matter", label=_("Vấn đề (mã hoặc tên)"), max_length=120)
    report = django_filters.ChoiceFilter(choices=REPORT_CHOICES, method="filter_report", label=_("Báo cáo tập thể"),
                                         empty_label=_("Tất cả"))
    organization = django_filters.CharFilter(field_name="organization__name", lookup_expr="icontains",
                                             label=_("Tổ chức"), max_length=120)
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Nội dung"),
                                  max_length=120)

    class Meta:
        model = Decision
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        if value == CORRECTED:
            return queryset.filter(Exists(Decision.objects.filter(corrects=OuterRef("pk"))))
        return queryset.filter(status=value)

    def filter_report(self, queryset, name, value):
        """A head's own decision and its report to the collective (Regulation 377 / the working regulation)."""
        pending = queryset.filter(report_due__isnull=False, reported_on__isnull=True)
        if value == "pending":
            return pending
        if value == "overdue":
            return pending.filter(report_due__lt=today())
        return queryset.filter(reported_on__isnull=False)

    def filter_matter(self, queryset, name, value):
        return queryset.filter(Q(matter__code__iexact=value.strip()) | Q(matter__title__icontains=value.strip()))


class DecisionTable(PortalTable):
    date = DateColumn(verbose_name=_("Ngày"))
    title = tables.Column(verbose_name=_("Nội dung quyết định"), linkify=True)
    organization = tables.Column(verbose_name=_("Tổ chức"), accessor="organization__name")
    matter = tables.Column(verbose_name=_("Vấn đề"), accessor="matter__code")
    field = ChoicesColumn(Field.choices, verbose_name=_("Lĩnh vực"), accessor="matter__field")
    kind = ChoicesColumn(DecisionKind.choices, verbose_name=_("Thẩm quyền"))
    votes = tables.Column(verbose_name=_("Biểu quyết (tán thành/không/không biểu quyết)"), empty_values=(),
                          orderable=False)
    signatory = tables.Column(verbose_name=_("Người ký"), accessor="signatory__full_name")
    status = ChoicesColumn(DecisionStatus.choices, verbose_name=_("Tình trạng"))

    class Meta(PortalTable.Meta):
        model = Decision
        fields = ("date", "title", "organization", "matter", "field", "kind", "votes", "signatory", "status")
        order_by = ("-date",)

    def render_matter(self, record) -> str:
        return f"{record.matter.code} — {record.matter.title}"

    def value_matter(self, record) -> str:
        return self.render_matter(record)

    def render_votes(self, record) -> str:
        if record.kind != DecisionKind.COLLECTIVE:
            return "—"
        return f"{record.votes_for}/{record.votes_against}/{record.abstaining}"

    def value_votes(self, record) -> str:
        return self.render_votes(record)

    def _status_text(self, record, column) -> str:
        text = column.label(record.status)
        return f"{text}; {_('đã được đính chính')}" if record.corrected else text

    def render_status(self, record, column):
        badge = {DecisionStatus.VALID: "success", DecisionStatus.IRREGULAR: "danger"}.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', badge, self._status_text(record, column))

    def value_status(self, record, column) -> str:
        return self._status_text(record, column)


class IrregularTable(DecisionTable):
    """The inspection queue: the register's columns and, for each decision, why it is irregular."""

    reasons = tables.Column(verbose_name=_("Lý do"), empty_values=(), orderable=False)

    class Meta(DecisionTable.Meta):
        fields = ("date", "title", "organization", "matter", "kind", "votes", "reasons", "status")

    def _reasons(self, record) -> list[str]:
        from regulations.templatetags.citations import reasons

        return [f"{r.message} ({r.citation})" if r.citation else r.message for r in reasons(record.reasons)]

    def render_reasons(self, record):
        from django.utils.html import format_html_join

        return format_html_join("", '<div class="small">{}</div>', ((t,) for t in self._reasons(record)))

    def value_reasons(self, record) -> str:
        return "; ".join(self._reasons(record))
