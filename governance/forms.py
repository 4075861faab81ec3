import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Person

from .models import Ballot, Decision, Field, Matter, Meeting
from .regulation_templates import TEMPLATES


def person_by_card(form: forms.Form, field: str) -> Person | None:
    """The person whose party card number is in ``field``; an unknown number is a field error."""
    card = (form.cleaned_data.get(field) or "").strip()
    person = Person.objects.filter(card_number=card).first() if card else None
    if card and person is None:
        form.add_error(field, _("Không có đảng viên nào mang số thẻ %(c)s.") % {"c": card})
    return person


class TemplateForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Bắt đầu từ"),
        choices=[("copy", _("Bản sao phiên bản mới nhất"))] + [(k, v["label"]) for k, v in TEMPLATES.items()],
        widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("Tên quy chế"), max_length=255,
                            widget=forms.TextInput(attrs={"class": "form-control"}))


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Cơ quan lãnh đạo"), queryset=None,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    date = forms.DateField(label=_("Ngày họp"), widget=forms.DateInput(attrs={"class": "form-control",
                                                                               "placeholder": "dd/mm/yyyy"}))
    title = forms.CharField(label=_("Tên hội nghị"), max_length=255,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    matters = forms.ModelMultipleChoiceField(label=_("Nội dung (vấn đề trong danh mục)"), queryset=None,
                                             required=False,
                                             widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = organization.bodies.all()
        self.fields["matters"].queryset = Matter.objects.filter(
            regulation__organization=organization, regulation__start__isnull=False).select_related(
            "regulation")


class DecisionForm(forms.Form):
    matter = forms.ModelChoiceField(label=_("Vấn đề"), queryset=None,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("Nội dung quyết định"), max_length=300,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    votes_for = forms.IntegerField(label=_("Tán thành"), min_value=0,
                                   widget=forms.NumberInput(attrs={"class": "form-control"}))
    votes_against = forms.IntegerField(label=_("Không tán thành"), min_value=0, initial=0,
                                       widget=forms.NumberInput(attrs={"class": "form-control"}))
    abstaining = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, initial=0,
                                    widget=forms.NumberInput(attrs={"class": "form-control"}))
    ballot = forms.ChoiceField(label=_("Hình thức biểu quyết"), choices=Ballot.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))
    concerns_card = forms.CharField(label=_("Số thẻ đảng viên của người được xem xét (nếu có)"), required=False,
                                    max_length=20, widget=forms.TextInput(attrs={"class": "form-control"}))
    corrects = forms.ModelChoiceField(label=_("Đính chính quyết định"), queryset=None, required=False,
                                      widget=forms.Select(attrs={"class": "form-select"}))
    record_as_irregular = forms.BooleanField(
        label=_("Ghi nhận là quyết định không đúng thẩm quyền, thủ tục (chuyển Ủy ban Kiểm tra)"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        org = meeting.body.organization
        self.fields["matter"].queryset = Matter.objects.filter(regulation__organization=org).select_related(
            "regulation")
        # Earlier decisions of the organization (the last three years) can be corrected.
        self.fields["corrects"].queryset = Decision.objects.filter(
            organization=org, date__lte=meeting.date, date__gte=meeting.date - dt.timedelta(days=3 * 366)
        ).order_by("-date")

    def clean(self):
        data = super().clean()
        data["concerns"] = person_by_card(self, "concerns_card")
        return data


class IndividualDecisionForm(forms.Form):
    matter = forms.ModelChoiceField(label=_("Vấn đề"), queryset=None,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    date = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"class": "form-control",
                                                                                      "placeholder": "dd/mm/yyyy"}))
    title = forms.CharField(label=_("Nội dung quyết định"), max_length=300,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    signatory_card = forms.CharField(label=_("Số thẻ đảng viên của người ký"), max_length=20,
                                     widget=forms.TextInput(attrs={"class": "form-control"}))
    delegation_ref = forms.CharField(label=_("Văn bản ủy quyền (nếu cấp phó ký thay)"), max_length=120,
                                     required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    record_as_irregular = forms.BooleanField(
        label=_("Ghi nhận là quyết định không đúng thẩm quyền, thủ tục (chuyển Ủy ban Kiểm tra)"), required=False)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = Matter.objects.filter(
            regulation__organization=organization, regulation__start__isnull=False,
            mode="head_reports").select_related("regulation")

    def clean(self):
        data = super().clean()
        data["signatory"] = person_by_card(self, "signatory_card")
        return data


class AssignmentForm(forms.Form):
    person_card = forms.CharField(label=_("Số thẻ đảng viên của người được phân công"), max_length=20,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices,
                              widget=forms.Select(attrs={"class": "form-select"}))
    description = forms.CharField(label=_("Nội dung phụ trách"), max_length=300,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    start = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"class": "form-control",
                                                                               "placeholder": "dd/mm/yyyy"}))
    end = forms.DateField(label=_("Đến ngày"), required=False,
                          widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}))

    def clean(self):
        data = super().clean()
        data["person"] = person_by_card(self, "person_card")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data
