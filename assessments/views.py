"""Pages of the review: periods, the grids, an assessment, a member's results, the dashboard.

Thin: objects through ``assessments.access``, input through forms, writes
through ``assessments.services``. One action per view.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import asdict

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.charts import donut, grouped_bars, stacked_bars
from common.ids import parse_pk
from common.reasons import from_json
from common.tables import list_response, tables_response
from common.uploads import upload_form, upload_limit
from governance.models import Meeting
from organizations import access
from organizations.models import Organization, today

from . import imports, selectors
from . import services as svc
from .access import get_assessment_for, get_period_for, get_period_org_for
from .choices import LEVEL_ORDER, SHORT_LEVEL, Level, Step
from .forms import (
    AcknowledgeForm,
    AnnulForm,
    AppraiseForm,
    DecideRowForm,
    PeerGroupMergeForm,
    PeerGroupSplitForm,
    PeriodEditForm,
    PeriodForm,
    ResultsImportForm,
    ReviewMeetingForm,
    ReviewRowForm,
    SelfAssessmentForm,
    TargetResultForm,
    TargetsAssignForm,
)
from .models import Assessment, PeerGroup, Period, PeriodStatus, Reminder, Target
from .permissions import DECIDE, ENTER, MANAGE_PERIODS
from .tables import (
    ChildTable,
    FlaggedTable,
    MyResultTable,
    PeerGroupTable,
    PeriodTable,
    ReminderFilter,
    ReminderTable,
    SubjectTable,
)

CHILDREN_PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ancestors(request: HttpRequest, period: Period, org) -> list[Organization]:
    """The organizations from the period's down to ``org`` (the breadcrumb), top first, each marked
    ``linked`` when the reader may open its page of the period (a cell's head sees only the cell's)."""
    paths = access.granted_paths(request.user, access.VIEW_DASHBOARD)
    ancestors = list(Organization.objects.filter(path__in=org.ancestor_paths(),
                                                 path__startswith=period.organization.path).order_by("depth"))
    for a in ancestors:
        a.linked = paths is None or any(a.path.startswith(path) for path in paths)
    return ancestors


def _decides_any(user, period: Period, org) -> bool:
    """Whether ``user`` decides any of the subjects ``org`` owns in ``period``: who may open its decision
    grid and its targets (each subject's competent level; the views check the same per subject)."""
    # The competent level is the organization or one above it, and a permission on an organization holds
    # on its subtree: without it on the organization itself the user decides none of its subjects.
    if DECIDE not in org.perms:
        return False
    deciders = Organization.objects.filter(
        pk__in=Assessment.objects.filter(period=period, organization=org).values("decider_id"))
    return any(DECIDE in access.perms_on(user, decider) for decider in deciders)


def _org_links(user, period: Period, org) -> dict[str, bool]:
    """Which of the pages of ``org`` in ``period`` ``user`` may open (each page's own permission), so a
    page links only to those: ``org.perms`` is the user's permissions on it."""
    decides = _decides_any(user, period, org)
    # The review meeting's grid and its import take results only while the period is open.
    enters = ENTER in org.perms and period.status == PeriodStatus.OPEN
    return {"dashboard": access.VIEW_DASHBOARD in org.perms, "review": enters, "import": enters,
            "decide": decides, "targets": decides}


def _refusal(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Periods --------------------------------------------------------------------------


def periods(request: HttpRequest) -> HttpResponse:
    table = PeriodTable(Period.objects.visible_to(request.user).select_related("organization"))
    manageable = access.top_organizations_for(request.user, MANAGE_PERIODS)
    return list_response(request, table, "assessments/periods.html", {"manageable": manageable},
                         filename="ky-danh-gia")


@require_http_methods(["GET", "POST"])
def period_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, MANAGE_PERIODS)
    form = PeriodForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            period = svc.period_create(organization=org, year=data.pop("year"), quarter=data.pop("quarter"),
                                       actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tạo kỳ đánh giá. Kiểm tra các hạn, thiết lập rồi mở kỳ."))
            return redirect(period)
    return render(request, "assessments/period_new.html", {"org": org, "form": form})


def period(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for(request, pk)
    perms = access.perms_on(request.user, period.organization)
    # The reader's organizations in the period's tree; who sees from above the period's organization works
    # on the period's organization itself (the period's pages stop there).
    mine = {}
    for org in access.top_organizations_for(request.user):
        if period.organization.path.startswith(org.path):
            org = period.organization
        elif not org.path.startswith(period.organization.path):
            continue
        if org.pk not in mine:
            org.perms = perms if org.pk == period.organization.pk else access.perms_on(request.user, org)
            org.links = _org_links(request.user, period, org)
            mine[org.pk] = org
    mine = list(mine.values())
    # Today's reminders, every one of them a page at a time (the complete record: ``period_reminders``).
    reminders = ReminderTable(_reminders(request, period).filter(sent_on=today()))
    # The counts of the part of the period the reader may see (a cell's office: its cell), not the province's.
    counts = selectors.visible_counts(period, access.granted_paths(request.user, access.VIEW))
    return tables_response(request, {"reminders": reminders}, "assessments/period.html", {
        "period": period, "perms": perms, "scheme": period.rules, "mine": mine, "counts": counts,
        "can_manage": MANAGE_PERIODS in perms, "today": today(),
        "deadlines": [(label, getattr(period, name)) for name, label in [
            ("self_by", _("Tự đánh giá")), ("appraisal_by", _("Thẩm định")), ("review_by", _("Hội nghị kiểm điểm")),
            ("decision_by", _("Quyết định xếp loại")), ("notify_by", _("Thông báo kết quả"))]],
        "edit_form": PeriodEditForm(instance=period) if MANAGE_PERIODS in perms else None,
    }, filename="nhac-viec-hom-nay")


def _reminders(request: HttpRequest, period: Period):
    """The period's reminders about organizations the reader may see, the late ones and nearest deadlines first."""
    return (Reminder.objects.filter(period=period)
            .filter(access.subtree_q(access.granted_paths(request.user, access.VIEW), "organization__path"))
            .select_related("organization").order_by("-sent_on", "-late", "deadline", "organization__path"))


@require_GET
def period_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """Every reminder the portal sent about the period's deadlines, filtered by day, step and lateness."""
    period = get_period_for(request, pk)
    filters = ReminderFilter(request.GET, queryset=_reminders(request, period))
    return list_response(request, ReminderTable(filters.qs), "assessments/reminders.html",
                         {"period": period, "filter": filters}, filename="nhac-viec")


@require_POST
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for(request, pk, MANAGE_PERIODS)
    form = PeriodEditForm(request.POST, instance=Period.objects.get(pk=period.pk))
    if form.is_valid():
        try:
            svc.period_update(period=period, actor=request.user,
                              **{name: form.cleaned_data[name] for name in form.changed_data})
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã lưu hạn và thiết lập của kỳ."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(period)


@require_POST
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for(request, pk, MANAGE_PERIODS)
    try:
        job = svc.period_open(period=period, actor=request.user)
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(period)
    return redirect(job)


# --- Dashboard -------------------------------------------------------------------------------


def dashboard(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """Progress against the deadlines, levels per subordinate organization, comparison, flagged cases.

    A fixed number of queries whatever the subtree (rollups, one page of children, one page of each list).
    """
    period, org = get_period_org_for(request, pk, org, access.VIEW_DASHBOARD)
    on = today()
    own = selectors.summarize(selectors.rollup_rows(period, [org.pk]))[org.pk]
    # One page of subordinates at a time (all of them for the export): the page costs the same for a
    # province of 15 subordinate committees as for a country of 150.
    exporting = request.GET.get("export") == "xlsx" and request.GET.get("table") == "children"
    # Page arithmetic over the tree's own count of children (treebeard's numchild): no count query.
    children_page = Paginator(range(org.numchild), CHILDREN_PER_PAGE).get_page(request.GET.get("children-page"))
    start = max(children_page.start_index() - 1, 0)
    children_qs = selectors.children_of(org).values("pk", "name", "path")
    children = list(children_qs if exporting else children_qs[start:start + CHILDREN_PER_PAGE])
    child_sums = selectors.summarize(selectors.rollup_rows(period, [c["pk"] for c in children] or [0]))
    rows = []
    for child in children:
        summary = child_sums.get(child["pk"]) or selectors.Summary()  # none: formed after the list was made
        late = summary.late_steps(period, on)
        rows.append({"name": child["name"], "url": reverse("assessments:dashboard", args=[period.pk, child["pk"]]),
                     "total": summary.total, "decided": summary.decided,
                     "excellent": summary.by_level[Level.EXCELLENT], "good": summary.by_level[Level.GOOD],
                     "completed": summary.by_level[Level.COMPLETED],
                     "not_completed": summary.by_level[Level.NOT_COMPLETED],
                     "late": ", ".join(f"{Step(s).label}: {n}" for s, n in late)})
    previous = selectors.previous_period(period, org)
    before = selectors.summarize(selectors.rollup_rows(previous, [org.pk]))[org.pk] if previous else None
    level_names = [str(SHORT_LEVEL[level]) for level in LEVEL_ORDER]
    charts = {
        "levels": donut(_("Xếp loại đã quyết định"), [(str(SHORT_LEVEL[lv]), own.by_level[lv]) for lv in LEVEL_ORDER]),
        "children": stacked_bars(_("Xếp loại theo tổ chức trực thuộc"), [r["name"] for r in rows[:40]],
                                 [(str(SHORT_LEVEL[lv]), [r[lv.value] for r in rows[:40]]) for lv in LEVEL_ORDER])
        if rows else "",
        "compare": grouped_bars(_("So sánh với kỳ trước (%)"), level_names, [
            (previous.title, [selectors.level_share(before, lv) for lv in LEVEL_ORDER]),
            (period.title, [selectors.level_share(own, lv) for lv in LEVEL_ORDER])]) if previous else "",
    }
    named = {
        "children": ChildTable(rows, paginated_here=False),  # numbered from the page's first row below
        "flagged": FlaggedTable(selectors.flagged(period, org)),
        "quota": PeerGroupTable(selectors.breached_groups(period, org), period=period),
        "subjects": SubjectTable(selectors.subject_rows(period, org)),
    }
    # The subordinates' table is the page's costliest part to draw; its HTML is kept under a digest of
    # exactly what it shows (rows, language, page), so a change of any figure draws it anew.
    if not exporting:
        named["children"]._stt = itertools.count(start + 1)
    children_key = hashlib.sha1(repr((rows, get_language(), request.GET.get("children-page"))).encode()).hexdigest()
    return tables_response(request, named, "assessments/dashboard.html", {
        "children_key": children_key, "children_page": children_page, "period": period, "org": org, "own": own,
        "previous": previous, "before": before, "charts": charts,
        "late": own.late_steps(period, on), "ancestors": _ancestors(request, period, org), "perms": org.perms,
        "can_print_forms": access.VIEW in org.perms, "links": _org_links(request.user, period, org),
    }, filename="tong-hop-xep-loai")


# --- Grids -------------------------------------------------------------------------------------


def _review_forms(request, period, rows):
    scheme = period.rules
    forms = []
    for a in rows:
        initial = {f"c_{k}": v for k, v in (a.grades or a.self_grades).items()}
        initial.update(level=a.review_level or a.self_level or a.appraisal_level,
                       tasks_total=a.tasks_total, tasks_done=a.tasks_done, tasks_on_time=a.tasks_on_time,
                       tasks_exceeded=a.tasks_exceeded)
        data = request.POST if request.method == "POST" else None
        forms.append(ReviewRowForm(data, scheme=scheme, kind=a.kind, prefix=f"r{a.pk}", initial=initial,
                                   subject=a.subject))
    return forms


def _ceilings(rows, forms=None):
    """Each row's ceiling from what is typed (or stored), with its reasons: shown while filling in."""
    if not rows:
        return {}
    typed = {}
    for a, form in zip(rows, forms or [None] * len(rows)):
        grades = form.grades() if form is not None and form.is_bound and form.is_valid() else (a.grades or
                                                                                               a.self_grades)
        typed[a.pk] = grades
    facts = svc.facts_for(rows, grades_of=lambda a: typed[a.pk])
    scheme = rows[0].period.rules
    out = {}
    for a in rows:
        complete = len(typed[a.pk]) == len(scheme.criteria_for(a.kind))
        out[a.pk] = scheme.ceiling(facts[a.pk]) if complete else None
    return out


@require_http_methods(["GET", "POST"])
def review_grid(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """The review meeting of one organization: its collective and its members on one page, saved at once."""
    period, org = get_period_org_for(request, pk, org, ENTER)
    if period.status != PeriodStatus.OPEN:
        messages.error(request, _("Kỳ đánh giá chưa mở hoặc đã kết thúc."))
        return redirect(period)
    subjects = list(selectors.subject_rows(period, org))
    open_rows = _waiting(period, org, subjects)
    appraisal = [a for a in subjects if a.state in (Step.PENDING, Step.SELF_ASSESSED) and a not in open_rows]
    forms = _review_forms(request, period, open_rows)
    # Every meeting of the organization's bodies in the period's year and the next (a cell meets monthly).
    meetings = Meeting.objects.filter(body__organization=org, date__year__in=[period.year, period.year + 1]
                                      ).order_by("-date")
    meeting_form = ReviewMeetingForm(request.POST or None, meetings=meetings, prefix="m")
    refusal = None
    if request.method == "POST":
        if all(form.is_valid() for form in [*forms, meeting_form]) and open_rows:
            rows = [svc.Row(a.pk, grades=form.grades(), level=form.cleaned_data["level"], **form.tasks())
                    for a, form in zip(open_rows, forms)]
            try:
                svc.assessments_review(period=period, rows=rows, actor=request.user, meeting=meeting_form.chosen())
            except svc.Refused as exc:
                refusal = exc
            else:
                messages.success(request, _("Đã ghi kết quả kiểm điểm của %(n)s đối tượng.") % {"n": len(rows)})
                return redirect("assessments:review_grid", period.pk, org.pk)
        elif not open_rows:
            messages.info(request, _("Không còn đối tượng nào chờ kiểm điểm."))
    ceilings = _ceilings(open_rows, forms)
    return render(request, "assessments/review_grid.html", {
        "period": period, "org": org, "scheme": period.rules, "ancestors": _ancestors(request, period, org),
        "meeting_form": meeting_form,
        "rows": [(a, form, ceilings.get(a.pk), (refusal.rows.get(a.pk) if refusal else None))
                 for a, form in zip(open_rows, forms)],
        "done": [a for a in subjects if a not in open_rows and a not in appraisal], "refusal": refusal,
        "appraisal": appraisal,
        "criteria": period.rules.criteria_for(open_rows[0].kind) if open_rows else (),
    }, status=400 if refusal or (request.method == "POST" and not all(f.is_valid() for f in [*forms, meeting_form]))
        else 200)


@require_POST
def review_row_check(request: HttpRequest, pk: int, org: int, assessment: int) -> HttpResponse:
    """One row of the grid checked as it is typed: its errors and the ceiling its facts allow."""
    period, org = get_period_org_for(request, pk, org, ENTER)
    a = selectors.subject_rows(period, org).filter(pk=assessment).first()
    if a is None:
        return HttpResponse(status=404)
    form = ReviewRowForm(request.POST, scheme=period.rules, kind=a.kind, prefix=f"r{a.pk}")
    ceiling = _ceilings([a], [form]).get(a.pk) if form.is_valid() else None
    return render(request, "assessments/_row_check.html", {"a": a, "form": form, "ceiling": ceiling})


@require_http_methods(["GET", "POST"])
def decide_grid(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """The competent level decides the levels of one organization's subjects reviewed by its meeting."""
    period, org = get_period_org_for(request, pk, org)
    subjects = list(selectors.subject_rows(period, org))
    rows = [a for a in subjects if a.state == Step.REVIEWED and a.may_decide(request.user)]
    decided = [a for a in subjects if a.frozen]
    # The page is for whoever decides any of the organization's subjects (each subject's own competent level;
    # ``may_decide`` reads the user's permissions once per deciding organization).
    if not rows and not decided and not any(a.may_decide(request.user) for a in subjects):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    forms = [DecideRowForm(data, prefix=f"r{a.pk}", initial={"level": a.review_level}, subject=a.subject)
             for a in rows]
    ceilings = _ceilings(rows)
    refusal = None
    if request.method == "POST" and rows and all(f.is_valid() for f in forms):
        decisions = [svc.Decision(a.pk, f.cleaned_data["level"], f.cleaned_data["override_reason"])
                     for a, f in zip(rows, forms)]
        try:
            svc.assessments_decide(period=period, decisions=decisions, actor=request.user)
        except svc.Refused as exc:
            refusal = exc
        else:
            messages.success(request, _("Đã quyết định xếp loại %(n)s đối tượng.") % {"n": len(decisions)})
            return redirect("assessments:decide_grid", period.pk, org.pk)
    return render(request, "assessments/decide_grid.html", {
        "period": period, "org": org, "refusal": refusal, "decided": decided, "scheme": period.rules,
        "ancestors": _ancestors(request, period, org),
        "rows": [(a, f, ceilings.get(a.pk), refusal.rows.get(a.pk) if refusal else None) for a, f in zip(rows, forms)],
        "can_notify": any(a.state == Step.DECIDED and a.may_decide(request.user) for a in decided),
    }, status=400 if request.method == "POST" else 200)


@require_POST
def notify(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    period, org = get_period_org_for(request, pk, org)
    ids = [a.pk for a in selectors.subject_rows(period, org) if a.state == Step.DECIDED and a.may_decide(request.user)]
    if not ids:
        raise PermissionDenied
    try:
        n = svc.assessments_notify(period=period, ids=ids, actor=request.user)
    except svc.Refused as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Đã thông báo kết quả cho %(n)s đối tượng.") % {"n": n})
    return redirect("assessments:decide_grid", period.pk, org.pk)


# --- Import of results --------------------------------------------------------------------------

IMPORT_SALT = "assessments.import"


def _waiting(period, org, subjects=None):
    """The subjects the organization's meeting can review now: a leader or a committee waits for the
    organization board's appraisal first (shown apart, so it does not hold up the others)."""
    subjects = selectors.subject_rows(period, org) if subjects is None else subjects
    return [a for a in subjects if a.state == Step.APPRAISED
            or (a.state in (Step.PENDING, Step.SELF_ASSESSED) and not a.needs_appraisal)]


@upload_limit("IMPORT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def results_import(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """Upload the filled-in template: every row checked, a preview, nothing saved while a row is wrong."""
    period, org = get_period_org_for(request, pk, org, ENTER)
    waiting = _waiting(period, org)
    if request.GET.get("template") == "xlsx":
        response = HttpResponse(imports.template(period, waiting), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="kiem-diem-{org.pk}.xlsx"'
        return response
    form = upload_form(request, ResultsImportForm)
    context = {"period": period, "org": org, "form": form, "ancestors": _ancestors(request, period, org)}
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = imports.parse(period, waiting, upload.name, upload.read())
        if parsed.errors:
            return render(request, "assessments/import.html", {**context, "errors": parsed.errors}, status=400)
        by_id = {a.pk: a for a in waiting}
        token = signing.dumps([asdict(r) for r in parsed.rows], salt=IMPORT_SALT, compress=True)
        return render(request, "assessments/import.html", {
            **context, "token": token, "preview": [(by_id[r.assessment_id], r) for r in parsed.rows]})
    return render(request, "assessments/import.html", context, status=400 if form.is_bound else 200)


@require_POST
def results_import_confirm(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    period, org = get_period_org_for(request, pk, org, ENTER)
    try:
        data = signing.loads(request.POST.get("token", ""), salt=IMPORT_SALT, max_age=3600)
        rows = [svc.Row(**row) for row in data]
    except (signing.BadSignature, TypeError, ValueError):
        messages.error(request, _("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."))
        return redirect("assessments:results_import", period.pk, org.pk)
    waiting = {a.pk for a in _waiting(period, org)}
    if not rows or any(r.assessment_id not in waiting for r in rows):
        messages.error(request, _("Danh sách đã thay đổi từ khi xem trước; hãy tải tệp lên lại."))
        return redirect("assessments:results_import", period.pk, org.pk)
    try:
        svc.assessments_review(period=period, rows=rows, actor=request.user)
    except svc.Refused as exc:
        _refusal(request, exc)
        return redirect("assessments:results_import", period.pk, org.pk)
    messages.success(request, _("Đã ghi kết quả kiểm điểm của %(n)s đối tượng từ tệp.") % {"n": len(rows)})
    return redirect("assessments:review_grid", period.pk, org.pk)


# --- Peer groups ---------------------------------------------------------------------------------


def _peer_groups_page(request: HttpRequest, period: Period, org, merge=None, split=None) -> HttpResponse:
    groups = list(PeerGroup.objects.filter(period=period, organization=org).order_by("kind", "pk"))
    merge = merge or PeerGroupMergeForm(groups=groups)
    split = split or PeerGroupSplitForm(groups=groups, organizations=selectors.decided_organizations(period, org))
    return render(request, "assessments/peer_groups.html", {
        "period": period, "org": org, "groups": groups, "form": merge, "split": split,
        "ancestors": _ancestors(request, period, org),
    }, status=400 if merge.errors or split.errors else 200)


@require_GET
def peer_groups(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """The deciding level's groups of similar roles, functions and tasks (the base of the quota)."""
    period, org = get_period_org_for(request, pk, org, DECIDE)
    return _peer_groups_page(request, period, org)


@require_POST
def peer_groups_merge(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    period, org = get_period_org_for(request, pk, org, DECIDE)
    form = PeerGroupMergeForm(request.POST, groups=PeerGroup.objects.filter(period=period, organization=org))
    if form.is_valid():
        try:
            svc.peer_groups_merge(period=period, source=form.cleaned_data["source"],
                                  target=form.cleaned_data["target"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã gộp nhóm."))
            return redirect("assessments:peer_groups", period.pk, org.pk)
    return _peer_groups_page(request, period, org, merge=form)


@require_POST
def peer_group_split(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    period, org = get_period_org_for(request, pk, org, DECIDE)
    form = PeerGroupSplitForm(request.POST, groups=PeerGroup.objects.filter(period=period, organization=org),
                              organizations=selectors.decided_organizations(period, org))
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.peer_group_split(period=period, group=data["group"], name=data["name"],
                                 organizations=data["organizations"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tách nhóm."))
            return redirect("assessments:peer_groups", period.pk, org.pk)
    return _peer_groups_page(request, period, org, split=form)


# --- Targets -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """Assign targets to the subjects of one organization (the superior assigns and later evaluates)."""
    period, org = get_period_org_for(request, pk, org)
    subjects = list(selectors.subject_rows(period, org))
    # Whoever assigns a subject's tasks evaluates them: each subject's competent level assigns its targets, so the
    # page is for whoever decides any of them and assigns only to those (the service checks each one again).
    assignable = [a for a in subjects if a.may_decide(request.user)]
    if not assignable:
        raise PermissionDenied
    form = TargetsAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = [a for a in assignable if a.kind == form.cleaned_data["kind"] and not a.frozen]
        if not chosen:
            form.add_error("kind", _("Tổ chức này không có đối tượng loại này đang chờ đánh giá."))
        else:
            try:
                n = svc.targets_assign(period=period, assessments=chosen, titles=form.cleaned_data["titles"],
                                       due=form.cleaned_data["due"], actor=request.user)
            except (svc.Refused, ValidationError) as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã giao %(n)s chỉ tiêu, nhiệm vụ.") % {"n": n})
                return redirect("assessments:targets", period.pk, org.pk)
    previous = selectors.previous_period(period, org) if not period.quarter else None
    return render(request, "assessments/targets.html", {
        "period": period, "org": org, "form": form, "subjects": subjects, "previous": previous,
        "others": len(subjects) - len(assignable),
        "ancestors": _ancestors(request, period, org),
        "targets": Target.objects.filter(assessment__in=subjects).select_related("assessment__person",
                                                                                 "assessment__organization"),
    }, status=400 if form.errors else 200)


@require_POST
def targets_copy(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """Copy last year's targets of the whole period (the period's managers)."""
    period = get_period_for(request, pk, MANAGE_PERIODS)
    _period, org = get_period_org_for(request, pk, org)
    source = selectors.previous_period(period, period.organization)
    if source is None or period.quarter:
        messages.error(request, _("Không có kỳ năm trước để sao chép."))
    else:
        try:
            n = svc.targets_copy(period=period, source=source, actor=request.user)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã sao chép %(n)s chỉ tiêu, nhiệm vụ từ %(s)s.") % {"n": n,
                                                                                          "s": source.title})
    return redirect("assessments:targets", period.pk, org.pk)


@require_POST
def target_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The result of one target, recorded by whoever assigned it (the competent level)."""
    target = Target.objects.select_related("assessment").filter(pk=parse_pk(str(pk))).first()
    if target is None:
        raise Http404
    a = get_assessment_for(request, target.assessment_id)
    if not a.may_decide(request.user):
        raise PermissionDenied
    form = TargetResultForm(request.POST)
    if form.is_valid():
        try:
            svc.target_result_record(target=target, result=form.cleaned_data["result"], note=form.cleaned_data["note"],
                                     actor=request.user)
        except svc.Refused as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã ghi kết quả chỉ tiêu."))
    else:
        messages.error(request, _("Chọn kết quả."))
    return redirect(a)


# --- One assessment ------------------------------------------------------------------------------


def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment_for(request, pk)
    user = request.user
    scheme = a.period.rules
    ceiling = _ceilings([a]).get(a.pk) if not a.frozen else None
    return render(request, "assessments/assessment.html", {
        "a": a, "scheme": scheme, "events": a.events.select_related("actor"), "targets": a.targets.all(),
        "ceiling": ceiling, "reasons": from_json(a.reasons),
        "result_form": TargetResultForm() if not a.frozen and a.may_decide(user) else None,
        "criteria": [(c, a.self_grades.get(c.code, ""), a.grades.get(c.code, "")) for c in scheme.criteria_for(a.kind)],
        "self_form": SelfAssessmentForm(scheme=scheme, kind=a.kind, small=False, prefix="self")
        if a.state == Step.PENDING and a.may_enter(user) else None,
        "appraise_form": AppraiseForm(initial={"level": a.self_level}) if a.state == Step.SELF_ASSESSED
        and a.needs_appraisal and a.may_appraise(user) else None,
        "annul_form": AnnulForm() if a.frozen and a.may_annul(user) else None,
        "ack_form": AcknowledgeForm() if a.state == Step.NOTIFIED and a.may_acknowledge(user) else None,
        "can_print": access.VIEW in a.organization.perms,
    })


@require_POST
def assessment_self(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment_for(request, pk)
    if not a.may_enter(request.user):
        raise PermissionDenied
    form = SelfAssessmentForm(request.POST, scheme=a.period.rules, kind=a.kind, small=False, prefix="self")
    if form.is_valid():
        try:
            svc.assessment_self_submit(assessment=a, grades=form.grades(), level=form.cleaned_data["level"],
                                       text=form.cleaned_data["text"], tasks=form.tasks(), actor=request.user)
        except svc.Refused as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã gửi bản tự đánh giá."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(a)


@require_POST
def assessment_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment_for(request, pk)
    if not a.may_appraise(request.user):
        raise PermissionDenied
    form = AppraiseForm(request.POST)
    if form.is_valid():
        try:
            svc.assessment_appraise(assessment=a, level=form.cleaned_data["level"], text=form.cleaned_data["text"],
                                    actor=request.user)
        except svc.Refused as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã ghi ý kiến thẩm định."))
    else:
        messages.error(request, _("Chọn mức đề xuất."))
    return redirect(a)


@require_POST
def assessment_annul(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment_for(request, pk)
    if not a.may_annul(request.user):
        raise PermissionDenied
    form = AnnulForm(request.POST)
    if form.is_valid():
        try:
            svc.assessment_annul(assessment=a, reason=form.cleaned_data["reason"], actor=request.user)
        except svc.Refused as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã hủy kết quả; cấp có thẩm quyền xếp loại lại."))
    else:
        messages.error(request, _("Cần ghi lý do hủy kết quả."))
    return redirect(a)


@require_POST
def assessment_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment_for(request, pk)
    if not a.may_acknowledge(request.user):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            svc.assessment_acknowledge(assessment=a, actor=request.user, text=form.cleaned_data["text"])
        except svc.Refused as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã xác nhận kết quả."))
    return redirect(a)


def my_results(request: HttpRequest) -> HttpResponse:
    table = MyResultTable(selectors.my_assessments(request.user))
    return list_response(request, table, "assessments/mine.html", {}, filename="ket-qua-xep-loai")

