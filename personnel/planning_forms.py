"""Forms of the planning pages: add an entry, remove one, upload a list. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.forms import DateField
from common.uploads import LimitedUploadForm
from organizations import access
from organizations.models import Membership, Organization, Person, Position, today

# A select of the organization's members is offered up to this many of them; past it, the card number only
# (a select of a province's hundred thousand members helps nobody).
MEMBER_SELECT_MAX = 300


def _text(label, max_length: int, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.TextInput(attrs={"class": "form-control"}), **kwargs)


def _select(label, queryset: QuerySet, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=queryset, empty_label="—",
                                  widget=forms.Select(attrs={"class": "form-select"}), **kwargs)


def deciding_levels(organization: Organization) -> QuerySet[Organization]:
    """The levels whose decision plans (or removes) a cadre of ``organization``: it and every level above it."""
    return Organization.objects.filter(path__in=organization.ancestor_paths()).order_by("-depth")


def members_for(user, organization: Organization) -> QuerySet[Person]:
    """Current members of ``organization``'s subtree that ``user`` may see, in name order."""
    members = Membership.objects.active_on(today()).in_subtree(organization).values("person_id")
    return access.people_for(user).filter(pk__in=members).order_by("sort_name", "pk")


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.card_number})" if obj.card_number else obj.full_name


class _DecisionFields(forms.Form):
    decision_ref = _text(_("Số quyết định"), 60)
    decision_date = DateField(label=_("Ngày quyết định"))

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"] = _select(_("Cấp quyết định"), deciding_levels(organization))


class PlanningAddForm(_DecisionFields):
    """A person (by card number, or chosen among the organization's members), a post, a term, and the decision."""

    person_card = _text(_("Số thẻ đảng viên"), 20, required=False)
    position = _select(_("Chức danh quy hoạch"), Position.objects.order_by("rank", "title"))
    term = _text(_("Nhiệm kỳ quy hoạch"), 20, help_text=_("Ví dụ 2025-2030."))

    field_order = ["person_card", "person", "position", "term", "decision_ref", "decision_date", "decided_by"]

    def __init__(self, *args, organization: Organization, user, **kwargs) -> None:
        super().__init__(*args, organization=organization, **kwargs)
        self.user = user
        members = members_for(user, organization)
        if members[:MEMBER_SELECT_MAX + 1].count() <= MEMBER_SELECT_MAX:
            self.fields["person"] = _PersonChoice(
                label=_("hoặc chọn đảng viên của tổ chức"), queryset=members, required=False, empty_label="—",
                widget=forms.Select(attrs={"class": "form-select"}))
        self.fields["decided_by"].label = _("Cấp phê duyệt")
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        card = (data.get("person_card") or "").strip()
        chosen = data.get("person")
        if card:
            person = access.person_by_card_for(self.user, card)
            if person is None:  # alike for a card that does not exist and one out of reach
                self.add_error("person_card", _("Không tìm thấy đảng viên có số thẻ %(c)s.") % {"c": card})
            elif chosen is not None and chosen.pk != person.pk:
                self.add_error("person", _("Số thẻ và đảng viên được chọn không cùng một người."))
            else:
                data["person"] = person
        elif chosen is None and "person" not in self.errors and "person_card" not in self.errors:
            self.add_error("person_card", _("Ghi số thẻ đảng viên hoặc chọn một đảng viên."))
        return data


class PlanningRemoveForm(_DecisionFields):
    """The decision that takes a cadre out of the planning, and its reason."""

    reason = _text(_("Lý do đưa ra khỏi quy hoạch"), 300)

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, organization=organization, **kwargs)
        self.order_fields(["decision_ref", "decision_date", "decided_by", "reason"])


class PlanningImportForm(LimitedUploadForm):
    """The planning list's upload (see ``common.uploads``)."""

    limit_setting = "IMPORT_MAX_BYTES"
    extensions = (".xlsx", ".csv")
    missing_message = _("Chọn tệp danh sách quy hoạch để tải lên.")
    extension_message = _("Chỉ nhận tệp .xlsx hoặc .csv.")

    file = forms.FileField(
        label=_("Tệp danh sách quy hoạch (.xlsx)"),
        help_text=_("Dòng đầu là tên cột: Số thẻ đảng viên, Chức danh quy hoạch (mã hoặc tên), Nhiệm kỳ, "
                    "Số quyết định, Ngày quyết định (dd/mm/yyyy), Mã cấp phê duyệt. Tải tệp mẫu để điền."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
        required=False,  # checked in clean_file, after the size, so a cut upload reads "too large"
        error_messages={"empty": _("Tệp không có dữ liệu.")},
    )
