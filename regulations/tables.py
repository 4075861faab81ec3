"""The catalog of documents as a table (see ``common.tables``)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData

from common.tables import ChoicesColumn, DateColumn, PortalDateFilter, PortalFilterSet, PortalTable

from .models import Citation, DocKind, DocStatus, Document


class DocumentFilter(PortalFilterSet):
    """Kind, status on a date, and text; on a past date, documents not yet issued then are not listed."""

    q = django_filters.CharFilter(method="filter_q", label=_("Số, ký hiệu hoặc trích yếu"), max_length=120)
    kind = django_filters.ChoiceFilter(choices=DocKind.choices, label=_("Loại văn bản"), empty_label=_("Mọi loại"))
    status = django_filters.ChoiceFilter(choices=DocStatus.choices, method="filter_status", label=_("Tình trạng"),
                                         empty_label=_("Mọi tình trạng"))
    on = PortalDateFilter(method="filter_on", label=_("Tại ngày"))

    class Meta:
        model = Document
        fields: list[str] = []

    @property
    def day(self):
        """The day the statuses are computed for: the one asked, or today."""
        form = self.form
        return (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value.strip()) | Q(title__icontains=value.strip()))

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value, self.day)

    def filter_on(self, queryset, name, value):
        # A catalog "as on" a past day lists what had been issued by then.
        return queryset.filter(Q(issue_date__isnull=True) | Q(issue_date__lte=value))


class DocumentTable(PortalTable):
    code = tables.Column(verbose_name=_("Số, ký hiệu"), linkify=True)
    title = tables.Column(verbose_name=_("Trích yếu"))
    kind = ChoicesColumn(DocKind.choices, verbose_name=_("Loại"))
    issue_date = DateColumn(verbose_name=_("Ngày ban hành"))
    status = tables.Column(verbose_name=_("Tình trạng"), empty_values=(), orderable=False)
    links = tables.Column(verbose_name=_("Thay thế / được thay thế"), empty_values=(), orderable=False)

    class Meta(PortalTable.Meta):
        model = Document
        fields = ("code", "title", "kind", "issue_date", "status", "links")
        empty_text = _("Không có văn bản nào.")

    def __init__(self, *args, on, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.on = on

    def render_status(self, record) -> str:
        return record.status_label_on(self.on)

    def value_status(self, record) -> str:
        return str(record.status_label_on(self.on))

    def render_links(self, record):
        parts = [(_("thay thế"), r.get_absolute_url(), r.code) for r in record.replaces.all()]
        parts += [(_("thay bởi"), r.get_absolute_url(), r.code) for r in record.replaced_by.all()]
        return format_html_join(" ", '{} <a href="{}">{}</a>', parts) if parts else "—"

    def value_links(self, record) -> str:
        return "; ".join([f"thay thế {r.code}" for r in record.replaces.all()]
                         + [f"thay bởi {r.code}" for r in record.replaced_by.all()])


class CitedByTable(PortalTable):
    """What cites a provision, among the records the reader may see."""

    label = tables.Column(verbose_name=_("Nội dung trích dẫn điều khoản này"), order_by=("label", "pk"))
    kind = tables.Column(verbose_name=_("Loại"), accessor="content_type", orderable=False)

    class Meta(PortalTable.Meta):
        model = Citation
        fields = ("label", "kind")
        empty_text = _("Chưa có nội dung nào trích dẫn điều khoản này.")

    def render_label(self, record):
        return format_html('<a href="{}">{}</a>', record.url, record.label) if record.url else record.label

    def value_label(self, record) -> str:
        return record.label

    def render_kind(self, value) -> str:
        return str(value.model_class()._meta.verbose_name) if value.model_class() else value.model


class HitData(TableListData):
    """Search hits in rank order, loaded a page at a time (``selectors.Hits``), never all at once."""

    def __init__(self, hits) -> None:
        self.data = hits

    def order_by(self, aliases) -> None:
        """The order is the ranking: a ``?sort=`` from the address, known or not, is ignored (django-tables2
        calls this even with no valid column, and the hits are not a list to sort)."""


class SearchHitTable(PortalTable):
    """Search results, best first: the order is the ranking, so the columns do not sort."""

    citation = tables.Column(verbose_name=_("Điều khoản"), empty_values=(), orderable=False)
    snippet = tables.Column(verbose_name=_("Trích đoạn"), empty_values=(), orderable=False)

    class Meta(PortalTable.Meta):
        orderable = False
        empty_text = _("Không tìm thấy điều khoản nào.")

    def render_citation(self, record):
        return format_html('<a class="fw-bold" href="{}">{}</a>', record.get_absolute_url(), record.citation)

    def value_citation(self, record) -> str:
        return str(record.citation)

    def render_snippet(self, record):
        return format_html('<span class="small">{}</span>', record.snippet)

    def value_snippet(self, record) -> str:
        from django.utils.html import strip_tags

        return strip_tags(str(record.snippet))
