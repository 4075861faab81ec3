"""Pages of the working regulations: versions, meetings, decisions, minutes, the inspection queue.

Thin: objects come through the access helpers, input through forms, writes
through ``governance.services``. One action per view.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.tables import list_response
from organizations import access
from organizations.models import today

from . import services as svc
from .access import get_decision_for, get_matter_for, get_meeting_for, get_regulation_for
from .forms import (
    AdoptForm,
    AssignmentForm,
    AttendanceFormSet,
    DateRangeForm,
    DecisionForm,
    IndividualDecisionForm,
    MatterForm,
    MeetingForm,
    OnDateForm,
    ReportBackForm,
    TemplateForm,
)
from .models import DecisionStatus, Meeting
from .permissions import RECORD_DECISIONS, SIGN_DECISIONS
from .selectors import (
    decision_dashboard,
    decision_register,
    meeting_register,
    responsibilities_of,
    responsibility_matrix,
)
from .tables import DecisionFilter, DecisionTable, IrregularTable, MeetingFilter, MeetingTable


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


@require_http_methods(["GET", "POST"])
def working_regulations(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk)
    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        if RECORD_DECISIONS not in org.perms:
            raise PermissionDenied
        if form.is_valid():
            template = form.cleaned_data["template"]
            try:
                if template == "copy":
                    draft = svc.regulation_draft(organization=org, title=form.cleaned_data["title"],
                                                 actor=request.user)
                else:
                    draft = svc.regulation_from_template(organization=org, template=template,
                                                         title=form.cleaned_data["title"], actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(draft)
    return render(request, "governance/working_regulations.html", {
        "org": org, "form": form, "can_record": RECORD_DECISIONS in org.perms,
        "versions": org.working_regulations.select_related("adopted_by"),
        "in_force": svc.regulation_in_force(org, today()),
    })


def _matter_key(m) -> tuple:
    cited = tuple(sorted((c.document_id, c.anchor) for c in m.citations.all()))
    return (m.title, m.field, m.mode, m.body_kind, m.role, m.quorum, m.threshold, m.ballot, m.election,
            m.report_within_days, cited)


def working_regulation(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = get_regulation_for(request, pk)
    org = regulation.org
    matters = list(regulation.matters.prefetch_related("citations__document"))
    other = regulation.previous
    compare = access.parse_pk(request.GET.get("compare"))
    if compare is not None:
        other = org.working_regulations.filter(pk=compare).first() or other
    changes = None
    if other is not None:
        theirs = {m.code: m for m in other.matters.prefetch_related("citations__document")}
        ours = {m.code: m for m in matters}
        changes = {"other": other,
                   "added": [ours[c] for c in ours if c not in theirs],
                   "removed": [theirs[c] for c in theirs if c not in ours],
                   "changed": [ours[c] for c in ours if c in theirs and _matter_key(ours[c]) != _matter_key(theirs[c])]}
    return render(request, "governance/working_regulation.html", {
        "org": org, "regulation": regulation, "matters": matters, "changes": changes,
        "can_record": RECORD_DECISIONS in org.perms, "adopt_form": AdoptForm(),
    })


@require_POST
def working_regulation_adopt_review(request: HttpRequest, pk: int) -> HttpResponse:
    """What adopting a draft from the date typed would do (the version it ends), before the act: nothing
    is written here; the confirmation posts to ``working_regulation_adopt``."""
    regulation = get_regulation_for(request, pk, RECORD_DECISIONS)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(regulation)
    start = form.cleaned_data["start"]
    # The adoption's own checks, run here too: a start it would refuse is shown refused, not offered.
    try:
        ends = svc.regulation_adoption_check(regulation=regulation, start=start)
    except ValidationError as exc:
        ends, refusal = [], exc
    else:
        refusal = None
    return render(request, "governance/adopt_confirm.html", {
        "org": regulation.org, "regulation": regulation, "form": form, "start": start, "refusal": refusal,
        "ends": ends, "matters": regulation.matters.count()}, status=400 if refusal else 200)


@require_POST
def working_regulation_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Adopt a draft from the date confirmed on the review page."""
    regulation = get_regulation_for(request, pk, RECORD_DECISIONS)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(regulation)
    start = form.cleaned_data["start"]
    try:
        svc.regulation_adopt(regulation=regulation, start=start, actor=request.user,
                             adoption_ref=form.cleaned_data["adoption_ref"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ban hành quy chế từ ngày %(d)s.")
                         % {"d": date_format(start, "SHORT_DATE_FORMAT")})
    return redirect(regulation)


def _draft_of(request: HttpRequest, regulation):
    if regulation.is_adopted:
        messages.error(request, _("Quy chế đã ban hành không sửa được; hãy tạo phiên bản mới."))
        return None
    return regulation


@require_http_methods(["GET", "POST"])
def matter_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an entry to a draft's catalog."""
    regulation = get_regulation_for(request, pk, RECORD_DECISIONS)
    if _draft_of(request, regulation) is None:
        return redirect(regulation)
    form = MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            matter = svc.matter_add(regulation=regulation, actor=request.user, provisions=d["provisions_list"],
                                    **{f: d[f] for f in svc.MATTER_FIELDS})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm vấn đề %(m)s.") % {"m": matter})
            return redirect(regulation)
    return render(request, "governance/matter_form.html",
                  {"org": regulation.org, "regulation": regulation, "form": form, "matter": None})


@require_http_methods(["GET", "POST"])
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an entry of a draft's catalog; only the fields its way of deciding uses are kept."""
    matter = get_matter_for(request, pk, RECORD_DECISIONS)
    regulation = matter.regulation
    if _draft_of(request, regulation) is None:
        return redirect(regulation)
    form = MatterForm(request.POST or None, initial=MatterForm.initial_for(matter))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.matter_change(matter=matter, actor=request.user, provisions=d["provisions_list"],
                              **{f: d[f] for f in svc.MATTER_FIELDS})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã sửa vấn đề %(m)s.") % {"m": matter.code})
            return redirect(regulation)
    return render(request, "governance/matter_form.html",
                  {"org": matter.org, "regulation": regulation, "form": form, "matter": matter})


@require_POST
def matter_remove(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for(request, pk, RECORD_DECISIONS)
    try:
        svc.matter_remove(matter=matter, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã bỏ vấn đề %(m)s khỏi danh mục.") % {"m": matter})
    return redirect(matter.regulation)


def _matter_move(request: HttpRequest, pk: int, *, up: bool) -> HttpResponse:
    matter = get_matter_for(request, pk, RECORD_DECISIONS)
    try:
        svc.matter_move(matter=matter, up=up, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(f"{matter.regulation.get_absolute_url()}#matter-{matter.pk}")


@require_POST
def matter_move_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _matter_move(request, pk, up=True)


@require_POST
def matter_move_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _matter_move(request, pk, up=False)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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


def _meeting_page(request: HttpRequest, meeting: Meeting, *, formset=None, form=None, refusal=None,
                  status: int = 200) -> HttpResponse:
    org = meeting.org
    ahead = meeting.date > today()  # scheduled: nothing is recorded before its day
    can_record = RECORD_DECISIONS in org.perms and not meeting.frozen and not ahead
    attendance = list(meeting.attendance.select_related("person").order_by("person__sort_name", "person_id"))
    by_person = {a.person_id: a for a in attendance}
    if formset is None:
        formset = AttendanceFormSet(initial=[{"person": a.person_id, "present": a.present,
                                              "reason": a.absence_reason} for a in attendance])
    for row in formset.forms:
        row.attendance = by_person.get(access.parse_pk(row["person"].value()))
    voters = [a for a in attendance if a.voting]
    return render(request, "governance/meeting.html", {
        "org": org, "meeting": meeting, "formset": formset, "can_record": can_record, "refusal": refusal,
        "ahead": ahead, "attendance": attendance,
        "form": form or DecisionForm(meeting=meeting, user=request.user),
        "present": sum(a.present for a in voters), "voters": len(voters),
        "non_voting": [a for a in attendance if not a.voting],
        "agenda": meeting.agenda.select_related("matter"),
        "decisions": meeting.decisions.select_related("matter").prefetch_related("recused",
                                                                                  "matter__citations__document"),
    }, status=status)


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, get_meeting_for(request, pk))


@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call, saved in one act: one bad row and nothing is saved, every input shown again."""
    meeting = get_meeting_for(request, pk, RECORD_DECISIONS)
    formset = AttendanceFormSet(request.POST)
    if formset.is_valid():
        rows = [svc.AttendanceRow(f.cleaned_data["person"], f.cleaned_data["present"], f.cleaned_data["reason"])
                for f in formset.forms if f.cleaned_data]
        try:
            svc.attendance_save(meeting=meeting, rows=rows, actor=request.user)
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("Đã cập nhật điểm danh."))
            return redirect(meeting)
    return _meeting_page(request, meeting, formset=formset, status=400)


@require_http_methods(["GET", "POST"])
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes: first what approving them freezes, then the act."""
    meeting = get_meeting_for(request, pk, RECORD_DECISIONS)
    if request.method != "POST":
        if meeting.frozen:
            return redirect(meeting)
        return render(request, "governance/approve_confirm.html", {
            "org": meeting.org, "meeting": meeting,
            "present": meeting.attendance.filter(present=True).count(),
            "absent": meeting.attendance.filter(present=False).count(),
            "decisions": meeting.decisions.select_related("matter").order_by("pk")})
    try:
        svc.minutes_approve(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Biên bản đã được thông qua; hội nghị và các quyết định được khóa."))
    return redirect(meeting)


@require_POST
def meeting_decision(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, RECORD_DECISIONS)
    form = DecisionForm(request.POST, meeting=meeting, user=request.user)
    if not form.is_valid():
        return _meeting_page(request, meeting, form=form, status=400)
    d = form.cleaned_data
    try:
        svc.decision_record_collective(
            meeting=meeting, matter=d["matter"], title=d["title"], votes_for=d["votes_for"],
            votes_against=d["votes_against"], abstaining=d["abstaining"], ballot=d["ballot"],
            concerns=d["concerns"], record_as_irregular=d["record_as_irregular"], corrects=d["corrects"],
            actor=request.user)
    except svc.DecisionRefused as exc:
        return _meeting_page(request, meeting, form=form, refusal=exc.reasons, status=400)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(meeting)
    messages.success(request, _("Đã ghi quyết định."))
    return redirect(meeting)


def decision(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for(request, pk)
    org = decision.org
    can_report = (RECORD_DECISIONS in org.perms and decision.signatory_id is not None
                  and decision.reported_on is None)
    return render(request, "governance/decision.html", {
        "org": org, "decision": decision, "corrections": decision.corrections.all(),
        "overdue": decision.overdue_on(), "due": decision.report_due,
        "report_form": ReportBackForm(decision=decision) if can_report else None})


@require_POST
def decision_report_back(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for(request, pk, RECORD_DECISIONS)
    form = ReportBackForm(request.POST, decision=decision)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(decision)
    try:
        svc.decision_report_back(decision=decision, meeting=form.cleaned_data["meeting"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ghi nhận việc báo cáo tập thể."))
    return redirect(decision)


def irregular_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection committee's queue: irregular decisions in the subtree, newest first, every one."""
    org = access.get_organization_for(request, pk, access.VIEW_DISCIPLINE)
    filters = DecisionFilter(request.GET, queryset=decision_register(org).filter(status=DecisionStatus.IRREGULAR))
    return list_response(request, IrregularTable(filters.qs), "governance/irregular_queue.html",
                         {"org": org, "filter": filters}, filename="quyet-dinh-can-kiem-tra")


def responsibilities(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk)
    form = OnDateForm(request.GET)
    on, person = today(), None
    if form.is_valid():
        on = form.cleaned_data["on"] or on
        if form.cleaned_data["person"]:
            person = access.people_for(request.user).filter(pk=form.cleaned_data["person"]).first()
    else:
        messages.error(request, _form_errors(form))
    history = responsibilities_of(person) if person is not None else None
    return render(request, "governance/responsibilities.html", {
        "org": org, "on": on, "rows": responsibility_matrix(org, on), "person": person, "history": history,
        "form": AssignmentForm(user=request.user) if RECORD_DECISIONS in org.perms else None})


def decisions_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Decisions by authority, irregular ones, overdue report-backs, stale working regulations."""
    org = access.get_organization_for(request, pk, access.VIEW_DASHBOARD)
    on = today()
    start, end = dt.date(on.year, 1, 1), on
    form = DateRangeForm({"start": request.GET.get("from", ""), "end": request.GET.get("to", "")})
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    else:
        messages.error(request, _form_errors(form))
    return render(request, "governance/decisions_dashboard.html", {
        "org": org, "start": start, "end": end, "on": on,
        "board": decision_dashboard(org, start, end, on)})


@require_http_methods(["GET", "POST"])
def individual_decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision taken alone on a matter of the head's authority, with the post that gives it.

    Committee staff record it for a signatory they pick among the post holders; a head
    records their own, signed by themselves.
    """
    org = access.get_organization_for(request, pk)
    signer = None
    if RECORD_DECISIONS not in org.perms:
        signer = getattr(request.user, "person", None)
        if SIGN_DECISIONS not in org.perms or signer is None:
            raise PermissionDenied
    form = IndividualDecisionForm(request.POST or None, organization=org, user=request.user, signer=signer)
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
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi quyết định."))
            return redirect(decision)
    return render(request, "governance/individual_decision_new.html",
                  {"org": org, "form": form, "refusal": refusal, "signer": signer})


@require_POST
def assignment_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, RECORD_DECISIONS)
    form = AssignmentForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.assignment_add(organization=org, person=d["person"], field=d["field"], description=d["description"],
                               start=d["start"], end=d["end"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Đã ghi phân công."))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''}: {e}"
                                         for f, errors in form.errors.items() for e in errors))
    return redirect("governance:responsibilities", org.pk)


# --- registers ----------------------------------------------------------------------------


def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The register of meetings of the organization and everything below it."""
    org = access.get_organization_for(request, pk)
    filters = MeetingFilter(request.GET, queryset=meeting_register(org))
    return list_response(request, MeetingTable(filters.qs), "governance/meeting_register.html",
                         {"org": org, "filter": filters,
                          "can_record": RECORD_DECISIONS in org.perms}, filename="so-hoi-nghi")


def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    """The register of decisions of the organization and everything below it."""
    org = access.get_organization_for(request, pk)
    filters = DecisionFilter(request.GET, queryset=decision_register(org))
    can_sign = SIGN_DECISIONS in org.perms and getattr(request.user, "person", None) is not None
    return list_response(request, DecisionTable(filters.qs), "governance/decision_register.html",
                         {"org": org, "filter": filters,
                          "can_record": RECORD_DECISIONS in org.perms or can_sign}, filename="so-quyet-dinh")


def _own_register(request: HttpRequest, name: str) -> HttpResponse:
    """The menu's register: of the highest organization the user may see (several: the first)."""
    top = access.top_organizations_for(request.user).first()
    if top is None:
        raise Http404
    return redirect(name, top.pk)


def my_meetings(request: HttpRequest) -> HttpResponse:
    return _own_register(request, "governance:meetings")


def my_decisions(request: HttpRequest) -> HttpResponse:
    return _own_register(request, "governance:decisions")
