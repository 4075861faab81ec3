"""The filters of the personnel registers and of the nominator's record (see ``common.tables``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.tables import PortalDateFilter, PortalFilterSet

from .models import EntryKind, Nomination, NominationKind, NominationState, ResponsibilityEntry, Source


class NominationFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=NominationKind.choices, label=_("Loại"), empty_label=_("Tất cả"))
    state = django_filters.ChoiceFilter(choices=NominationState.choices, label=_("Trạng thái"),
                                        empty_label=_("Tất cả"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Nguồn nhân sự"), empty_label=_("Tất cả"))
    organization = django_filters.CharFilter(method="filter_organization", label=_("Tổ chức"), max_length=120)
    date_from = PortalDateFilter(field_name="introduced_on", lookup_expr="gte", label=_("Giới thiệu từ ngày"))
    date_to = PortalDateFilter(field_name="introduced_on", lookup_expr="lte", label=_("Đến ngày"))
    q = django_filters.CharFilter(method="filter_name", label=_("Họ tên"), max_length=120)

    class Meta:
        model = Nomination
        fields: list[str] = []

    def filter_organization(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(organization__name__icontains=value) | Q(target__name__icontains=value))

    def filter_name(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(nominee__full_name__icontains=value) | Q(nominator__full_name__icontains=value))


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class RecordFilter(PortalFilterSet):
    """The nominator's record, event by event: by the nomination's kind and state, the event, the year."""

    kind = django_filters.ChoiceFilter(field_name="nomination__kind", choices=NominationKind.choices,
                                       label=_("Loại"), empty_label=_("Tất cả"))
    state = django_filters.ChoiceFilter(field_name="nomination__state", choices=NominationState.choices,
                                        label=_("Trạng thái"), empty_label=_("Tất cả"))
    event = django_filters.ChoiceFilter(field_name="kind", choices=EntryKind.choices, label=_("Sự kiện"),
                                        empty_label=_("Tất cả"))
    year = YearFilter(field_name="occurred_on", lookup_expr="year", label=_("Năm"),
                                       min_value=1900, max_value=2199)

    class Meta:
        model = ResponsibilityEntry
        fields: list[str] = []
