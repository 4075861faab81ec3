"""Lists of people: the person search and an organization's members (see ``common.tables``)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from common.tables import ChoicesColumn, PortalFilterSet, PortalTable
from common.text import fold

from .models import Membership, Person, PersonStatus, today

# --- person search ---------------------------------------------------------------------


class PersonFilter(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Họ tên hoặc số thẻ"), max_length=120,
                                  widget=forms.TextInput(attrs={"type": "search", "autofocus": True}))
    status = django_filters.ChoiceFilter(choices=PersonStatus.choices, label=_("Tình trạng"),
                                         empty_label=_("Tất cả"))

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        """Every word in the name (diacritics ignored) or the card; the whole name or card exactly, first."""
        exact = Q(search_name=fold(value)) | Q(card_number=value.strip())
        return (queryset.search(value)
                .annotate(exact=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField()))
                .order_by("exact", "sort_name", "pk"))


def with_current_cell(people):
    """People with the name of the cell they belong to today (one subquery, no query per row)."""
    current = Membership.objects.active_on(today()).filter(person=OuterRef("pk")).order_by("-start")
    return people.annotate(cell=Subquery(current.values("organization__name")[:1]))


class PersonTable(PortalTable):
    full_name = tables.Column(verbose_name=_("Họ và tên"), linkify=True, order_by=("sort_name", "pk"))
    birth_year = tables.Column(verbose_name=_("Năm sinh"), accessor="birth_date", order_by=("birth_date",))
    cell = tables.Column(verbose_name=_("Chi bộ (hiện nay)"), orderable=False, default="—")
    card_number = tables.Column(verbose_name=_("Số thẻ đảng viên"), default="")
    status = ChoicesColumn(PersonStatus.choices, verbose_name=_("Tình trạng"))

    class Meta(PortalTable.Meta):
        model = Person
        fields = ("full_name", "birth_year", "cell", "card_number", "status")
        empty_text = _("Không tìm thấy đảng viên nào.")

    def render_birth_year(self, value) -> str:
        return str(value.year)

    def value_birth_year(self, value) -> str:
        return str(value.year) if value else ""




# --- members of an organization -----------------------------------------------------------


class MemberFilter(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Họ tên hoặc số thẻ"), max_length=120)
    scope = django_filters.ChoiceFilter(method="filter_scope", label=_("Phạm vi"), empty_label=None,
                                        choices=[("subtree", _("Toàn đảng bộ")), ("here", _("Chỉ tổ chức này"))])

    class Meta:
        model = Membership
        fields: list[str] = []

    def __init__(self, *args, organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def filter_q(self, queryset, name, value):
        return queryset.filter(person__in=Person.objects.search(value))

    def filter_scope(self, queryset, name, value):
        return queryset.filter(organization=self.organization) if value == "here" else queryset


class MemberTable(PortalTable):
    name = tables.Column(verbose_name=_("Họ và tên"), accessor="person__full_name",
                         linkify=("organizations:person", {"pk": tables.A("person_id")}),
                         order_by=("person__sort_name", "person_id"))
    birth_date = tables.DateColumn(verbose_name=_("Ngày sinh"), accessor="person__birth_date", short=True)
    card_number = tables.Column(verbose_name=_("Số thẻ đảng viên"), accessor="person__card_number", default="")
    organization = tables.Column(verbose_name=_("Chi bộ"), accessor="organization__name",
                                 linkify=("organizations:organization", {"pk": tables.A("organization_id")}))
    start = tables.DateColumn(verbose_name=_("Sinh hoạt từ"), short=True)

    class Meta(PortalTable.Meta):
        model = Membership
        fields = ("name", "birth_date", "card_number", "organization", "start")
        empty_text = _("Không tìm thấy đảng viên nào.")
