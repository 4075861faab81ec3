"""Pages of the organization tree, people and member import. Thin: access, selectors, services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditEntry
from common.reasons import Refused
from common.tables import list_response
from common.uploads import upload_form, upload_limit

from . import access, selectors, services
from .forms import (
    DisciplineAnnulForm,
    DisciplineRecordForm,
    KinshipDeclareForm,
    KinshipEndForm,
    MemberImportForm,
    OrganizationCreateForm,
    OrganizationDissolveForm,
    OrganizationMoveForm,
    OrganizationRenameForm,
    PersonCreateForm,
    PersonIdentityForm,
    RoleGrantForm,
    RoleRevokeForm,
    TenureEndForm,
    TenureStartForm,
)
from .imports import ParsedRow, error_message
from .links import organization_links, person_links
from .models import AccessRole, Discipline, ImportStatus, Kinship, Organization, Tenure, today
from .rules import FUTURE_CODES
from .tables import (
    AccessHistoryTable,
    DisciplineFilter,
    DisciplineTable,
    ImportRowTable,
    MemberFilter,
    MemberTable,
    PersonFilter,
    PersonTable,
    TenureTable,
    with_current_cell,
)


def tree(request: HttpRequest) -> HttpResponse:
    """The tree browser, starting from the top of each subtree the user may see."""
    return render(request, "organizations/tree.html", {"roots": access.top_organizations_for(request.user)})


def organization_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of one node, loaded on demand by the tree browser (htmx)."""
    org = access.get_organization_for(request, pk)
    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
    return render(request, "organizations/_tree_children.html", {"children": children, "parent": org})


def organization(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk)
    on = today()
    above = access.perms_above(request.user, org)
    disciplines = None
    if access.VIEW_DISCIPLINE in org.perms:
        disciplines = list(org.disciplines.select_related("owner", "decided_by", "annulment"))
        _mark_acts(request.user, [], disciplines)
    return render(request, "organizations/organization.html", {
        "org": org,
        "ancestors": access.ancestors_for(request.user, org),
        "children": Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1),
        "counts": selectors.subtree_counts(org, on),
        "bodies": selectors.bodies_with_holders(org, on),
        "posts": selectors.posts_outside_bodies(org, on),
        "disciplines": disciplines,
        "access_holders": access.access_holders(org),
        "can_manage": access.MANAGE_MEMBERS in org.perms,
        # Renaming, moving, dissolving and disciplining it are its superior's acts (the services authorize
        # on the parent; the root's own office renames and dissolves the root).
        "can_manage_itself": access.MANAGE_MEMBERS in above,
        "can_discipline_itself": org.depth > 1 and access.MANAGE_DISCIPLINE in above,
        "can_manage_access": access.MANAGE_ACCESS in org.perms,
        "links": organization_links(request.user, org),
        "on": on,
    })


def organization_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Current members of the organization and everything below it: a table, filtered, exported."""
    org = access.get_organization_for(request, pk)
    data = request.GET.copy()
    data.setdefault("scope", "subtree")
    filters = MemberFilter(data, queryset=selectors.members_list(org, today(), subtree=True), organization=org)
    return list_response(request, MemberTable(filters.qs), "organizations/organization_members.html",
                         {"org": org, "filter": filters}, filename="dang-vien")


def person_search(request: HttpRequest) -> HttpResponse:
    """People the user may see, by name (diacritics ignored) or card; exact matches first."""
    filters = PersonFilter(request.GET, queryset=with_current_cell(access.people_for(request.user)))
    return list_response(request, PersonTable(filters.qs), "organizations/person_search.html",
                         {"filter": filters}, filename="tra-cuu-dang-vien", per_page=settings.SEARCH_PAGE_SIZE)


def person(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request, pk)
    record = selectors.person_record(person)
    current = next((m for m in record["memberships"] if m.end is None), None)
    own = person.user_id is not None and person.user_id == request.user.pk
    perms = access.perms_on(request.user, current.organization) if current is not None else set()
    if not (own or access.VIEW_DISCIPLINE in perms):
        record["disciplines"] = []
    # Kinship is declared with the office (manage_members), read by it and by the inspection (view_discipline):
    # each declaration on its own organization, which a transfer leaves behind.
    _mark_acts(request.user, record["kinships"], record["disciplines"])
    if not (own or KINSHIP_READERS & perms):  # the current cell's office and inspection see them all
        record["kinships"] = [k for k in record["kinships"] if k.may_see]
    if not (own or access.VIEW_DISCIPLINE in perms):
        record["disciplines"] = None
    # A relative's name links to their page only for a reader who may open it (one query for them all).
    relatives = {k.relative_id for k in record["kinships"]}
    reachable = set(access.people_for(request.user).filter(pk__in=relatives).values_list("pk", flat=True)) \
        if relatives else set()
    for k in record["kinships"]:
        k.relative_reachable = k.relative_id in reachable
    return render(request, "organizations/person.html", {
        "person": person, "current": current, "own": own, **record,
        "can_manage": access.MANAGE_MEMBERS in perms, "can_discipline": access.MANAGE_DISCIPLINE in perms,
        "end_form": KinshipEndForm(initial={"ended_on": today()}),
        "links": person_links(request.user, person),
    })


# Who reads a person's declared kinships on an organization: its office, which records them, and its inspection.
KINSHIP_READERS = frozenset({access.MANAGE_MEMBERS, access.VIEW_DISCIPLINE})


def _mark_acts(user, kinships: list[Kinship], disciplines: list[Discipline]) -> None:
    """Set ``may_see`` and ``may_end`` on each kinship and ``may_annul`` on each measure as their services authorize
    them: on the record's own organization (which a transfer leaves behind), a measure also where it may be
    annulled (its issuing body or above; strictly above an organization disciplined). A kinship is seen by who
    manages members or sees discipline there. One permission query per distinct organization, not per row."""
    perms: dict[tuple[str, int], set[str]] = {}

    def on(org: Organization, above: bool = False) -> set[str]:
        key = ("above" if above else "on", org.pk)
        if key not in perms:
            perms[key] = access.perms_above(user, org) if above else access.perms_on(user, org)
        return perms[key]

    for k in kinships:
        here = on(k.organization)
        k.may_see = bool(KINSHIP_READERS & here)
        k.may_end = k.ended_on is None and access.MANAGE_MEMBERS in here
    for d in disciplines:
        where = on(d.decided_by) if d.decided_by_id else on(d.owner, above=d.organization_id is not None)
        d.may_annul = access.MANAGE_DISCIPLINE in on(d.owner) and access.MANAGE_DISCIPLINE in where


@upload_limit("IMPORT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def member_import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, access.MANAGE_MEMBERS)
    form = upload_form(request, MemberImportForm)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        batch, _rows = services.member_import_preview(
            organization=org, file_name=upload.name, content=upload.read(), actor=request.user)
        return redirect(batch)
    return render(request, "organizations/import_upload.html", {"org": org, "form": form})


@require_http_methods(["GET", "POST"])
def member_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access.get_import_for(request, pk, access.MANAGE_MEMBERS)
    org = batch.org
    if request.method == "POST":
        if batch.status != ImportStatus.PREVIEWED:
            raise PermissionDenied
        try:
            created = services.member_import_commit(batch=batch, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(batch)
        if created:
            messages.success(request, _("Đã nhập %(n)s đảng viên vào %(org)s.")
                             % {"n": created, "org": org})
            return redirect("organizations:organization_members", org.pk)
        messages.error(request, _("Không ghi được: dữ liệu đã thay đổi, xem danh sách lỗi."))
        return redirect(batch)
    table = ImportRowTable([ParsedRow.from_json(r) for r in batch.rows])
    return list_response(request, table, "organizations/import_preview.html", {
        "org": org, "batch": batch,
        "errors": [{"row": e.get("row"), "message": error_message(e)} for e in batch.errors],
    }, filename="xem-truoc-danh-sach")


def _refusal(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- access ---------------------------------------------------------------------------


def _access_page(request: HttpRequest, org: Organization, grant_form: RoleGrantForm | None = None,
                 status: int = 200) -> HttpResponse:
    here = AccessRole.objects.filter(organization=org).select_related("group").prefetch_related(
        "group__user_set").order_by("kind")
    above = access.access_holders(org).exclude(organization=org)
    history = AuditEntry.objects.filter(
        object_type=AccessRole._meta.label_lower,
        object_id__in=[str(pk) for pk in here.values_list("pk", flat=True)],
    ).select_related("actor")
    response = list_response(request, AccessHistoryTable(history), "organizations/access.html", {
        "org": org, "here": here, "above": above,
        "form": grant_form or RoleGrantForm(users=access.users_for(request.user)),
    }, filename="nhat-ky-phan-quyen")
    response.status_code = status
    return response


def organization_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Who holds which role at this organization; grant and revoke (the grant's own page)."""
    org = access.get_organization_for(request, pk, access.MANAGE_ACCESS)
    return _access_page(request, org)


@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, access.MANAGE_ACCESS)
    form = RoleGrantForm(request.POST, users=access.users_for(request.user))
    if form.is_valid():
        user, kind = form.cleaned_data["user"], form.cleaned_data["kind"]
        try:
            role = services.role_grant(user=user, kind=kind, organization=org, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã cấp vai trò %(r)s cho %(u)s.")
                             % {"r": role.get_kind_display(), "u": user.get_username()})
            return redirect("organizations:access", org.pk)
    return _access_page(request, org, form, status=400)


@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, access.MANAGE_ACCESS)
    form = RoleRevokeForm(request.POST, roles=AccessRole.objects.filter(organization=org),
                          users=access.users_for(request.user))
    if not form.is_valid():
        messages.error(request, _("Không tìm thấy vai trò hoặc tài khoản cần thu hồi."))
        return redirect("organizations:access", org.pk)
    role, user = form.cleaned_data["role"], form.cleaned_data["user"]
    try:
        services.role_revoke(user=user, role=role, actor=request.user)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Đã thu hồi vai trò %(r)s của %(u)s.")
                         % {"r": role.get_kind_display(), "u": user.get_username()})
    return redirect("organizations:access", org.pk)


# --- posts ----------------------------------------------------------------------------


def _posts_page(request: HttpRequest, org: Organization, form: TenureStartForm | None = None,
                status: int = 200) -> HttpResponse:
    tenures = (Tenure.objects.filter(organization=org).select_related("person", "position", "body")
               .order_by(F("end").desc(nulls_first=True), "position__rank", "-start", "pk"))
    can_manage = access.MANAGE_MEMBERS in org.perms
    # A post ending stays recordable in a dissolved organization; none begins there any more.
    can_start = can_manage and org.dissolved_on is None
    if can_start and form is None:
        form = TenureStartForm(organization=org, user=request.user, initial={"start": today()})
    response = list_response(request, TenureTable(tenures), "organizations/posts.html", {
        "org": org, "form": form if can_start else None,
        "end_form": TenureEndForm(initial={"end": today()}) if can_manage else None,
    }, filename="chuc-vu")
    response.status_code = status
    return response


def organization_posts(request: HttpRequest, pk: int) -> HttpResponse:
    """Every post held in the organization, current ones first, with who held it and when."""
    org = access.get_organization_for(request, pk)
    return _posts_page(request, org)


@require_POST
def tenure_start(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, access.MANAGE_MEMBERS)
    form = TenureStartForm(request.POST, organization=org, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tenure = services.tenure_start(
                person=data["person"], position=data["position"], organization=org, body=data["body"],
                start=data["start"], acting=data["acting"], concurrent=data["concurrent"],
                decision_ref=data["decision_ref"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi: %(t)s.") % {"t": tenure})
            return redirect("organizations:posts", org.pk)
    return _posts_page(request, org, form, status=400)


@require_POST
def tenure_end(request: HttpRequest, pk: int) -> HttpResponse:
    tenure = access.get_tenure_for(request, pk, access.MANAGE_MEMBERS)
    form = TenureEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
    else:
        try:
            services.tenure_end(tenure=tenure, end=form.cleaned_data["end"],
                                decision_ref=form.cleaned_data["decision_ref"], actor=request.user)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã kết thúc chức vụ: %(t)s.") % {"t": tenure})
    return redirect("organizations:posts", tenure.org.pk)


# --- the tree, people, kinship and discipline: one page per act -------------------------------


# The field of an act's form that a service's refusal is about.
REFUSAL_FIELDS = {**FUTURE_CODES, "discipline_ref_taken": "decision_ref", "discipline_removal_no_post": "form",
                  "person_expelled": "decided_on"}


def _data(request: HttpRequest):
    """The posted data for a bound form (an empty POST too: it is shown with its errors), or None on GET."""
    return request.POST if request.method == "POST" else None


def _add_refusal(form, exc: Refused) -> None:
    """Each reason on the field it is about (``REFUSAL_FIELDS``), the others above the form."""
    for reason in exc.reasons or [None]:
        if reason is None:
            form.add_error(None, exc)
            continue
        field = REFUSAL_FIELDS.get(reason.code)
        form.add_error(field if field in form.fields else None, Refused(reason))


def _act_page(request: HttpRequest, form, act, *, title: str, org: Organization | None, back: str,
              success: str, intro: str = "", subject: str = "") -> HttpResponse:
    """A form page for one act: GET shows it; a valid POST calls ``act(cleaned_data)`` (a service call that
    returns where to go next); a refusal is shown on the form with every input kept."""
    if request.method == "POST" and form.is_valid():
        try:
            target = act(form.cleaned_data)
        except Refused as exc:
            _add_refusal(form, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, "organizations/act_form.html", {
        "form": form, "title": title, "org": org, "back": back, "intro": intro, "subject": subject,
    }, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = access.get_organization_for(request, pk, access.MANAGE_MEMBERS)
    form = OrganizationCreateForm(_data(request))

    def act(data):
        return services.organization_create(parent=parent, name=data["name"], code=data["code"], kind=data["kind"],
                                            actor=request.user)
    return _act_page(request, form, act, title=_("Thêm tổ chức trực thuộc"), org=parent,
                     back=parent.get_absolute_url(), success=_("Đã thêm tổ chức."))


def _organization_for_superior(request: HttpRequest, pk) -> Organization:
    """The organization (404 out of sight), for whoever manages members of its superior (else 403)."""
    org = access.get_organization_for(request, pk)
    if access.MANAGE_MEMBERS not in access.perms_above(request.user, org):
        raise PermissionDenied
    return org


@require_http_methods(["GET", "POST"])
def organization_rename(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_for_superior(request, pk)
    form = OrganizationRenameForm(_data(request), initial={"name": org.name})

    def act(data):
        return services.organization_rename(organization=org, name=data["name"], actor=request.user)
    return _act_page(request, form, act, title=_("Đổi tên tổ chức"), org=org, back=org.get_absolute_url(),
                     success=_("Đã đổi tên tổ chức."))


@require_http_methods(["GET", "POST"])
def organization_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_for_superior(request, pk)
    form = OrganizationMoveForm(_data(request), user=request.user, targets=selectors.move_targets(request.user, org))

    def act(data):
        return services.organization_move(organization=org, parent=data["parent"], actor=request.user)
    return _act_page(request, form, act, title=_("Chuyển tổ chức sang cấp trên khác"), org=org,
                     back=org.get_absolute_url(), success=_("Đã chuyển tổ chức cùng các tổ chức trực thuộc."),
                     intro=_("Tổ chức được chuyển cùng toàn bộ tổ chức trực thuộc, đảng viên và hồ sơ của nó."))


@require_http_methods(["GET", "POST"])
def organization_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_for_superior(request, pk)
    form = OrganizationDissolveForm(_data(request))

    def act(data):
        return services.organization_dissolve(organization=org, on=data["on"], decision_ref=data["decision_ref"],
                                              actor=request.user)
    return _act_page(request, form, act, title=_("Giải thể, sáp nhập tổ chức"), org=org,
                     back=org.get_absolute_url(), success=_("Đã ghi giải thể, sáp nhập."),
                     intro=_("Chỉ ghi được khi không còn tổ chức trực thuộc, đảng viên sinh hoạt và chức vụ "
                             "đảm nhiệm sau ngày đó."))


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    cell = access.get_organization_for(request, pk, access.MANAGE_MEMBERS)
    form = PersonCreateForm(_data(request), initial={"start": today()})

    def act(data):
        return services.person_create(organization=cell, actor=request.user, **data)
    return _act_page(request, form, act, title=_("Thêm đảng viên"), org=cell, back=cell.get_absolute_url(),
                     success=_("Đã thêm đảng viên."))


def _person_for(request: HttpRequest, pk, perm: str):
    """The person (404 if out of sight) and their cell, where the user must hold ``perm`` (403)."""
    person = access.get_person_for(request, pk)
    cell = person.cell_on(today())
    if cell is None or not access.can(request.user, perm, cell):
        raise PermissionDenied
    return person, cell


@require_http_methods(["GET", "POST"])
def person_correct(request: HttpRequest, pk: int) -> HttpResponse:
    person, cell = _person_for(request, pk, access.MANAGE_MEMBERS)
    form = PersonIdentityForm(_data(request),
                              initial={f: getattr(person, f) for f in services.IDENTITY_FIELDS})

    def act(data):
        return services.person_correct(person=person, actor=request.user, **data)
    return _act_page(request, form, act, title=_("Sửa thông tin đảng viên"), org=cell,
                     back=person.get_absolute_url(), success=_("Đã sửa thông tin đảng viên."), subject=str(person))


@require_http_methods(["GET", "POST"])
def kinship_declare(request: HttpRequest, pk: int) -> HttpResponse:
    person, cell = _person_for(request, pk, access.MANAGE_MEMBERS)
    form = KinshipDeclareForm(_data(request), user=request.user, initial={"declared_on": today()})

    def act(data):
        services.kinship_declare(person=person, relative=data["relative"], relation=data["relation"],
                                 declared_on=data["declared_on"], actor=request.user)
        return person
    return _act_page(request, form, act, title=_("Kê khai quan hệ gia đình"), org=cell,
                     back=person.get_absolute_url(), success=_("Đã ghi quan hệ gia đình."), subject=str(person))


@require_POST
def kinship_end(request: HttpRequest, pk: int) -> HttpResponse:
    kinship = access.get_owned_for(request, Kinship.objects.select_related("organization", "person", "relative"), pk,
                                   access.MANAGE_MEMBERS)
    form = KinshipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
    else:
        try:
            services.kinship_end(kinship=kinship, ended_on=form.cleaned_data["ended_on"], actor=request.user)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Đã ghi kết thúc quan hệ: %(k)s.") % {"k": kinship})
    return redirect(kinship.person)


def _issuers(user, owner: Organization, strictly_above: bool = False):
    """The levels that may issue a measure on a record of ``owner`` and for which ``user`` records discipline:
    ``owner``'s own level (for a member's cell) and its ancestors."""
    paths = owner.ancestor_paths()[:-1] if strictly_above else owner.ancestor_paths()
    return access.orgs_for(user, access.MANAGE_DISCIPLINE).filter(path__in=paths).order_by("-depth")


@require_http_methods(["GET", "POST"])
def discipline_record_person(request: HttpRequest, pk: int) -> HttpResponse:
    person, cell = _person_for(request, pk, access.MANAGE_DISCIPLINE)
    form = DisciplineRecordForm(_data(request), issuers=_issuers(request.user, cell), subject="person",
                                initial={"decided_on": today()})

    def act(data):
        services.discipline_record(person=person, actor=request.user, **data)
        return person
    return _act_page(request, form, act, title=_("Ghi quyết định kỷ luật đảng viên"), org=cell,
                     back=person.get_absolute_url(), success=_("Đã ghi quyết định kỷ luật."), subject=str(person))


@require_http_methods(["GET", "POST"])
def discipline_record_organization(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for(request, pk, access.MANAGE_DISCIPLINE)
    form = DisciplineRecordForm(_data(request), issuers=_issuers(request.user, org, strictly_above=True),
                                subject="organization", initial={"decided_on": today()})

    def act(data):
        services.discipline_record(organization=org, actor=request.user, **data)
        return org
    return _act_page(request, form, act, title=_("Ghi quyết định kỷ luật tổ chức"), org=org,
                     back=org.get_absolute_url(), success=_("Đã ghi quyết định kỷ luật."), subject=str(org))


@require_http_methods(["GET", "POST"])
def discipline_annul(request: HttpRequest, pk: int) -> HttpResponse:
    discipline = access.get_owned_for(
        request, Discipline.objects.select_related("owner", "person", "organization", "decided_by"), pk,
        access.MANAGE_DISCIPLINE)
    # The issuing body or a level above it; without a recorded issuer, the owner's level or above (strictly
    # above an organization disciplined).
    issuer = discipline.decided_by or discipline.owner
    strictly = discipline.decided_by is None and discipline.organization_id is not None
    form = DisciplineAnnulForm(_data(request), issuers=_issuers(request.user, issuer, strictly_above=strictly),
                               initial={"annulled_on": today()})

    def act(data):
        services.discipline_annul(discipline=discipline, actor=request.user, **data)
        return "organizations:disciplines"
    return _act_page(request, form, act, title=_("Hủy quyết định kỷ luật"), org=discipline.org,
                     back=reverse("organizations:disciplines"), success=_("Đã ghi quyết định hủy kỷ luật."),
                     subject=str(discipline))


def disciplines(request: HttpRequest) -> HttpResponse:
    """The discipline register of every subtree where the user may see discipline: filtered, sorted, exported."""
    paths = access.granted_paths(request.user, access.VIEW_DISCIPLINE)
    if paths == []:
        raise Http404
    rows = (Discipline.objects.filter(access.subtree_q(paths, "owner__path"))
            .select_related("person", "organization", "owner", "decided_by", "annulment"))
    filters = DisciplineFilter(request.GET, queryset=rows)
    table = DisciplineTable(filters.qs, manage_paths=access.granted_paths(request.user, access.MANAGE_DISCIPLINE))
    return list_response(request, table, "organizations/disciplines.html", {"filter": filters},
                         filename="so-theo-doi-ky-luat")
