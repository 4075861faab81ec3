"""The lists of the review: periods, subordinate organizations, flagged cases, peer groups, a cell's people."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.tables import (
    ChoicesColumn,
    DateColumn,
    PortalBooleanFilter,
    PortalDateFilter,
    PortalFilterSet,
    PortalTable,
)

from .choices import Level, Step, SubjectKind
from .models import Assessment, Period, PeriodStatus, Reminder


class PeriodTable(PortalTable):
    title = tables.Column(verbose_name=_("Kỳ"), accessor="year", order_by=("year", "quarter"), linkify=True)
    organization = tables.Column(verbose_name=_("Phạm vi"), accessor="organization__name")
    scheme = ChoicesColumn(Period._meta.get_field("scheme").choices, verbose_name=_("Quy định"))
    status = ChoicesColumn(PeriodStatus.choices, verbose_name=_("Trạng thái"))
    subjects = tables.Column(verbose_name=_("Số đối tượng"), attrs={"td": {"class": "text-end"}})
    decision_by = DateColumn(verbose_name=_("Hạn quyết định"))

    class Meta(PortalTable.Meta):
        empty_text = _("Chưa có kỳ đánh giá nào.")

    def render_title(self, record) -> str:
        return record.title

    def value_title(self, record) -> str:
        return record.title


class ChildTable(PortalTable):
    """One row per subordinate organization: progress, levels, lateness; links down."""

    name = tables.Column(verbose_name=_("Tổ chức"), orderable=False)
    total = tables.Column(verbose_name=_("Số đối tượng"), orderable=False, attrs={"td": {"class": "text-end"}})
    decided = tables.Column(verbose_name=_("Đã quyết định"), orderable=False, attrs={"td": {"class": "text-end"}})
    excellent = tables.Column(verbose_name=_("Xuất sắc"), orderable=False, attrs={"td": {"class": "text-end"}})
    good = tables.Column(verbose_name=_("Tốt"), orderable=False, attrs={"td": {"class": "text-end"}})
    completed = tables.Column(verbose_name=_("Hoàn thành"), orderable=False, attrs={"td": {"class": "text-end"}})
    not_completed = tables.Column(verbose_name=_("Không hoàn thành"), orderable=False,
                                  attrs={"td": {"class": "text-end"}})
    late = tables.Column(verbose_name=_("Chậm so với hạn"), orderable=False)

    class Meta(PortalTable.Meta):
        empty_text = _("Không có tổ chức trực thuộc.")

    def __init__(self, *args, paginated_here: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.paginated_here = paginated_here

    def render_name(self, record) -> str:
        return format_html('<a href="{}" data-testid="drill">{}</a>', record["url"], record["name"])

    def value_name(self, record) -> str:
        return record["name"]

    def render_late(self, record) -> str:
        if not record["late"]:
            return "—"
        return format_html('<span class="badge text-bg-danger" data-testid="late">{}</span>', record["late"])


class FlaggedTable(PortalTable):
    subject = tables.Column(verbose_name=_("Đối tượng"), accessor="pk", orderable=False)
    organization = tables.Column(verbose_name=_("Tổ chức"), accessor="organization__name")
    kind = ChoicesColumn(SubjectKind.choices, verbose_name=_("Loại"))
    level = ChoicesColumn(Level.choices, verbose_name=_("Xếp loại"))
    ceiling = ChoicesColumn(Level.choices, verbose_name=_("Mức cho phép"))
    flags = tables.Column(verbose_name=_("Cần xem xét"), accessor="pk", orderable=False)

    class Meta(PortalTable.Meta):
        empty_text = _("Không có trường hợp cần xem xét.")

    def render_subject(self, record) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.subject)

    def value_subject(self, record) -> str:
        return record.subject

    def _flags(self, record) -> list[str]:
        names = []
        for flag in ("flag_quota", "flag_cap_override", "flag_head_above", "flag_twice"):
            if getattr(record, flag):
                names.append(str(Assessment._meta.get_field(flag).verbose_name))
        return names

    def render_flags(self, record) -> str:
        return "; ".join(self._flags(record))

    def value_flags(self, record) -> str:
        return "; ".join(self._flags(record))


class PeerGroupTable(PortalTable):
    name = tables.Column(verbose_name=_("Nhóm"))
    size = tables.Column(verbose_name=_("Số đối tượng"), attrs={"td": {"class": "text-end"}})
    good = tables.Column(verbose_name=_("Hoàn thành tốt"), attrs={"td": {"class": "text-end"}})
    excellent = tables.Column(verbose_name=_("Hoàn thành xuất sắc"), attrs={"td": {"class": "text-end"}})
    allowed = tables.Column(verbose_name=_("Tối đa được xuất sắc"), accessor="pk", orderable=False,
                            attrs={"td": {"class": "text-end"}})

    class Meta(PortalTable.Meta):
        empty_text = _("Không có nhóm nào vượt tỷ lệ.")

    def __init__(self, *args, period: Period, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.period = period

    def render_allowed(self, record) -> int:
        from .rules import quota_max_excellent

        return quota_max_excellent(record.good, self.period.quota_share, self.period.quota_rounding)

    def value_allowed(self, record) -> int:
        return self.render_allowed(record)


class SubjectTable(PortalTable):
    """The people and the collective of one organization in a period (the bottom of the drill-down)."""

    subject = tables.Column(verbose_name=_("Đối tượng"), accessor="pk", orderable=False)
    kind = ChoicesColumn(SubjectKind.choices, verbose_name=_("Loại"))
    state = ChoicesColumn(Step.choices, verbose_name=_("Bước"))
    review_level = ChoicesColumn(Level.choices, verbose_name=_("Hội nghị đề xuất"))
    level = ChoicesColumn(Level.choices, verbose_name=_("Xếp loại"))

    class Meta(PortalTable.Meta):
        empty_text = _("Không có đối tượng.")

    def render_subject(self, record) -> str:
        return format_html('<a href="{}" data-testid="subject">{}</a>', record.get_absolute_url(), record.subject)

    def value_subject(self, record) -> str:
        return record.subject


class MyResultTable(PortalTable):
    period = tables.Column(verbose_name=_("Kỳ"), accessor="period__year", orderable=False)
    organization = tables.Column(verbose_name=_("Tổ chức"), accessor="organization__name", orderable=False)
    level = ChoicesColumn(Level.choices, verbose_name=_("Xếp loại"), orderable=False)
    state = ChoicesColumn(Step.choices, verbose_name=_("Trạng thái"), orderable=False)

    class Meta(PortalTable.Meta):
        empty_text = _("Chưa có kết quả nào được thông báo.")

    def render_period(self, record) -> str:
        return format_html('<a href="{}">{}</a>', reverse("assessments:assessment", args=[record.pk]),
                           record.period.title)

    def value_period(self, record) -> str:
        return record.period.title



class ReminderFilter(PortalFilterSet):
    sent_on = PortalDateFilter(label=_("Ngày nhắc"))
    step = django_filters.ChoiceFilter(choices=Step.choices, label=_("Bước"), empty_label=_("Tất cả"))
    late = PortalBooleanFilter(label=_("Đã quá hạn"), yes=_("Quá hạn"), no=_("Sắp đến hạn"))

    class Meta:
        model = Reminder
        fields = ["sent_on", "step", "late"]


class ReminderTable(PortalTable):
    """The reminders the portal sent about a period's deadlines: which organization, which step, how many left."""

    sent_on = DateColumn(verbose_name=_("Ngày nhắc"))
    organization = tables.Column(verbose_name=_("Tổ chức"), accessor="organization__name",
                                 order_by=("organization__path",))
    step = ChoicesColumn(Step.choices, verbose_name=_("Bước"))
    pending = tables.Column(verbose_name=_("Số chưa xong"), attrs={"td": {"class": "text-end"}})
    deadline = DateColumn(verbose_name=_("Hạn"))
    late = tables.BooleanColumn(verbose_name=_("Đã quá hạn"), yesno=(_("Quá hạn"), _("Sắp đến hạn")))

    class Meta(PortalTable.Meta):
        empty_text = _("Không có nhắc việc nào.")
        row_attrs = {"data-late": lambda record: "1" if record.late else "0"}
