"""Pages of the confidence votes: the register of a subtree's results (filters, sort, export) and recording a
vote from its minutes (the meeting first, then one row of counts per cadre the portal proposes). Thin: access,
forms, the service (``confidence_services.confidence_record``), which authorizes."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import CountField
from common.ids import parse_pk
from common.tables import ChoicesColumn, DateColumn, PortalFilterSet, PortalTable, list_response
from governance.models import Meeting
from organizations import access
from organizations.models import today

from . import confidence
from .confidence_services import VOTING_BODIES, confidence_proposal, confidence_record
from .models import ConfidenceOutcome, ConfidenceResult, ConfidenceVote
from .permissions import MANAGE_PERSONNEL, VIEW_PERSONNEL

LEFT_OUT_LABELS = {confidence.RETIRING: gettext_lazy("Đã có thông báo nghỉ hưu"),
                   confidence.NEW_THIS_YEAR: gettext_lazy("Được bầu, bổ nhiệm trong năm")}
BASE_LABELS = {"returned": gettext_lazy("số phiếu thu về"), "issued": gettext_lazy("số phiếu phát ra"),
               "convened": gettext_lazy("số người được triệu tập")}


def _base_label() -> str:
    """The base of the fractions the province's setting names, as the pages say it."""
    rule = settings.PERSONNEL_CONFIDENCE_BASE
    return str(BASE_LABELS.get(rule, rule))


class ResultTable(PortalTable):
    held_on = DateColumn(verbose_name=gettext_lazy("Ngày lấy phiếu"), accessor="vote__held_on")
    organization = tables.Column(verbose_name=gettext_lazy("Tổ chức"), accessor="vote__organization__name")
    person = tables.Column(verbose_name=gettext_lazy("Cán bộ"), accessor="person__full_name",
                           linkify=lambda record: record.person.get_absolute_url(),
                           order_by=("person__sort_name", "person__full_name"))
    post = tables.Column(verbose_name=gettext_lazy("Chức vụ"), accessor="tenure__position__title")
    high = tables.Column(verbose_name=gettext_lazy("Tín nhiệm cao"), attrs={"td": {"class": "text-end"}})
    confidence = tables.Column(verbose_name=gettext_lazy("Tín nhiệm"), attrs={"td": {"class": "text-end"}})
    low = tables.Column(verbose_name=gettext_lazy("Tín nhiệm thấp"), attrs={"td": {"class": "text-end"}})
    invalid = tables.Column(verbose_name=gettext_lazy("Phiếu không hợp lệ"), attrs={"td": {"class": "text-end"}})
    base = tables.Column(verbose_name=gettext_lazy("Căn cứ tính tỷ lệ"), attrs={"td": {"class": "text-end"}})
    outcome = ChoicesColumn(ConfidenceOutcome.choices, verbose_name=gettext_lazy("Kết quả"))

    class Meta(PortalTable.Meta):
        model = ConfidenceResult
        fields = ("held_on", "organization", "person", "post", "high", "confidence", "low", "invalid", "base",
                  "outcome")
        order_by = ("-held_on",)
        attrs = {**PortalTable.Meta.attrs, "data-testid": "confidence-results"}
        row_attrs = {"class": lambda record: "table-warning" if record.outcome != ConfidenceOutcome.OK else "",
                     "data-outcome": lambda record: record.outcome}


class ResultFilter(PortalFilterSet):
    year = django_filters.NumberFilter(field_name="vote__year", label=gettext_lazy("Năm"), min_value=1900,
                                       max_value=2199)
    outcome = django_filters.ChoiceFilter(choices=ConfidenceOutcome.choices, label=gettext_lazy("Kết quả"),
                                          empty_label=gettext_lazy("Tất cả"))

    class Meta:
        model = ConfidenceResult
        fields: list[str] = []


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The confidence votes' results in the organization and below it."""
    org = access.get_organization_for(request, pk, VIEW_PERSONNEL)
    rows = (ConfidenceResult.objects.filter(vote__organization__path__startswith=org.path)
            .select_related("vote__organization", "person", "tenure__position"))
    filters = ResultFilter(request.GET, queryset=rows)
    return list_response(request, ResultTable(filters.qs), "personnel/confidence_register.html", {
        "org": org, "filter": filters, "may_record": MANAGE_PERSONNEL in org.perms,
        "base_label": _base_label()}, filename="lay-phieu-tin-nhiem")


class VoteForm(forms.Form):
    """The ballots of the vote, then per cadre proposed: notified of retirement, and the four counts."""

    issued = CountField(label=gettext_lazy("Số phiếu phát ra"))
    returned = CountField(label=gettext_lazy("Số phiếu thu về"))

    def __init__(self, *args, proposal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        for p in proposal:
            if p.left_out == confidence.NEW_THIS_YEAR:
                continue
            key = p.tenure.pk
            self.fields[f"t{key}_retiring"] = forms.BooleanField(label=gettext_lazy("Đã có thông báo nghỉ hưu"),
                                                                 required=False)
            for name, label in (("high", gettext_lazy("Tín nhiệm cao")), ("confidence", gettext_lazy("Tín nhiệm")),
                                ("low", gettext_lazy("Tín nhiệm thấp")),
                                ("invalid", gettext_lazy("Phiếu không hợp lệ"))):
                self.fields[f"t{key}_{name}"] = CountField(label=label, required=False)

    def rows(self) -> tuple[list[tuple[int, confidence.CadreCounts]], set[int]]:
        """(tenure id, counts) of every cadre voted on, and the tenures notified of retirement."""
        rows, retiring = [], set()
        for p in self.proposal:
            key = p.tenure.pk
            if f"t{key}_retiring" not in self.fields:
                continue
            if self.cleaned_data.get(f"t{key}_retiring"):
                retiring.add(key)
                continue
            values = [self.cleaned_data.get(f"t{key}_{n}") for n in ("high", "confidence", "low", "invalid")]
            if all(v is None for v in values):
                continue
            rows.append((key, confidence.CadreCounts(*[v or 0 for v in values])))
        return rows, retiring

    def cadres(self):
        """The proposal as the page lays it out: each cadre with their fields (none for one left off)."""
        for p in self.proposal:
            key = p.tenure.pk
            yield {"tenure": p.tenure, "left_out": str(LEFT_OUT_LABELS.get(p.left_out, "")),
                   "fields": [self[f"t{key}_{n}"] for n in ("retiring", "high", "confidence", "low", "invalid")
                              if f"t{key}_{n}" in self.fields]}


def record(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?meeting=: the list for that meeting's day; POST: the vote (the service authorizes and checks)."""
    org = access.get_organization_for(request, pk, MANAGE_PERSONNEL)
    meetings = (Meeting.objects.filter(body__organization=org, body__kind__in=VOTING_BODIES, date__lte=today())
                .exclude(pk__in=ConfidenceVote.objects.values("meeting_id")).select_related("body")
                .order_by("-date", "-pk"))
    key = parse_pk((request.POST or request.GET).get("meeting", ""))
    meeting = meetings.filter(pk=key).first() if key is not None else None
    form = None
    if meeting is not None:
        form = VoteForm(request.POST or None, proposal=confidence_proposal(org, meeting.date))
        if request.method == "POST" and form.is_valid():
            rows, retiring = form.rows()
            try:
                confidence_record(organization=org, meeting=meeting, issued=form.cleaned_data["issued"],
                                  returned=form.cleaned_data["returned"], rows=rows, retiring=retiring,
                                  actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã ghi kết quả lấy phiếu tín nhiệm."))
                return redirect("personnel:confidence_votes", pk=org.pk)
    status = 400 if (form is not None and form.errors) or (request.method == "POST" and meeting is None) else 200
    return render(request, "personnel/confidence_record.html", {
        "org": org, "meetings": meetings[:200], "meeting": meeting, "form": form,
        "base_label": _base_label()}, status=status)
