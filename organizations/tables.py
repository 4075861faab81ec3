"""Lists of people: the person search and an organization's members (see ``common.tables``)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.tables import ChoicesColumn, DateColumn, PortalDateFilter, PortalFilterSet, PortalTable
from common.text import fold

from .models import BodyKind, Discipline, DisciplineForm, Membership, Person, PersonStatus, Tenure, today

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
    birth_date = DateColumn(verbose_name=_("Ngày sinh"), accessor="person__birth_date")
    card_number = tables.Column(verbose_name=_("Số thẻ đảng viên"), accessor="person__card_number", default="")
    organization = tables.Column(verbose_name=_("Chi bộ"), accessor="organization__name",
                                 linkify=("organizations:organization", {"pk": tables.A("organization_id")}))
    start = DateColumn(verbose_name=_("Sinh hoạt từ"))

    class Meta(PortalTable.Meta):
        model = Membership
        fields = ("name", "birth_date", "card_number", "organization", "start")
        empty_text = _("Không tìm thấy đảng viên nào.")


# --- a member import's preview ------------------------------------------------------------


class ImportRowTable(PortalTable):
    """The rows of an upload as they will be written; a long name wraps instead of stretching the page."""

    row = tables.Column(verbose_name=_("Dòng"), accessor="number")
    full_name = tables.Column(verbose_name=_("Họ và tên"), accessor="values__full_name", default="",
                              attrs={"td": {"class": "text-break"}})
    gender = tables.Column(verbose_name=_("Giới tính"), accessor="values__gender", default="")
    birth_date = DateColumn(verbose_name=_("Ngày sinh"), accessor="values__birth_date")
    card_number = tables.Column(verbose_name=_("Số thẻ đảng viên"), accessor="values__card_number", default="")
    join_date = DateColumn(verbose_name=_("Ngày vào Đảng"), accessor="values__join_date")
    official_date = DateColumn(verbose_name=_("Ngày chính thức"), accessor="values__official_date",
                                      short=True)
    start = tables.Column(verbose_name=_("Ngày bắt đầu sinh hoạt"), accessor="values__start", default="")

    class Meta(PortalTable.Meta):
        orderable = False
        empty_text = _("Không có dòng dữ liệu nào.")

    def render_gender(self, value) -> str:
        return {"male": _("Nam"), "female": _("Nữ")}.get(value, value)

    def render_start(self, value, record) -> str:
        text = date_format(value, "SHORT_DATE_FORMAT")
        return f"{text} ({_('theo ngày vào Đảng')})" if record.values.get("start_from_join") else text


# --- posts of an organization ---------------------------------------------------------------


class TenureTable(PortalTable):
    """Who holds and held each post; current ones first. The last column ends a current post."""

    position = tables.Column(verbose_name=_("Chức vụ"), accessor="position__title",
                             order_by=("position__rank", "position__title"))
    person = tables.Column(verbose_name=_("Họ và tên"), accessor="person__full_name",
                           linkify=("organizations:person", {"pk": tables.A("person_id")}),
                           order_by=("person__sort_name", "person_id"))
    body = ChoicesColumn(BodyKind.choices, verbose_name=_("Cơ quan lãnh đạo"), accessor="body__kind", default="—")
    start = DateColumn(verbose_name=_("Từ ngày"))
    end = DateColumn(verbose_name=_("Đến ngày"), default="—")
    decision_ref = tables.Column(verbose_name=_("Số quyết định"), default="—")
    actions = tables.TemplateColumn(template_name="organizations/_tenure_end.html", verbose_name="",
                                    orderable=False, exclude_from_export=True)

    class Meta(PortalTable.Meta):
        model = Tenure
        fields = ("position", "person", "body", "start", "end", "decision_ref", "actions")
        empty_text = _("Chưa ghi chức vụ nào.")

    def render_position(self, record) -> str:
        extra = [str(_("quyền"))] if record.acting else []
        extra += [str(_("kiêm nhiệm"))] if record.concurrent else []
        return f"{record.position.title} ({', '.join(extra)})" if extra else record.position.title


class AccessHistoryTable(PortalTable):
    """The audit entries of the roles granted at one organization: who granted or revoked what, when."""

    at = tables.DateTimeColumn(verbose_name=_("Thời điểm"), short=True)
    actor = tables.Column(verbose_name=_("Người thực hiện"), default="—")
    action = tables.Column(verbose_name=_("Thao tác"))
    text = tables.Column(verbose_name=_("Nội dung"), accessor="text", orderable=False)

    class Meta(PortalTable.Meta):
        fields = ("at", "actor", "action", "text")
        order_by = ("-at",)
        empty_text = _("Chưa có.")


# --- the discipline register ------------------------------------------------------------------


class DisciplineFilter(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Họ tên, tổ chức hoặc số quyết định"), max_length=120)
    form = django_filters.ChoiceFilter(choices=DisciplineForm.choices, label=_("Hình thức"), empty_label=_("Tất cả"))
    date_from = PortalDateFilter(field_name="decided_on", lookup_expr="gte", label=_("Từ ngày"))
    date_to = PortalDateFilter(field_name="decided_on", lookup_expr="lte", label=_("Đến ngày"))
    self_detected_remedied = django_filters.ChoiceFilter(
        method="filter_remedied", label=_("Tự phát hiện, đã khắc phục"), empty_label=_("Tất cả"),
        choices=[("yes", _("Có")), ("no", _("Không"))])
    annulled = django_filters.ChoiceFilter(method="filter_annulled", label=_("Đã hủy"), empty_label=_("Tất cả"),
                                           choices=[("yes", _("Đã hủy")), ("no", _("Còn hiệu lực"))])

    class Meta:
        model = Discipline
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        # A person is found as the person search finds them (words starting words of the name, or the card).
        return queryset.filter(Q(person__in=Person.objects.search(value)) | Q(organization__name__icontains=value)
                               | Q(decision_ref__icontains=value.strip()))

    def filter_remedied(self, queryset, name, value):
        return queryset.filter(self_detected_remedied=(value == "yes"))

    def filter_annulled(self, queryset, name, value):
        return queryset.filter(annulment__isnull=(value != "yes"))


class DisciplineTable(PortalTable):
    """Who, which form, when, by which body and decision, self-detected and remedied, and an annulment if any."""

    subject = tables.Column(verbose_name=_("Đối tượng"), empty_values=(), order_by=("person__sort_name",
                                                                                     "organization__name", "pk"))
    form = ChoicesColumn(DisciplineForm.choices, verbose_name=_("Hình thức"))
    decided_on = DateColumn(verbose_name=_("Ngày quyết định"))
    decided_by = tables.Column(verbose_name=_("Cấp quyết định"), accessor="decided_by__name", default="—")
    decision_ref = tables.Column(verbose_name=_("Số quyết định"), default="—")
    self_detected_remedied = tables.BooleanColumn(verbose_name=_("Tự phát hiện, đã khắc phục"),
                                                  yesno=(_("Có"), _("Không")))
    owner = tables.Column(verbose_name=_("Tổ chức quản lý"), accessor="owner__name",
                          linkify=("organizations:organization", {"pk": tables.A("owner_id")}))
    annulled_on = DateColumn(verbose_name=_("Ngày hủy"), accessor="annulment__annulled_on", default="—")
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(PortalTable.Meta):
        model = Discipline
        fields = ("subject", "form", "decided_on", "decided_by", "decision_ref", "self_detected_remedied",
                  "owner", "annulled_on", "actions")
        order_by = ("-decided_on",)
        empty_text = _("Chưa có quyết định kỷ luật nào.")

    def __init__(self, *args, manage_paths: list[str] | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.manage_paths = manage_paths  # where the reader may annul (None: everywhere)

    def render_subject(self, record) -> str:
        from django.utils.html import format_html

        if record.person_id:
            return format_html('<a href="{}">{}</a>', record.person.get_absolute_url(), record.person.full_name)
        return format_html('<a href="{}">{}</a>', record.organization.get_absolute_url(), record.organization.name)

    def value_subject(self, record) -> str:
        return record.person.full_name if record.person_id else record.organization.name

    def value_self_detected_remedied(self, value) -> str:
        return str(_("Có") if value else _("Không"))

    def render_actions(self, record) -> str:
        from django.core.exceptions import ObjectDoesNotExist
        from django.urls import reverse
        from django.utils.html import format_html

        try:
            record.annulment  # noqa: B018  (selected with the row)
            return ""
        except ObjectDoesNotExist:
            pass
        # A link only where the reader may annul: at the issuing body or above (without one, the owner's level,
        # strictly above an organization disciplined), which covers the owner too.
        paths = self.manage_paths
        issuer = record.decided_by or record.owner
        strict = record.decided_by_id is None and record.organization_id is not None
        if not (paths is None or any(issuer.path.startswith(p) and not (strict and p == issuer.path)
                                     for p in paths)):
            return ""
        return format_html('<a class="btn btn-outline-secondary btn-sm" href="{}">{}</a>',
                           reverse("organizations:discipline_annul", args=[record.pk]), _("Hủy quyết định"))
