"""Forms of the working-regulation pages. They parse and bound every input; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.forms import CountField, DateField, ModelMultipleChoiceField
from organizations.access import person_by_card_for
from organizations.models import BodyKind, Organization, Person, PositionRole, Tenure, today
from regulations.citations import document_key

from .models import Ballot, Decision, Field, Matter, Meeting, Mode
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


# Which fields each way of deciding uses: the form shows and keeps only those (``data-modes`` in the page).
COLLECTIVE_MODES = ("collective", "head_proposes")
COLLECTIVE_ONLY = ("body_kind", "quorum_num", "quorum_den", "threshold_num", "threshold_den", "ballot", "election")
HEAD_ONLY = ("role", "report_within_days")


class MatterForm(forms.Form):
    """An entry of a draft's catalog. A matter the head decides alone has no quorum, majority or ballot."""

    code = forms.CharField(label=_("Mã"), max_length=20, widget=forms.TextInput(attrs={"class": "form-control"}))
    title = forms.CharField(label=_("Nội dung"), max_length=300,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices,
                              widget=forms.Select(attrs={"class": "form-select"}))
    mode = forms.ChoiceField(label=_("Phương thức"), choices=Mode.choices,
                             widget=forms.Select(attrs={"class": "form-select", "data-mode-select": ""}))
    body_kind = forms.ChoiceField(label=_("Tập thể quyết định"), choices=[("", "—"), *BodyKind.choices],
                                  required=False, widget=forms.Select(attrs={"class": "form-select"}))
    quorum_num = forms.IntegerField(label=_("Tỷ lệ có mặt tối thiểu (tử số)"), min_value=1, max_value=100,
                                    initial=2, required=False,
                                    widget=forms.NumberInput(attrs={"class": "form-control"}))
    quorum_den = forms.IntegerField(label=_("(mẫu số)"), min_value=1, max_value=100, initial=3, required=False,
                                    widget=forms.NumberInput(attrs={"class": "form-control"}))
    threshold_num = forms.IntegerField(label=_("Tỷ lệ tán thành, trên (tử số)"), min_value=1, max_value=100,
                                       initial=1, required=False,
                                       widget=forms.NumberInput(attrs={"class": "form-control"}))
    threshold_den = forms.IntegerField(label=_("(mẫu số)"), min_value=1, max_value=100, initial=2, required=False,
                                       widget=forms.NumberInput(attrs={"class": "form-control"}))
    ballot = forms.ChoiceField(label=_("Hình thức biểu quyết"), choices=Ballot.choices, initial=Ballot.OPEN,
                               required=False, widget=forms.Select(attrs={"class": "form-select"}))
    election = forms.BooleanField(label=_("Bầu cử (quá nửa tổng số được triệu tập, không xét tỷ lệ có mặt)"),
                                  required=False)
    role = forms.ChoiceField(label=_("Cá nhân quyết định"), choices=[("", "—"), *PositionRole.choices],
                             required=False, widget=forms.Select(attrs={"class": "form-select"}))
    report_within_days = forms.IntegerField(label=_("Hạn báo cáo tập thể (ngày)"), min_value=1, max_value=365,
                                            required=False, widget=forms.NumberInput(attrs={"class": "form-control"}))
    provisions = forms.CharField(
        label=_("Căn cứ"), required=False, max_length=2000,
        help_text=_("Mỗi dòng một căn cứ: mã văn bản, rồi điều, khoản (ví dụ “ĐLĐ-2011 9.5” hoặc “80-QĐ/TW 21.1”); "
                    "số văn bản mà hai văn bản cùng dùng thì ghi kèm ngày ban hành: “01-QĐ/TW@10/02/2026 3.1”."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))

    MODES = {**{f: COLLECTIVE_MODES for f in COLLECTIVE_ONLY}, **{f: ("head_reports",) for f in HEAD_ONLY}}

    @classmethod
    def initial_for(cls, matter: Matter) -> dict:
        initial = {f: getattr(matter, f) for f in cls.base_fields if f != "provisions"}
        initial["provisions"] = "\n".join(
            f"{document_key(c.document)} {c.ref}".strip()
            for c in sorted(matter.citations.select_related("document"), key=lambda c: c.order))
        return initial

    def clean(self):
        data = super().clean()
        if data.get("mode") in COLLECTIVE_MODES:
            if not data.get("body_kind"):
                self.add_error("body_kind", _("Chọn tập thể quyết định vấn đề này."))
            for name, default in (("quorum_num", 2), ("quorum_den", 3), ("threshold_num", 1), ("threshold_den", 2)):
                if data.get(name) is None:
                    data[name] = default
            if data.get("quorum_num", 0) > data.get("quorum_den", 1):
                self.add_error("quorum_num", _("Tỷ lệ có mặt không thể quá 1."))
            if data.get("threshold_num", 0) >= data.get("threshold_den", 1):
                self.add_error("threshold_num", _("Tỷ lệ tán thành phải nhỏ hơn 1 (“trên một nửa” là 1/2)."))
            data["ballot"] = data.get("ballot") or Ballot.OPEN
            data["role"], data["report_within_days"] = "", None
        elif data.get("mode"):
            if not data.get("role"):
                self.add_error("role", _("Chọn chức danh quyết định vấn đề này."))
            data.update(body_kind="", quorum_num=2, quorum_den=3, threshold_num=1, threshold_den=2,
                        ballot=Ballot.OPEN, election=False)
        data["provisions_list"] = parse_provisions(data.get("provisions") or "")
        return data


def parse_provisions(text: str) -> list[dict]:
    """"ĐLĐ-2011 9.5" lines as the services' provision dicts."""
    rows = []
    for line in text.splitlines():
        parts = line.split(None, 1)
        if parts:
            rows.append({"code": parts[0], "ref": parts[1].strip() if len(parts) > 1 else ""})
    return rows


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


def _d(on: dt.date) -> str:
    return date_format(on, "SHORT_DATE_FORMAT")


class SignatoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        posts = ", ".join(f"{t.position.title} ({_d(t.start)}–{_d(t.end)})" if t.end
                          else f"{t.position.title} ({_('từ')} {_d(t.start)})" for t in person.posts)
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
