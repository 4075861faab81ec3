"""Forms of the personnel pages. They parse and bound every input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CountField, DateField
from governance.forms import person_by_card
from governance.models import Decision, DecisionStatus, Field, Meeting
from organizations.models import Organization, Position, PositionRole, Tenure, today

from . import rules
from .models import ActionProgramTemplate, Nomination, NominationKind, Source
from .programs import prompts_for, province_of
from .reasons import PROGRAM_LABELS
from .services import PROGRAM_PARTS

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
ART_5_KINDS = (NominationKind.SUBORDINATE_HEAD, NominationKind.SUBORDINATE_DISMISSAL)


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


def program_template(organization: Organization) -> dict[str, str]:
    """The province's own text for the "5 clear" headings (the root organization's template), if it wrote one."""
    template = ActionProgramTemplate.objects.filter(organization=province_of(organization)).first()
    return {k: str(v) for k, v in (template.headings if template else {}).items() if k in PROGRAM_PARTS and v}


class ProgramMixin:
    """The five headings of the action program as ``program_<part>`` fields."""

    def add_program_fields(self, organization: Organization) -> None:
        prompts = prompts_for(organization)
        for part in PROGRAM_PARTS:
            self.fields[f"program_{part}"] = forms.CharField(label=PROGRAM_LABELS[part], required=False,
                                                             max_length=4000, widget=_area(2),
                                                             help_text=prompts.get(part, ""))

    def program(self) -> dict[str, str]:
        return {part: self.cleaned_data.get(f"program_{part}", "") for part in PROGRAM_PARTS}


class DraftForm(ProgramMixin, forms.Form):
    """A new draft under ``organization``: one person for one post (or one holder to dismiss, Art. 5)."""

    kind = forms.ChoiceField(label=_("Loại"), choices=NominationKind.choices, widget=forms.Select(attrs=SELECT))
    position = forms.ModelChoiceField(label=_("Chức danh"), queryset=Position.objects.all(), required=False,
                                      widget=forms.Select(attrs=SELECT))
    target = forms.ModelChoiceField(label=_("Đơn vị trực thuộc (Điều 5)"), queryset=Organization.objects.none(),
                                    required=False, widget=forms.Select(attrs=SELECT),
                                    help_text=_("Để trống khi chức danh thuộc chính tổ chức này."))
    nominee_card = forms.CharField(label=_("Số thẻ đảng viên của người được giới thiệu"), max_length=20,
                                   required=False, widget=forms.TextInput(attrs=TEXT))
    source = forms.ChoiceField(label=_("Nguồn nhân sự"), choices=Source.choices, widget=forms.Select(attrs=SELECT))
    rationale = forms.CharField(label=_("Lý do giới thiệu"), required=False, max_length=4000, widget=_area())
    dismissed_tenure = forms.ModelChoiceField(label=_("Chức vụ bị miễn nhiệm (Điều 5)"),
                                              queryset=Tenure.objects.none(), required=False,
                                              widget=forms.Select(attrs=SELECT))
    grounds = forms.CharField(label=_("Căn cứ miễn nhiệm"), required=False, max_length=4000, widget=_area())
    procedure = forms.CharField(label=_("Trình tự, thủ tục đã thực hiện"), required=False, max_length=4000,
                                widget=_area())
    planning_exception_ref = forms.CharField(label=_("Quyết định cho phép ngoài quy hoạch (nếu có)"),
                                             required=False, max_length=60, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, organization: Organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization, self.user = organization, user
        children = Organization.objects.filter(path__startswith=organization.path, depth=organization.depth + 1,
                                               dissolved_on__isnull=True)
        self.fields["target"].queryset = children
        self.fields["dismissed_tenure"].queryset = (
            Tenure.objects.filter(organization__in=children, position__role=PositionRole.HEAD, end__isnull=True)
            .select_related("person", "position", "organization"))
        self.fields["dismissed_tenure"].label_from_instance = (
            lambda t: f"{t.person.full_name} — {t.position.title} {t.organization.name}")
        self.add_program_fields(organization)
        if not self.is_bound:
            for part, prompt in program_template(organization).items():
                self.fields[f"program_{part}"].initial = prompt

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        data["nominee"] = None
        if kind == NominationKind.SUBORDINATE_DISMISSAL:
            tenure = data.get("dismissed_tenure")
            if tenure is None:
                self.add_error("dismissed_tenure", _("Chọn chức vụ bị miễn nhiệm."))
            else:
                data.update(nominee=tenure.person, target=tenure.organization, position=tenure.position)
            return data
        if data.get("position") is None:
            self.add_error("position", _("Chọn chức danh."))
        if kind == NominationKind.SUBORDINATE_HEAD and data.get("target") is None:
            self.add_error("target", _("Chọn đơn vị trực thuộc."))
        if kind not in ART_5_KINDS:
            data["target"] = None
        if not (data.get("nominee_card") or "").strip():
            self.add_error("nominee_card", _("Ghi số thẻ đảng viên."))
        else:
            data["nominee"] = person_by_card(self, "nominee_card", self.user)
        data["dismissed_tenure"] = None
        return data


class DraftEditForm(ProgramMixin, forms.Form):
    source = forms.ChoiceField(label=_("Nguồn nhân sự"), choices=Source.choices, widget=forms.Select(attrs=SELECT))
    rationale = forms.CharField(label=_("Lý do giới thiệu"), required=False, max_length=4000, widget=_area())
    grounds = forms.CharField(label=_("Căn cứ miễn nhiệm"), required=False, max_length=4000, widget=_area())
    procedure = forms.CharField(label=_("Trình tự, thủ tục đã thực hiện"), required=False, max_length=4000,
                                widget=_area())
    planning_exception_ref = forms.CharField(label=_("Quyết định cho phép ngoài quy hoạch (nếu có)"),
                                             required=False, max_length=60, widget=forms.TextInput(attrs=TEXT))

    FIELDS = ("source", "rationale", "grounds", "procedure", "planning_exception_ref")

    def __init__(self, *args, nomination: Nomination, **kwargs):
        initial = {f: getattr(nomination, f) for f in self.FIELDS}
        initial.update({f"program_{p}": (nomination.action_program or {}).get(p, "") for p in PROGRAM_PARTS})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.add_program_fields(nomination.organization)
        if not nomination.dismissal:
            del self.fields["grounds"], self.fields["procedure"]
        else:
            for part in PROGRAM_PARTS:
                del self.fields[f"program_{part}"]

    def changes(self) -> dict:
        values = {f: self.cleaned_data[f] for f in self.FIELDS if f in self.fields}
        if "program_work" in self.fields:
            values["action_program"] = self.program()
        return values


EXPLANATION_HELP = _("Bắt buộc khi có tiêu chuẩn không đạt ở mức cảnh báo: lời giải trình được ghi vào sổ theo dõi "
                     "trách nhiệm của người giới thiệu.")


def _explanation() -> forms.CharField:
    return forms.CharField(label=_("Giải trình tiêu chuẩn chưa đạt"), required=False, max_length=4000,
                           widget=_area(2), help_text=EXPLANATION_HELP)


class IntroduceForm(forms.Form):
    on = DateField(label=_("Ngày giới thiệu"))
    explanation = _explanation()


class StandardsNoteForm(forms.Form):
    """The organization board's judgement of one Regulation 144 standard."""

    standard = forms.ChoiceField(label=_("Chuẩn mực"), widget=forms.Select(attrs=SELECT))
    met = forms.TypedChoiceField(label=_("Đánh giá"), coerce=lambda v: v == "1", widget=forms.Select(attrs=SELECT),
                                 choices=[("1", _("Đạt")), ("0", _("Chưa đạt"))])
    note = forms.CharField(label=_("Nhận xét"), required=False, max_length=4000, widget=_area(2))

    def __init__(self, *args, **kwargs) -> None:
        from .reasons import ETHICS_LABELS

        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [(k, v) for k, v in ETHICS_LABELS.items()]


class StepForm(forms.Form):
    """The next step: a meeting of the right body and the vote-counting minutes copied from paper."""

    OTHERS = 3

    meeting = forms.ModelChoiceField(label=_("Hội nghị"), queryset=Meeting.objects.none(),
                                     widget=forms.Select(attrs=SELECT))
    issued = CountField(label=_("Số phiếu phát ra"))
    returned = CountField(label=_("Số phiếu thu về"))
    valid = CountField(label=_("Số phiếu hợp lệ"))
    invalid = CountField(label=_("Số phiếu không hợp lệ"), initial=0)
    nominee_votes = CountField(label=_("Số phiếu của người được giới thiệu"), required=False)
    note = forms.CharField(label=_("Ghi chú, ý kiến thẩm định"), required=False, max_length=4000, widget=_area(2))
    explanation = _explanation()

    def __init__(self, *args, nomination: Nomination, spec: rules.StepSpec | None, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination, self.user = nomination, user
        meetings = Meeting.objects.filter(date__lte=today()).select_related("body__organization")
        if spec is None:
            meetings = meetings.none()
        elif spec.where == "own":
            meetings = meetings.filter(body__organization=nomination.organization, body__kind__in=spec.bodies)
        else:
            from organizations.access import orgs_for

            meetings = meetings.filter(body__organization__in=orgs_for(user), body__kind__in=spec.bodies)
        # Only what the service would take: not a meeting an earlier step used, none before the previous step.
        previous = nomination.steps.order_by("-number").values_list("held_on", flat=True).first() \
            or nomination.introduced_on
        meetings = meetings.exclude(pk__in=nomination.steps.filter(meeting__isnull=False).values("meeting_id"))
        if previous is not None:
            meetings = meetings.filter(date__gte=previous)
        self.fields["meeting"].queryset = meetings.order_by("-date", "-pk")
        self.fields["meeting"].label_from_instance = lambda m: f"{m} — {m.body}"
        for i in range(1, self.OTHERS + 1):
            self.fields[f"other_card_{i}"] = forms.CharField(
                label=_("Số thẻ đảng viên của người khác được bỏ phiếu (%(n)s)") % {"n": i}, required=False,
                max_length=20, widget=forms.TextInput(attrs=TEXT))
            self.fields[f"other_votes_{i}"] = CountField(label=_("Số phiếu (%(n)s)") % {"n": i}, required=False)

    def clean(self):
        data = super().clean()
        votes = []
        if data.get("nominee_votes") is not None:
            votes.append((self.nomination.nominee_id, data["nominee_votes"]))
        for i in range(1, self.OTHERS + 1):
            card = (data.get(f"other_card_{i}") or "").strip()
            count = data.get(f"other_votes_{i}")
            if not card and count is None:
                continue
            if count is None:
                self.add_error(f"other_votes_{i}", _("Ghi số phiếu."))
                continue
            person = person_by_card(self, f"other_card_{i}", self.user) if card else None
            if not card:
                self.add_error(f"other_card_{i}", _("Ghi số thẻ đảng viên."))
            elif person is not None:
                votes.append((person.pk, count))
        data["votes"] = tuple(votes)
        return data

    def counts(self) -> rules.Counts:
        d = self.cleaned_data
        return rules.Counts(issued=d["issued"], returned=d["returned"], valid=d["valid"], invalid=d["invalid"],
                            votes=d["votes"])


class TieForm(forms.Form):
    selected = forms.TypedChoiceField(label=_("Quyết định của người đứng đầu"),
                                      choices=[("yes", _("Lựa chọn")), ("no", _("Không lựa chọn"))],
                                      coerce=lambda v: v == "yes", widget=forms.Select(attrs=SELECT))


class AppointForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Quyết định của cấp có thẩm quyền"), queryset=Decision.objects.none(),
                                      widget=forms.Select(attrs=SELECT))
    start = DateField(label=_("Ngày bắt đầu giữ chức vụ"))

    def __init__(self, *args, nomination: Nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            Decision.objects.filter(organization__path__in=nomination.organization.ancestor_paths(),
                                    status=DecisionStatus.VALID, matter__field=Field.PERSONNEL)
            .select_related("organization").order_by("-date", "-pk"))
        self.fields["decision"].label_from_instance = lambda d: f"{d.title} — {d.organization.name} ({d.date:%d/%m/%Y})"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=_area(2))
