"""The planning register of an organization's subtree, and the rows of an import's preview (``common.tables``)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.tables import DateColumn, PortalFilterSet, PortalTable
from organizations import access
from organizations.models import Organization, Person, Position

from .models import PlanningEntry

STANDING, REMOVED, ALL = "standing", "removed", "all"


def register_rows(organization: Organization, user) -> QuerySet[PlanningEntry]:
    """Every entry of ``organization``'s subtree with what a row shows, and whether ``user`` may open the
    person's page (one subquery: no query per row)."""
    reachable = access.people_for(user).filter(pk=OuterRef("person_id"))
    return (PlanningEntry.objects.in_subtree(organization)
            .select_related("person", "position", "organization", "added_by", "removed_by")
            .annotate(person_reachable=Exists(reachable)))


class PlanningFilter(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Họ tên hoặc số thẻ"), max_length=120,
                                  widget=forms.TextInput(attrs={"type": "search"}))
    term = django_filters.ChoiceFilter(label=_("Nhiệm kỳ"), empty_label=_("Tất cả"))
    position = django_filters.ModelChoiceFilter(label=_("Chức danh"), queryset=Position.objects.none(),
                                                empty_label=_("Tất cả"))
    organization = django_filters.ModelChoiceFilter(label=_("Tổ chức"), queryset=Organization.objects.none(),
                                                    empty_label=_("Tất cả"))
    state = django_filters.ChoiceFilter(method="filter_state", label=_("Tình trạng"), empty_label=None,
                                        choices=[(STANDING, _("Đang trong quy hoạch")),
                                                 (REMOVED, _("Đã đưa ra khỏi quy hoạch")), (ALL, _("Tất cả"))])

    class Meta:
        model = PlanningEntry
        fields: list[str] = []

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The choices are what the subtree's entries hold: three small queries, whatever the number of rows.
        here = PlanningEntry.objects.in_subtree(organization)
        self.filters["term"].extra["choices"] = [
            (t, t) for t in here.order_by("-term").values_list("term", flat=True).distinct()]
        self.filters["position"].queryset = Position.objects.filter(
            pk__in=here.values("position_id")).order_by("rank", "title")
        self.filters["organization"].queryset = Organization.objects.filter(
            pk__in=here.values("organization_id")).order_by("path")

    def filter_q(self, queryset, name, value):
        return queryset.filter(person__in=Person.objects.search(value))

    def filter_state(self, queryset, name, value):
        if value == STANDING:
            return queryset.filter(removed_on__isnull=True)
        if value == REMOVED:
            return queryset.filter(removed_on__isnull=False)
        return queryset


class PlanningTable(PortalTable):
    person = tables.Column(verbose_name=_("Họ và tên"), accessor="person__full_name",
                           order_by=("person__sort_name", "person_id"))
    card_number = tables.Column(verbose_name=_("Số thẻ đảng viên"), accessor="person__card_number", default="")
    position = tables.Column(verbose_name=_("Chức danh quy hoạch"), accessor="position__title",
                             order_by=("position__rank", "position__title"))
    organization = tables.Column(verbose_name=_("Tổ chức"), accessor="organization__name",
                                 order_by=("organization__path",))
    term = tables.Column(verbose_name=_("Nhiệm kỳ"))
    added_ref = tables.Column(verbose_name=_("Số quyết định"))
    added_on = DateColumn(verbose_name=_("Ngày quyết định"))
    added_by = tables.Column(verbose_name=_("Cấp phê duyệt"), accessor="added_by__name",
                             order_by=("added_by__path",))
    state = tables.Column(verbose_name=_("Tình trạng"), accessor="removed_on", empty_values=(),
                          order_by=("removed_on",))
    removed_ref = tables.Column(verbose_name=_("Quyết định đưa ra"), default="")
    removed_by = tables.Column(verbose_name=_("Cấp quyết định đưa ra"), accessor="removed_by__name", default="",
                               order_by=("removed_by__path",))
    removal_reason = tables.Column(verbose_name=_("Lý do đưa ra"), default="",
                                   attrs={"td": {"class": "text-break"}})
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(PortalTable.Meta):
        model = PlanningEntry
        fields = ("person", "card_number", "position", "organization", "term", "added_ref", "added_on",
                  "added_by", "state", "removed_ref", "removed_by", "removal_reason", "actions")
        empty_text = _("Chưa có cán bộ nào trong quy hoạch khớp bộ lọc.")

    def __init__(self, *args, manage_paths: list[str] | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.manage_paths = manage_paths  # where the reader may remove an entry (None: everywhere)

    def render_person(self, value, record) -> str:
        # A link only for a reader who may open the person's page (annotated with the rows).
        if record.person_reachable:
            return format_html('<a href="{}">{}</a>', record.person.get_absolute_url(), value)
        return value

    def value_person(self, value) -> str:
        return value

    def _state(self, record) -> str:
        if record.removed_on is None:
            return str(_("Đang trong quy hoạch"))
        return str(_("Đưa ra ngày %(d)s")) % {"d": date_format(record.removed_on, "SHORT_DATE_FORMAT")}

    def render_state(self, record) -> str:
        return self._state(record)

    def value_state(self, record) -> str:
        return self._state(record)

    def render_actions(self, record) -> str:
        paths = self.manage_paths
        if record.removed_on is not None or not (
                paths is None or any(record.organization.path.startswith(p) for p in paths)):
            return ""
        return format_html('<a class="btn btn-outline-secondary btn-sm" href="{}">{}</a>',
                           reverse("personnel:planning_remove", args=[record.pk]), _("Đưa ra khỏi quy hoạch"))


class ImportRowTable(PortalTable):
    """The rows of an uploaded planning list as they will be written."""

    row = tables.Column(verbose_name=_("Dòng"))
    card = tables.Column(verbose_name=_("Số thẻ đảng viên"), default="")
    person = tables.Column(verbose_name=_("Họ và tên"), default="—", attrs={"td": {"class": "text-break"}})
    position = tables.Column(verbose_name=_("Chức danh quy hoạch"), default="—")
    term = tables.Column(verbose_name=_("Nhiệm kỳ"), default="")
    ref = tables.Column(verbose_name=_("Số quyết định"), default="")
    day = DateColumn(verbose_name=_("Ngày quyết định"))
    decider = tables.Column(verbose_name=_("Cấp phê duyệt"), default="—")

    class Meta(PortalTable.Meta):
        orderable = False
        empty_text = _("Không có dòng dữ liệu nào.")

    def render_person(self, value) -> str:
        return value.full_name

    def value_person(self, value) -> str:
        return value.full_name if value else ""

    def value_position(self, value) -> str:
        return str(value) if value else ""

    def value_decider(self, value) -> str:
        return str(value) if value else ""
