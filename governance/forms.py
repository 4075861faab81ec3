"""Forms of the working-regulation pages. They parse and bound every input; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from common.forms import CountField, DateField, ModelMultipleChoiceField
from organizations.access import person_by_card_for
from organizations.models import Organization, Person, PositionRole, Tenure, today

from .models import Ballot, Decision, Field, Matter, Meeting
from .regulation_templates import TEMPLATES


def person_by_card(form: forms.Form, field: str, user) -> Person | None:
    """The person with the party card number typed in ``field``, among the people ``user`` may see.

    A card that does not exist and one outside the user's reach get the same answer.
    """
    card = (form.cleaned_data.get(field) or "").strip()
    person = person_by_card_for(user, card) if card else None
    if card and person is None:
        form.add_error(field, _("Không tìm thấy đảng viên mang số thẻ %(c)s trong phạm vi bạn được xem.")
                       % {"c": card})
    return person


class TemplateForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Bắt đầu từ"),
        choices=[("copy", _("Bản sao phiên bản mới nhất"))] + [(k, v["label"]) for k, v in TEMPLATES.items()],
        widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("Tên quy chế"), max_length=255,
                            widget=forms.TextInput(attrs={"class": "form-control"}))


class AdoptForm(forms.Form):
    start = DateField(label=_("Có hiệu lực từ"))
    adoption_ref = forms.CharField(label=_("Số quyết định ban hành"), max_length=80, required=False,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))


class DateRangeForm(forms.Form):
    start = DateField(label=_("Từ ngày"), required=False)
    end = DateField(label=_("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


class OnDateForm(forms.Form):
    on = DateField(label=_("Ngày"), required=False)
    person = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Cơ quan lãnh đạo"), queryset=None,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    date = DateField(label=_("Ngày họp"))
    title = forms.CharField(label=_("Tên hội nghị"), max_length=255,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    matters = ModelMultipleChoiceField(label=_("Nội dung (vấn đề trong danh mục)"), queryset=None,
                                             required=False,
                                             widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = organization.bodies.all()
        self.fields["matters"].queryset = Matter.objects.filter(
            regulation__organization=organization, regulation__start__isnull=False).select_related("regulation")


class AttendanceForm(forms.Form):
    """One row of the roll call; the formset of a meeting holds every convened member."""

    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    present = forms.BooleanField(required=False, label=_("Có mặt"),
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    reason = forms.CharField(required=False, max_length=255, label=_("Lý do vắng"),
                             widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def clean(self):
        data = super().clean()
        if not data.get("present") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Ghi lý do vắng mặt."))
        return data


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=0, max_num=2000, absolute_max=2000,
                                          validate_max=True)


class DecisionForm(forms.Form):
    matter = forms.ModelChoiceField(label=_("Vấn đề"), queryset=None,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("Nội dung quyết định"), max_length=300,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    votes_for = CountField(label=_("Tán thành"))
    votes_against = CountField(label=_("Không tán thành"), initial=0)
    abstaining = CountField(label=_("Không biểu quyết"), initial=0)
    ballot = forms.ChoiceField(label=_("Hình thức biểu quyết"), choices=Ballot.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))
    concerns_card = forms.CharField(label=_("Số thẻ đảng viên của người được xem xét (nếu có)"), required=False,
                                    max_length=20, widget=forms.TextInput(attrs={"class": "form-control"}))
    corrects = forms.ModelChoiceField(label=_("Đính chính quyết định"), queryset=None, required=False,
                                      widget=forms.Select(attrs={"class": "form-select"}))
    record_as_irregular = forms.BooleanField(
        label=_("Ghi nhận là quyết định không đúng thẩm quyền, thủ tục (chuyển Ủy ban Kiểm tra)"), required=False)

    def __init__(self, *args, meeting: Meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        org = meeting.body.organization
        self.fields["matter"].queryset = Matter.objects.filter(regulation__organization=org).select_related(
            "regulation")
        # Earlier decisions of the organization (the last three years) can be corrected.
        self.fields["corrects"].queryset = Decision.objects.filter(
            organization=org, date__lte=meeting.date, date__gte=meeting.date - dt.timedelta(days=3 * 366)
        ).order_by("-date")

    def clean(self):
        data = super().clean()
        data["concerns"] = person_by_card(self, "concerns_card", self.user)
        return data


class SignatoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        posts = ", ".join(f"{t.position.title} ({t.start:%d/%m/%Y}–{t.end:%d/%m/%Y})" if t.end
                          else f"{t.position.title} ({_('từ')} {t.start:%d/%m/%Y})" for t in person.posts)
        return f"{person.full_name} — {posts}"


def signatories(organization: Organization):
    """Who may sign alone for ``organization``: the people who hold or held its head's or a deputy's post,
    with those posts (the service checks the post on the decision's date)."""
    posts = Tenure.objects.filter(organization=organization, position__role__in=[PositionRole.HEAD,
                                                                               PositionRole.DEPUTY])
    return (Person.objects.filter(pk__in=posts.values("person_id"))
            .prefetch_related(Prefetch("tenures", queryset=posts.select_related("position").order_by("-start"),
                                       to_attr="posts")))


class IndividualDecisionForm(forms.Form):
    """A decision the head (or a deputy with a written delegation) takes alone.

    A clerk picks the signatory among the organization's post holders; a head
    records their own decision and signs it themselves (``signer``).
    """

    matter = forms.ModelChoiceField(label=_("Vấn đề"), queryset=None,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    date = DateField(label=_("Ngày quyết định"))
    title = forms.CharField(label=_("Nội dung quyết định"), max_length=300,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    signatory = SignatoryChoiceField(label=_("Người ký"), queryset=None,
                                     widget=forms.Select(attrs={"class": "form-select"}))
    delegation_ref = forms.CharField(label=_("Văn bản ủy quyền (nếu cấp phó ký thay)"), max_length=120,
                                     required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    record_as_irregular = forms.BooleanField(
        label=_("Ghi nhận là quyết định không đúng thẩm quyền, thủ tục (chuyển Ủy ban Kiểm tra)"), required=False)

    def __init__(self, *args, organization: Organization, user, signer: Person | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", today())
        if signer is not None:
            kwargs["initial"]["signatory"] = signer.pk
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["matter"].queryset = Matter.objects.filter(
            regulation__organization=organization, regulation__start__isnull=False,
            mode="head_reports").select_related("regulation")
        people = signatories(organization)
        if signer is not None:  # a head signs their own decisions only; the service checks their post
            people = Person.objects.filter(pk=signer.pk).prefetch_related(
                Prefetch("tenures", queryset=Tenure.objects.filter(organization=organization)
                         .select_related("position").order_by("-start"), to_attr="posts"))
            self.fields["signatory"].disabled = True
        self.fields["signatory"].queryset = people
        self.fields["signatory"].empty_label = None if signer is not None else _("— chọn người ký —")


class ReportBackForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Hội nghị nghe báo cáo"), queryset=None,
                                     error_messages={"required": _("Chọn hội nghị đã nghe báo cáo."),
                                                     "invalid_choice": _("Chọn hội nghị đã nghe báo cáo.")})

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            body__organization=decision.organization, date__gte=decision.date).order_by("date")


class AssignmentForm(forms.Form):
    person_card = forms.CharField(label=_("Số thẻ đảng viên của người được phân công"), max_length=20,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices,
                              widget=forms.Select(attrs={"class": "form-select"}))
    description = forms.CharField(label=_("Nội dung phụ trách"), max_length=300,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    start = DateField(label=_("Từ ngày"))
    end = DateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        data["person"] = person_by_card(self, "person_card", self.user)
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data
