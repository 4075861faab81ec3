"""Forms of the review. The criteria fields come from the period's scheme, so a 2024 form grades X/T/B/K
and a 2026 form takes points, each bounded by its criterion's maximum."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CountField, DateField
from common.uploads import LimitedUploadForm

from . import schemes
from .choices import (
    Grade,
    HeadAboveCollective,
    LeaderForm,
    Level,
    QuarterlySubjects,
    QuotaRounding,
    SubjectKind,
)
from .models import Period, TargetResult

LEVEL_CHOICES = [("", "—"), *Level.choices]
SMALL = {"class": "form-control form-control-sm"}
SMALL_SELECT = {"class": "form-select form-select-sm"}
TASK_FIELDS = ("tasks_total", "tasks_done", "tasks_on_time", "tasks_exceeded")
TASK_LABELS = {"tasks_total": _("Số nhiệm vụ"), "tasks_done": _("Hoàn thành"), "tasks_on_time": _("Đúng hạn"),
               "tasks_exceeded": _("Vượt yêu cầu")}


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2023, max_value=2199,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    quarter = forms.TypedChoiceField(label=_("Quý (chỉ theo Quy định 366)"), required=False, coerce=int,
                                     empty_value=None, choices=[("", _("Cả năm")), (1, "I"), (2, "II"), (3, "III")],
                                     widget=forms.Select(attrs={"class": "form-select"}))
    quota_share = forms.TypedChoiceField(label=_("Tỷ lệ Hoàn thành xuất sắc (phần trăm số Hoàn thành tốt)"), coerce=int,
                                         choices=[(20, "20%"), (25, "25%")], initial=20,
                                         widget=forms.Select(attrs={"class": "form-select"}))
    quota_rounding = forms.ChoiceField(label=_("Làm tròn chỉ tiêu"), choices=QuotaRounding.choices,
                                       initial=QuotaRounding.DOWN, widget=forms.Select(attrs={"class": "form-select"}))
    head_above_collective = forms.ChoiceField(label=_("Người đứng đầu xếp cao hơn tập thể"),
                                              choices=HeadAboveCollective.choices, initial=HeadAboveCollective.WARN,
                                              widget=forms.Select(attrs={"class": "form-select"}))
    leader_form = forms.ChoiceField(label=_("Mẫu của lãnh đạo, quản lý (Hướng dẫn 43)"), choices=LeaderForm.choices,
                                    initial=LeaderForm.AS_GUIDANCE_25,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    quarterly_subjects = forms.ChoiceField(label=_("Đối tượng đánh giá hằng quý"), choices=QuarterlySubjects.choices,
                                           initial=QuarterlySubjects.LEADERS,
                                           widget=forms.Select(attrs={"class": "form-select"}))
    reference_date = DateField(label=_("Ngày chốt danh sách"), required=False,
                               help_text=_("Để trống: ngày mặc định của kỳ."))
    self_by = DateField(label=_("Hạn tự đánh giá"), required=False)
    appraisal_by = DateField(label=_("Hạn thẩm định"), required=False)
    review_by = DateField(label=_("Hạn hội nghị kiểm điểm"), required=False)
    decision_by = DateField(label=_("Hạn quyết định xếp loại"), required=False)
    notify_by = DateField(label=_("Hạn thông báo kết quả"), required=False)


class PeriodEditForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["reference_date", "self_by", "appraisal_by", "review_by", "decision_by", "notify_by",
                  "quota_share", "quota_rounding", "head_above_collective", "leader_form", "quarterly_subjects"]
        field_classes = {name: DateField for name in
                         ["reference_date", "self_by", "appraisal_by", "review_by", "decision_by", "notify_by"]}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            elif not isinstance(field, DateField):
                field.widget.attrs["class"] = "form-control"


def criteria_fields(scheme: schemes.Scheme, kind: str, *, small: bool = True, required: bool = True) -> dict:
    """One field per criterion of the kind: a grade (124) or points up to its maximum (366)."""
    fields = {}
    for criterion in scheme.criteria_for(kind):
        if criterion.max_points is None:
            fields[f"c_{criterion.code}"] = forms.ChoiceField(
                label=criterion.label, required=required, choices=[("", "—"), *Grade.choices],
                widget=forms.Select(attrs={**(SMALL_SELECT if small else {"class": "form-select"}),
                                           "data-criterion": criterion.code}))
        else:
            fields[f"c_{criterion.code}"] = forms.DecimalField(
                label=f"{criterion.label} (≤ {criterion.max_points})", required=required, min_value=Decimal(0),
                max_value=Decimal(criterion.max_points), max_digits=5, decimal_places=2,
                widget=forms.NumberInput(attrs={**(SMALL if small else {"class": "form-control"}),
                                                "step": "0.5", "min": 0, "max": criterion.max_points,
                                                "data-criterion": criterion.code}))
    return fields


class _CriteriaForm(forms.Form):
    """A form whose criteria fields depend on the scheme and the subject kind."""

    def __init__(self, *args, scheme: schemes.Scheme, kind: str, small: bool = True, with_tasks: bool = True,
                 subject: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scheme, self.kind = scheme, kind
        criteria = criteria_fields(scheme, kind, small=small)
        self.criteria_names = list(criteria)
        self.fields.update(criteria)
        if with_tasks:
            for name in TASK_FIELDS:
                self.fields[name] = CountField(label=TASK_LABELS[name], required=False,
                                               widget=forms.NumberInput(attrs={**SMALL, "min": 0}))
        self.order_fields([*self.criteria_names, *TASK_FIELDS, "level", "text", "override_reason"])
        _label_for(self, subject)

    def grades(self) -> dict:
        return {name[2:]: self.cleaned_data.get(name) for name in self.criteria_names
                if self.cleaned_data.get(name) not in (None, "")}

    def tasks(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in TASK_FIELDS if name in self.fields}


def _label_for(form: forms.Form, subject: str) -> None:
    """In a grid the column heading is far away: each input names its criterion and its subject."""
    if subject:
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}: {subject}"


class ReviewRowForm(_CriteriaForm):
    """One subject's row of the review grid: criteria, task counts, the level the meeting proposes."""

    level = forms.ChoiceField(label=_("Đề xuất xếp loại"), choices=LEVEL_CHOICES,
                              widget=forms.Select(attrs=SMALL_SELECT))


class SelfAssessmentForm(_CriteriaForm):
    level = forms.ChoiceField(label=_("Tự xếp loại"), choices=LEVEL_CHOICES,
                              widget=forms.Select(attrs={"class": "form-select"}))
    text = forms.CharField(label=_("Tự nhận xét ưu điểm, hạn chế"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}))


class DecideRowForm(forms.Form):
    level = forms.ChoiceField(label=_("Xếp loại"), choices=LEVEL_CHOICES, widget=forms.Select(attrs=SMALL_SELECT))
    override_reason = forms.CharField(label=_("Lý do (nếu xếp vượt mức)"), required=False, max_length=1000,
                                      widget=forms.TextInput(attrs=SMALL))

    def __init__(self, *args, subject: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _label_for(self, subject)


class AppraiseForm(forms.Form):
    level = forms.ChoiceField(label=_("Đề xuất xếp loại"), choices=LEVEL_CHOICES,
                              widget=forms.Select(attrs={"class": "form-select"}))
    text = forms.CharField(label=_("Ý kiến thẩm định"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


class AnnulForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy kết quả"), max_length=2000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


class AcknowledgeForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến (nếu có)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))


class ResultsImportForm(LimitedUploadForm):
    """The review results of one organization as a spreadsheet (the grid's template, filled in)."""

    limit_setting = "IMPORT_MAX_BYTES"
    extensions = (".xlsx", ".csv")
    extension_message = _("Chỉ nhận tệp .xlsx hoặc .csv.")
    file = forms.FileField(label=_("Tệp kết quả kiểm điểm (.xlsx)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}))


class TargetsAssignForm(forms.Form):
    """The same targets for every subject of one kind in an organization, at the start of the year."""

    kind = forms.ChoiceField(label=_("Giao cho"), choices=SubjectKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    titles = forms.CharField(label=_("Chỉ tiêu, nhiệm vụ (mỗi dòng một nội dung)"), max_length=20000,
                             error_messages={"required": _("Nhập ít nhất một chỉ tiêu, nhiệm vụ.")},
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}))
    due = DateField(label=_("Thời hạn"), required=False)

    def clean_titles(self) -> list[str]:
        titles = [line.strip() for line in self.cleaned_data["titles"].splitlines() if line.strip()]
        if not titles:
            raise forms.ValidationError(_("Nhập ít nhất một chỉ tiêu, nhiệm vụ."))
        if len(titles) > 50:
            raise forms.ValidationError(_("Tối đa 50 chỉ tiêu, nhiệm vụ mỗi lần."))
        if any(len(t) > 300 for t in titles):
            raise forms.ValidationError(_("Mỗi chỉ tiêu, nhiệm vụ tối đa 300 ký tự."))
        return titles


class TargetResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết quả"), choices=TargetResult.choices,
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))


class ReviewMeetingForm(forms.Form):
    """Which meeting of the organization reviewed the rows (a governance meeting; optional)."""

    meeting = forms.TypedChoiceField(label=_("Hội nghị kiểm điểm"), required=False, coerce=int, empty_value=None,
                                     widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, meetings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {m.pk: m for m in meetings}
        self.fields["meeting"].choices = [("", _("(chưa ghi hội nghị)")), *[(m.pk, str(m)) for m in meetings]]

    def chosen(self):
        return self.meetings.get(self.cleaned_data.get("meeting"))


class PeerGroupMergeForm(forms.Form):
    source = forms.TypedChoiceField(label=_("Gộp nhóm"), coerce=int,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    target = forms.TypedChoiceField(label=_("vào nhóm"), coerce=int,
                                    widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, groups=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {g.pk: g for g in groups}
        choices = [(g.pk, f"{g.name} ({g.size})") for g in groups]
        self.fields["source"].choices = self.fields["target"].choices = choices

    def clean(self):
        data = super().clean()
        for name in ("source", "target"):
            if name in data:
                data[name] = self.groups[data[name]]
        return data


class PeerGroupSplitForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Tách từ nhóm"), coerce=int,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(label=_("Tên nhóm mới"), max_length=200,
                           error_messages={"required": _("Nhập tên nhóm mới.")},
                           widget=forms.TextInput(attrs={"class": "form-control"}))
    organizations = forms.TypedMultipleChoiceField(
        label=_("Chuyển sang nhóm mới các đối tượng của"), coerce=int,
        error_messages={"required": _("Chọn ít nhất một tổ chức có đối tượng chuyển sang nhóm mới.")},
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    def __init__(self, *args, groups=(), organizations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {g.pk: g for g in groups}
        self.fields["group"].choices = [(g.pk, f"{g.name} ({g.size})") for g in groups]
        self.fields["organizations"].choices = list(organizations)

    def clean(self):
        data = super().clean()
        if "group" in data:
            data["group"] = self.groups[data["group"]]
        return data
