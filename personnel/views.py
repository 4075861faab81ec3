"""Pages of personnel work: the nomination registers, a nomination and its acts, the nominator's record.

Thin: objects come through the access helpers, input through forms, writes through ``personnel.services``.
One act per view; a refusal is shown on its form with the inputs kept. The wider conference's results are
withheld by ``personnel.selectors`` from whoever may not read them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from common.ids import parse_pk
from common.tables import list_response
from organizations import access
from organizations.models import Person, today

from . import rules, services
from .filters import NominationFilter, RecordFilter
from .forms import (
    AppointForm,
    DraftEditForm,
    DraftForm,
    IntroduceForm,
    ReasonForm,
    StandardsNoteForm,
    StepForm,
    TieForm,
)
from .models import (
    Nomination,
    NominationKind,
    NominationState,
    ProcedureStep,
    StepResult,
)
from .permissions import (
    ASSESS_STANDARDS,
    INTRODUCE,
    MANAGE_PERSONNEL,
    VIEW_CONFIDENTIAL,
    VIEW_NOMINATOR_RECORD,
    VIEW_PERSONNEL,
)
from .reasons import LEVEL_LABELS, PROGRAM_LABELS, step_label
from .selectors import (
    confidential_paths,
    later_events,
    nomination_entries,
    nomination_register,
    nomination_steps,
    nominations_for,
    record_entries,
    record_nominations,
    record_paths,
    record_visible,
    shown_standards,
    step_name,
)
from .services import PROGRAM_PARTS
from .tables import MadeTable, NominationTable, RecordTable

# Shown after "Quy tắc khi đạt đúng 50%:" on a nomination's page.
HALF_VOTE_LABELS = {"head_decides": gettext_lazy("Người đứng đầu quyết định"),
                    "not_passed": gettext_lazy("Không đạt")}


def _nominations():
    return Nomination.objects.select_related(
        "organization", "target", "position", "nominee", "nominator", "nominator_tenure__position",
        "nominator_tenure__organization", "dismissed_tenure__position", "dismissed_tenure__organization",
        "decision", "corrects", "appointed_tenure")


def _get(request: HttpRequest, pk, perm: str | None = VIEW_PERSONNEL) -> Nomination:
    nomination = access.get_owned_for(request, _nominations(), pk, None)
    if VIEW_PERSONNEL not in nomination.org.perms or (perm and perm not in nomination.org.perms):
        raise PermissionDenied
    return nomination


def _is_nominator(user, nomination: Nomination) -> bool:
    person = getattr(user, "person", None)
    return person is not None and nomination.nominator_id == person.pk


def _next_spec(nomination: Nomination) -> rules.StepSpec | None:
    if nomination.state not in (NominationState.INTRODUCED, NominationState.AT_STEP):
        return None
    spec = rules.step_spec(nomination.kind, nomination.source, nomination.current_step + 1)
    return None if spec is None or spec.mode == "introduction" else spec


def _acts(request: HttpRequest, nomination: Nomination, steps) -> dict:
    """Which acts the page offers this reader (the services check again under the lock)."""
    perms, user = nomination.org.perms, request.user
    manage, introduce = MANAGE_PERSONNEL in perms, INTRODUCE in perms
    draft = nomination.state == NominationState.DRAFT
    mine = _is_nominator(user, nomination)
    pending_tie = any(s.step.result == StepResult.TIE for s in steps)
    return {
        "edit": draft and (manage or introduce),
        "introduce": draft and ((introduce and mine) if nomination.is_pilot else manage),
        "step": manage and not pending_tie and _next_spec(nomination) is not None,
        "tie": introduce and pending_tie,
        "appoint": manage and nomination.state == NominationState.SELECTED,
        "withdraw": nomination.is_open and (manage or (introduce and mine)),
        "correct": nomination.is_open and not draft and (manage or (introduce and mine)),
    }


def _pilot() -> dict:
    in_force, ends = services.pilot_in_force(today())
    return {"in_force": in_force, "ends": ends,
            "scope": [str(LEVEL_LABELS.get(v, v)) for v in services.pilot_scope()],
            "half_vote": str(HALF_VOTE_LABELS.get(settings.PERSONNEL_HALF_VOTE, settings.PERSONNEL_HALF_VOTE))}


def _page(request: HttpRequest, nomination: Nomination, *, forms: dict | None = None, status: int = 200
          ) -> HttpResponse:
    org = nomination.org
    paths = None if VIEW_CONFIDENTIAL in org.perms else []
    steps = nomination_steps(nomination, paths)
    acts = _acts(request, nomination, steps)
    forms = forms or {}
    program = [(PROGRAM_LABELS[p], (nomination.action_program or {}).get(p, "")) for p in PROGRAM_PARTS]
    return render(request, "personnel/nomination.html", {
        "org": org, "nomination": nomination, "steps": steps, "entries": nomination_entries(nomination, paths),
        "acts": acts, "program": program, "pilot": _pilot(),
        "current_step": step_name(nomination, nomination.current_step),
        "sees_record": VIEW_NOMINATOR_RECORD in org.perms and nomination.nominator_id is not None,
        # The nominee's name links to their page for a reader who may open it (an external nominee may not be).
        "nominee_reachable": access.people_for(request.user).filter(pk=nomination.nominee_id).exists(),
        "standards": shown_standards(nomination, today()) if not nomination.finished else None,
        "standards_form": (forms.get("standards") or StandardsNoteForm(prefix="s"))
        if ASSESS_STANDARDS in org.perms and not nomination.finished else None,
        "tie_form": forms.get("tie") or TieForm(), "withdraw_form": forms.get("withdraw") or ReasonForm(prefix="w"),
        "correct_form": forms.get("correct") or ReasonForm(prefix="c"),
        "corrections": list(nomination.corrections.only("pk", "state")),
        # A refusal of an act whose form the page no longer offers (the nomination has moved on) is shown on top.
        "refusals": [e for name, f in forms.items() if not acts.get(name) for e in f.non_field_errors()],
    }, status=status)


# --- registers ----------------------------------------------------------------------------------------


def nominations(request: HttpRequest, pk: int) -> HttpResponse:
    """The nominations made in the organization and everything below it."""
    org = access.get_organization_for(request, pk, VIEW_PERSONNEL)
    filters = NominationFilter(request.GET, queryset=nomination_register(org))
    return list_response(request, NominationTable(filters.qs), "personnel/nominations.html", {
        "org": org, "filter": filters,
        "can_draft": bool({MANAGE_PERSONNEL, INTRODUCE} & org.perms)}, filename="gioi-thieu-nhan-su")


def my_nominations(request: HttpRequest) -> HttpResponse:
    """The nominations of every organization where the reader may see personnel work."""
    if access.granted_paths(request.user, VIEW_PERSONNEL) == []:
        raise Http404
    filters = NominationFilter(request.GET, queryset=nominations_for(request.user))
    tops = list(access.top_organizations_for(request.user, VIEW_PERSONNEL)[:20])
    return list_response(request, NominationTable(filters.qs), "personnel/nominations.html", {
        "org": None, "filter": filters, "tops": tops}, filename="gioi-thieu-nhan-su")


# --- a nomination -------------------------------------------------------------------------------------


def nomination(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _get(request, pk))


@require_http_methods(["GET", "POST"])
def nomination_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft under the organization: the office's, or the head's own."""
    org = access.get_organization_for(request, pk)
    if not {MANAGE_PERSONNEL, INTRODUCE} & org.perms:
        raise PermissionDenied
    form = DraftForm(request.POST or None, organization=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        nominator = None
        if d["kind"] != NominationKind.STANDARD:
            own = getattr(request.user, "person", None) if INTRODUCE in org.perms else None
            nominator = own or org.head_on(today())
            if nominator is None:
                form.add_error(None, _("%(org)s chưa có người đứng đầu: không ai sử dụng được thẩm quyền này.")
                               % {"org": org.name})
        if not form.errors:
            try:
                created = services.nomination_draft(
                    organization=org, kind=d["kind"], position=d["position"], nominee=d["nominee"],
                    source=d["source"], actor=request.user, target=d["target"], nominator=nominator,
                    rationale=d["rationale"], action_program=form.program(), dismissed_tenure=d["dismissed_tenure"],
                    grounds=d["grounds"], procedure=d["procedure"],
                    planning_exception_ref=d["planning_exception_ref"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã ghi dự thảo giới thiệu."))
                return redirect(created)
    return render(request, "personnel/draft_form.html", {"org": org, "form": form, "nomination": None},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _get(request, pk)
    if not {MANAGE_PERSONNEL, INTRODUCE} & nomination.org.perms:
        raise PermissionDenied
    if nomination.state != NominationState.DRAFT:
        messages.error(request, _("Giới thiệu đã gửi không sửa được; hãy ghi một văn bản thay thế."))
        return redirect(nomination)
    form = DraftEditForm(request.POST or None, nomination=nomination)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_change(nomination=nomination, actor=request.user, **form.changes())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã sửa dự thảo."))
            return redirect(nomination)
    return render(request, "personnel/draft_form.html", {"org": nomination.org, "form": form,
                                                         "nomination": nomination},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def nomination_introduce(request: HttpRequest, pk: int) -> HttpResponse:
    """What stops the introduction on the day typed, shown before the head confirms it."""
    nomination = _get(request, pk)
    if not nomination.may_introduce(request.user):
        raise PermissionDenied
    form = IntroduceForm(request.POST or None, initial={"on": today()})
    on = today()
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["on"]
        try:
            services.nomination_introduce(nomination=nomination, on=on, actor=request.user,
                                          explanation=form.cleaned_data["explanation"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã giới thiệu nhân sự."))
            return redirect(nomination)
    reasons = services.introduction_reasons(nomination, on) if nomination.state == NominationState.DRAFT else []
    return render(request, "personnel/introduce.html", {"org": nomination.org, "nomination": nomination,
                                                        "form": form, "reasons": reasons, "on": on,
                                                        "standards": shown_standards(nomination, on)},
                  status=400 if form.errors else 200)


@require_POST
def standards_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization board records its judgement of one Regulation 144 standard (the service authorizes)."""
    nomination = _get(request, pk)
    if ASSESS_STANDARDS not in nomination.org.perms:
        raise PermissionDenied
    form = StandardsNoteForm(request.POST, prefix="s")
    if form.is_valid():
        try:
            services.standards_note_record(nomination=nomination, standard=form.cleaned_data["standard"],
                                           met=form.cleaned_data["met"], note=form.cleaned_data["note"],
                                           actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi đánh giá chuẩn mực."))
            return redirect(nomination)
    return _page(request, nomination, forms={"standards": form}, status=400)


@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The next step's meeting and vote-counting minutes; the result follows from the counts."""
    nomination = _get(request, pk, MANAGE_PERSONNEL)
    spec = _next_spec(nomination)
    form = StepForm(request.POST or None, nomination=nomination, spec=spec, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_record(nomination=nomination, meeting=form.cleaned_data["meeting"], counts=form.counts(),
                                 actor=request.user, note=form.cleaned_data["note"],
                                 explanation=form.cleaned_data["explanation"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi kết quả bước %(n)s.") % {"n": nomination.current_step + 1})
            return redirect(nomination)
    return render(request, "personnel/step_form.html", {
        "org": nomination.org, "nomination": nomination, "form": form, "spec": spec,
        "label": step_label(spec.code) if spec else "",
        # Today's check; the step stores it as it stood on its meeting's day.
        "standards": shown_standards(nomination, today()) if spec else None}, status=400 if form.errors else 200)


@require_POST
def step_settle(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly 50%: the head decides."""
    step = access.get_owned_for(request, ProcedureStep.objects.select_related("nomination__organization"), pk,
                                INTRODUCE)
    nomination = _nominations().get(pk=step.nomination_id)
    nomination.org = step.org
    form = TieForm(request.POST)
    if form.is_valid():
        try:
            services.step_settle_tie(step=step, selected=form.cleaned_data["selected"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi quyết định của người đứng đầu."))
            return redirect(nomination)
    return _page(request, nomination, forms={"tie": form}, status=400)


@require_http_methods(["GET", "POST"])
def nomination_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The competent level's decision, from the decision register, and the day the post is taken up."""
    nomination = _get(request, pk, MANAGE_PERSONNEL)
    form = AppointForm(request.POST or None, nomination=nomination)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_appoint(nomination=nomination, decision=form.cleaned_data["decision"],
                                        start=form.cleaned_data["start"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi quyết định của cấp có thẩm quyền."))
            return redirect(nomination)
    return render(request, "personnel/appoint_form.html", {"org": nomination.org, "nomination": nomination,
                                                           "form": form}, status=400 if form.errors else 200)


def _may_withdraw(request: HttpRequest, nomination: Nomination) -> None:
    perms = nomination.org.perms
    if not (MANAGE_PERSONNEL in perms or (INTRODUCE in perms and _is_nominator(request.user, nomination))):
        raise PermissionDenied


@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _get(request, pk)
    _may_withdraw(request, nomination)
    form = ReasonForm(request.POST, prefix="w")
    if form.is_valid():
        try:
            services.nomination_withdraw(nomination=nomination, reason=form.cleaned_data["reason"], on=today(),
                                         actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã rút giới thiệu."))
            return redirect(nomination)
    return _page(request, nomination, forms={"withdraw": form}, status=400)


@require_POST
def nomination_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A mistake in an introduced nomination: withdrawn with the reason, a new draft opened in its place."""
    nomination = _get(request, pk)
    _may_withdraw(request, nomination)
    form = ReasonForm(request.POST, prefix="c")
    if form.is_valid():
        try:
            draft = services.nomination_correct(nomination=nomination, reason=form.cleaned_data["reason"],
                                                on=today(), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã rút giới thiệu và mở dự thảo thay thế."))
            return redirect(draft)
    return _page(request, nomination, forms={"correct": form}, status=400)


# --- the nominator's record ---------------------------------------------------------------------------


def nominator_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything ``pk`` nominated and what became of each nominee since, read from the nominations and the
    ledger (never from tenures): whole after the nominator has left the post."""
    key = parse_pk(pk)
    person = Person.objects.filter(pk=key).first() if key is not None else None
    if person is None:
        raise Http404
    paths = record_paths(request.user)
    if not record_visible(person, paths):
        raise Http404
    filters = RecordFilter(request.GET, queryset=record_entries(person, paths))
    table = RecordTable(filters.qs, confidential_paths=confidential_paths(request.user))
    made = MadeTable(record_nominations(person, paths).annotate(later=later_events()))
    return list_response(request, table, "personnel/nominator_record.html", {
        "person": person, "filter": filters}, filename="qua-trinh-gioi-thieu-nhan-su", others={"made": made})
