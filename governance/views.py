"""Pages of the working regulations: versions, meetings, decisions, minutes, the inspection queue."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations import access
from organizations.models import today

from . import services as svc
from .access import get_decision_for, get_meeting_for, get_regulation_for
from .forms import AssignmentForm, DecisionForm, IndividualDecisionForm, MeetingForm, TemplateForm
from .models import Decision, DecisionStatus, Meeting
from .permissions import RECORD_DECISIONS
from .selectors import decision_dashboard, responsibilities_of, responsibility_matrix


@require_http_methods(["GET", "POST"])
def working_regulations(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk)
    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        if RECORD_DECISIONS not in org.perms:
            raise PermissionDenied
        if form.is_valid():
            template = form.cleaned_data["template"]
            if template == "copy":
                draft = svc.regulation_draft(organization=org, title=form.cleaned_data["title"], actor=request.user)
            else:
                draft = svc.regulation_from_template(organization=org, template=template,
                                                     title=form.cleaned_data["title"], actor=request.user)
            return redirect(draft)
    return render(request, "governance/working_regulations.html", {
        "org": org, "form": form, "can_record": RECORD_DECISIONS in org.perms,
        "versions": org.working_regulations.select_related("adopted_by"),
        "in_force": svc.regulation_in_force(org, today()),
    })


def working_regulation(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = get_regulation_for(request, pk)
    org = regulation.org
    matters = list(regulation.matters.all())
    other = regulation.previous
    compare = request.GET.get("compare")
    if compare and compare.isdigit():
        other = org.working_regulations.filter(pk=compare).first() or other
    changes = None
    if other is not None:
        def key(m):
            return (m.title, m.field, m.mode, m.body_kind, m.role, m.quorum, m.threshold, m.ballot,
                    m.report_within_days, m.provisions)
        theirs = {m.code: m for m in other.matters.all()}
        ours = {m.code: m for m in matters}
        changes = {"other": other,
                   "added": [ours[c] for c in ours if c not in theirs],
                   "removed": [theirs[c] for c in theirs if c not in ours],
                   "changed": [ours[c] for c in ours if c in theirs and key(ours[c]) != key(theirs[c])]}
    return render(request, "governance/working_regulation.html", {
        "org": org, "regulation": regulation, "matters": matters, "changes": changes,
        "can_record": RECORD_DECISIONS in org.perms,
    })


@require_POST
def working_regulation_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = get_regulation_for(request, pk, RECORD_DECISIONS)
    try:
        start = svc_date(request.POST.get("start", ""))
        svc.regulation_adopt(regulation=regulation, start=start, actor=request.user,
                             adoption_ref=request.POST.get("adoption_ref", "")[:80])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ban hành quy chế từ ngày %(d)s.") % {"d": start.strftime("%d/%m/%Y")})
    return redirect(regulation)


def svc_date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError as exc:
        raise ValidationError(_("Nhập ngày theo dạng dd/mm/yyyy.")) from exc


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, RECORD_DECISIONS)
    form = MeetingForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = svc.meeting_open(body=form.cleaned_data["body"], date=form.cleaned_data["date"],
                                       title=form.cleaned_data["title"], actor=request.user,
                                       matters=list(form.cleaned_data["matters"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(meeting)
    return render(request, "governance/meeting_new.html", {"org": org, "form": form})


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    org = meeting.org
    can_record = RECORD_DECISIONS in org.perms and not meeting.frozen
    form = DecisionForm(meeting=meeting)
    refusal = None
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "attendance":
                for row in meeting.attendance.select_related("person"):
                    present = request.POST.get(f"present-{row.person_id}") == "on"
                    reason = request.POST.get(f"reason-{row.person_id}", "")
                    if present != row.present or (not present and reason != row.absence_reason):
                        svc.attendance_set(meeting=meeting, person=row.person, present=present, reason=reason,
                                           actor=request.user)
                messages.success(request, _("Đã cập nhật điểm danh."))
                return redirect(meeting)
            if action == "approve":
                svc.minutes_approve(meeting=meeting, actor=request.user)
                messages.success(request, _("Biên bản đã được thông qua; hội nghị và các quyết định được khóa."))
                return redirect(meeting)
            if action == "decision":
                form = DecisionForm(request.POST, meeting=meeting)
                if form.is_valid():
                    d = form.cleaned_data
                    svc.decision_record_collective(
                        meeting=meeting, matter=d["matter"], title=d["title"], votes_for=d["votes_for"],
                        votes_against=d["votes_against"], abstaining=d["abstaining"], ballot=d["ballot"],
                        concerns=d["concerns"], record_as_irregular=d["record_as_irregular"],
                        corrects=d["corrects"], actor=request.user)
                    messages.success(request, _("Đã ghi quyết định."))
                    return redirect(meeting)
        except svc.DecisionRefused as exc:
            refusal = exc.reasons
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(meeting)
    attendance = list(meeting.attendance.select_related("person").order_by("person__search_name"))
    return render(request, "governance/meeting.html", {
        "org": org, "meeting": meeting, "attendance": attendance, "form": form, "refusal": refusal,
        "can_record": can_record, "present": sum(a.present for a in attendance),
        "agenda": meeting.agenda.select_related("matter"),
        "decisions": meeting.decisions.select_related("matter").prefetch_related("recused"),
    })


def decision(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for(request, pk)
    org = decision.org
    can_report = (RECORD_DECISIONS in org.perms and decision.signatory_id is not None
                  and decision.reported_on is None)
    meetings = (Meeting.objects.filter(body__organization=org, date__gte=decision.date).order_by("date")[:50]
                if can_report else [])
    return render(request, "governance/decision.html", {
        "org": org, "decision": decision, "corrections": decision.corrections.all(),
        "overdue": decision.overdue_on(), "due": decision.report_due, "meetings": meetings,
        "can_report": can_report})


def irregular_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection committee's queue: irregular decisions in the subtree, newest first."""
    org = access.get_organization_for(request, pk, access.VIEW_DISCIPLINE)
    rows = (Decision.objects.filter(organization__path__startswith=org.path, status=DecisionStatus.IRREGULAR)
            .select_related("organization", "matter").order_by("-date")[:500])
    return render(request, "governance/irregular_queue.html", {"org": org, "decisions": rows})


def responsibilities(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk)
    on = today()
    if request.GET.get("on"):
        try:
            on = svc_date(request.GET["on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    person = None
    if request.GET.get("person", "").isdigit():
        person = access.people_for(request.user).filter(pk=request.GET["person"]).first()
    history = responsibilities_of(person) if person is not None else None
    return render(request, "governance/responsibilities.html", {
        "org": org, "on": on, "rows": responsibility_matrix(org, on), "person": person, "history": history,
        "form": AssignmentForm() if RECORD_DECISIONS in org.perms else None})



def decisions_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Decisions by authority, irregular ones, overdue report-backs, stale working regulations."""
    org = access.get_organization_for(request, pk, access.VIEW_DASHBOARD)
    on = today()
    start, end = dt.date(on.year, 1, 1), on
    try:
        if request.GET.get("from"):
            start = svc_date(request.GET["from"])
        if request.GET.get("to"):
            end = svc_date(request.GET["to"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return render(request, "governance/decisions_dashboard.html", {
        "org": org, "start": start, "end": end, "on": on,
        "board": decision_dashboard(org, start, end, on)})


@require_http_methods(["GET", "POST"])
def individual_decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The head's own decision on a matter of their authority, with the post that gives it."""
    org = access.get_organization_for(request, pk, RECORD_DECISIONS)
    form = IndividualDecisionForm(request.POST or None, organization=org)
    refusal = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            decision = svc.decision_record_individual(
                organization=org, matter=d["matter"], date=d["date"], title=d["title"], signatory=d["signatory"],
                delegation_ref=d["delegation_ref"], record_as_irregular=d["record_as_irregular"],
                actor=request.user)
        except svc.DecisionRefused as exc:
            refusal = exc.reasons
        else:
            messages.success(request, _("Đã ghi quyết định."))
            return redirect(decision)
    return render(request, "governance/individual_decision_new.html", {"org": org, "form": form, "refusal": refusal})


@require_POST
def decision_report_back(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for(request, pk, RECORD_DECISIONS)
    meeting = Meeting.objects.filter(pk=request.POST.get("meeting") or 0,
                                     body__organization=decision.organization).first()
    try:
        if meeting is None:
            raise ValidationError(_("Chọn hội nghị đã nghe báo cáo."))
        svc.decision_report_back(decision=decision, meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nhận việc báo cáo tập thể."))
    return redirect(decision)


@require_POST
def assignment_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, RECORD_DECISIONS)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.assignment_add(organization=org, person=d["person"], field=d["field"], description=d["description"],
                               start=d["start"], end=d["end"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi phân công."))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''}: {e}"
                                         for f, errors in form.errors.items() for e in errors))
    return redirect("governance:responsibilities", org.pk)
