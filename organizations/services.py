"""Every write of the organizations app: atomic, validated, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.actors import is_system
from common.reasons import Reason, Refused
from common.text import fold, name_sort_key

from . import events
from .access import MANAGE_ACCESS, MANAGE_DISCIPLINE, MANAGE_MEMBERS, authorize, people_for
from .imports import ParsedRow, parse_member_table
from .imports import error as import_error
from .models import (
    CELL_KINDS,
    AccessRole,
    Body,
    Discipline,
    DisciplineAnnulment,
    DisciplineForm,
    ImportStatus,
    Kinship,
    MemberImport,
    Membership,
    Organization,
    Person,
    PersonStatus,
    Position,
    PositionRole,
    Relation,
    Tenure,
    active_on_q,
    today,
)
from .permissions import sync_role
from .rules import future_reasons, member_date_reasons, placement_code


def _refuse_future(code: str, day: dt.date) -> None:
    """Refuse an act dated after today (``organizations.rules.future_reasons``)."""
    reasons = future_reasons(code, day, today=today())
    if reasons:
        raise Refused(reasons)


def overlapping_membership(person: Person, start: dt.date, end: dt.date | None,
                           exclude_pk: int | None = None) -> Membership | None:
    """An existing membership of ``person`` that shares a day with [start, end]."""
    qs = person.memberships.filter(start__lte=end) if end else person.memberships.all()
    qs = qs.exclude(end__lt=start)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("organization").first()


def _refuse_dissolved_cell(cell: Organization, start: dt.date) -> None:
    """Lock the cell (a dissolution waits for the registration, and the other way round) and refuse one that
    no longer exists on ``start``."""
    cell = Organization.objects.select_for_update().get(pk=cell.pk)
    if cell.dissolved_on is not None and cell.dissolved_on < start:
        raise Refused.because("org_dissolved", org=str(cell), d=cell.dissolved_on.isoformat())


def membership_start(*, person: Person, organization: Organization, start: dt.date,
                     actor, note: str = "") -> Membership:
    """Register ``person`` in a cell from ``start``; a current membership elsewhere ends the day before.

    The actor manages members of the new cell and, for a transfer, of the cell the person leaves.
    """
    with transaction.atomic():
        authorize(actor, MANAGE_MEMBERS, organization)
        if organization.kind not in CELL_KINDS:
            raise Refused.because("membership_not_cell")
        # The person before the cell, as a measure locks the person before the issuing body: no deadlock.
        person = Person.objects.select_for_update().get(pk=person.pk)
        _refuse_dissolved_cell(organization, start)
        _refuse_after_expulsion(person, start)
        current = (person.memberships.select_for_update().select_related("organization")
                   .filter(end__isnull=True).first())
        if current is not None:
            authorize(actor, MANAGE_MEMBERS, current.organization)
            if current.start >= start:
                raise Refused.because("membership_start_not_after", d=current.start.isoformat())
            current.end = start - dt.timedelta(days=1)
            current.save(update_fields=["end"])
        clash = overlapping_membership(person, start, None)
        if clash is not None:
            raise Refused.because("membership_overlap", org=str(clash.organization))
        membership = Membership.objects.create(person=person, organization=organization,
                                               start=start, note=note)
        audit_record(actor=actor, action="membership.start", obj=membership,
                     summary=f"{person} → {organization}",
                     data={"person": person.pk, "organization": organization.pk,
                           "start": start.isoformat(),
                           "ended": current.pk if current else None})
    return membership


def role_create(*, kind: str, organization: Organization, actor) -> AccessRole:
    """The role ``kind`` at ``organization`` (created with its group and declared permissions if new)."""
    with transaction.atomic():
        authorize(actor, MANAGE_ACCESS, organization)
        role = AccessRole.objects.select_for_update().filter(kind=kind, organization=organization).first()
        if role is None:
            group = Group.objects.create(name=f"{kind}@{organization.code}")
            role = AccessRole.objects.create(group=group, kind=kind, organization=organization)
            sync_role(role)
            audit_record(actor=actor, action="role.create", obj=role, summary=str(organization),
                         note=Reason("role_named", {"kind": kind}),
                         data={"kind": kind, "organization": organization.pk})
    return role


def role_grant(*, user, kind: str, organization: Organization, actor) -> AccessRole:
    """Give ``user`` a role at ``organization`` (and so on its whole subtree)."""
    with transaction.atomic():
        role = role_create(kind=kind, organization=organization, actor=actor)  # authorizes the actor
        if role.group.user_set.filter(pk=user.pk).exists():
            raise Refused.because("role_already_held", u=user.get_username())
        role.group.user_set.add(user)
        audit_record(actor=actor, action="role.grant", obj=role,
                     summary=f"{user.get_username()}: {role.organization}", note=Reason("role_named", {"kind": kind}),
                     data={"user": user.pk, "kind": kind})
    return role


def role_revoke(*, user, role: AccessRole, actor) -> None:
    with transaction.atomic():
        role = AccessRole.objects.select_for_update().select_related("organization").get(pk=role.pk)
        authorize(actor, MANAGE_ACCESS, role.organization)
        if not role.group.user_set.filter(pk=user.pk).exists():
            raise Refused.because("role_not_held", u=user.get_username())
        role.group.user_set.remove(user)
        audit_record(actor=actor, action="role.revoke", obj=role,
                     summary=f"{user.get_username()}: {role.organization}",
                     note=Reason("role_named", {"kind": role.kind}), data={"user": user.pk, "kind": role.kind})


# --- posts ------------------------------------------------------------------------


def tenure_start(*, person: Person, position: Position, organization: Organization, start: dt.date,
                 actor, body: Body | None = None, acting: bool = False, concurrent: bool = False,
                 decision_ref: str = "") -> Tenure:
    """``person`` takes ``position`` in ``organization`` from ``start``.

    Refused when they hold that post there already on a day from ``start`` on,
    and, for the head's post, when someone else holds it substantively then
    (an acting or concurrent head may stand beside a substantive one).
    """
    with transaction.atomic():
        authorize(actor, MANAGE_MEMBERS, organization)
        if body is not None and body.organization_id != organization.pk:
            raise Refused.because("tenure_body_elsewhere")
        # One organization's posts are changed one act at a time.
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.dissolved_on is not None and locked.dissolved_on < start:
            raise Refused.because("org_dissolved", org=str(locked), d=locked.dissolved_on.isoformat())
        running = Tenure.objects.filter(organization=organization, position=position).exclude(end__lt=start)
        same = running.filter(person=person).first()
        if same is not None:
            raise Refused.because("tenure_already_held", p=str(person), pos=str(position),
                                  d=same.start.isoformat())
        if position.role == PositionRole.HEAD and not (acting or concurrent):
            other = running.filter(acting=False, concurrent=False).select_related("person").first()
            if other is not None:
                raise Refused.because("tenure_head_taken", p=str(other.person), pos=str(position),
                                      d=other.start.isoformat())
        tenure = Tenure.objects.create(person=person, position=position, organization=organization,
                                       body=body, start=start, acting=acting, concurrent=concurrent,
                                       decision_ref=decision_ref)
        audit_record(actor=actor, action="tenure.start", obj=tenure, summary=str(tenure),
                     data={"person": person.pk, "position": position.pk, "organization": organization.pk,
                           "body": body.pk if body else None, "start": start.isoformat(),
                           "acting": acting, "concurrent": concurrent, "decision_ref": decision_ref})
    return tenure


def tenure_end(*, tenure: Tenure, end: dt.date, actor, decision_ref: str = "") -> Tenure:
    """The post is held up to and including ``end``."""
    with transaction.atomic():
        tenure = Tenure.objects.select_for_update().select_related("person", "position", "organization") \
            .get(pk=tenure.pk)
        authorize(actor, MANAGE_MEMBERS, tenure.organization)
        if tenure.end is not None:
            raise Refused.because("tenure_already_ended", d=tenure.end.isoformat())
        if end < tenure.start:
            raise Refused.because("tenure_end_before_start", d=tenure.start.isoformat())
        tenure.end = end
        tenure.save(update_fields=["end"])
        audit_record(actor=actor, action="tenure.end", obj=tenure, summary=str(tenure),
                     data={"end": end.isoformat(), "decision_ref": decision_ref})
    return tenure


# --- member import ------------------------------------------------------------


def _check_against_database(organization: Organization, rows: list[ParsedRow], actor) -> list[dict]:
    """Errors that depend on the database: the target must be a cell, the card numbers must be new.

    A card already taken is reported with its holder's name only when the
    uploader may see that person: the import must not tell a clerk who holds
    a card in another committee.
    """
    errors = []
    if organization.kind not in CELL_KINDS:
        errors.append(import_error("not_cell", org=str(organization), kind=organization.kind))
    if organization.dissolved_on is not None:
        errors.append(import_error("dissolved", org=str(organization)))
    cards = [r.values["card_number"] for r in rows if r.values.get("card_number")]
    taken = {card: (pk, name) for card, pk, name in
             Person.objects.filter(card_number__in=cards).values_list("card_number", "pk", "full_name")}
    visible: set[int] = set()
    if taken and getattr(actor, "is_authenticated", False):
        visible = set(people_for(actor).filter(pk__in=[pk for pk, _name in taken.values()])
                      .values_list("pk", flat=True))
    for r in rows:
        card = r.values.get("card_number")
        if card in taken:
            pk, name = taken[card]
            if pk in visible:
                errors.append(import_error("card_taken_by", r.number, card=card, name=name))
            else:
                errors.append(import_error("card_taken", r.number, card=card))
    return errors


def _printable(file_name: str) -> str:
    return "".join(ch for ch in file_name if ch.isprintable())[:255]


def member_import_preview(*, organization: Organization, file_name: str, content: bytes,
                          actor) -> tuple[MemberImport, list[ParsedRow]]:
    """Parse and check an upload once; keep its rows for the confirmation step. Writes no member."""
    authorize(actor, MANAGE_MEMBERS, organization)  # before reading the file: no work for who may not
    file_name = _printable(file_name)
    parsed = parse_member_table(file_name, content)
    errors = parsed.errors + (_check_against_database(organization, parsed.rows, actor)
                              if parsed.rows else [])
    errors.sort(key=lambda e: (e["row"] or 0))
    with transaction.atomic():
        authorize(actor, MANAGE_MEMBERS, organization)  # the check that counts, under the transaction
        batch = MemberImport.objects.create(
            organization=organization, uploaded_by=actor, file_name=file_name,
            content=content, row_count=len(parsed.rows), errors=errors,
            rows=[r.to_json() for r in parsed.rows],
            status=ImportStatus.REJECTED if errors else ImportStatus.PREVIEWED,
        )
        audit_record(actor=actor, action="import.preview", obj=batch, summary=file_name,
                     note=Reason("import_previewed", {"rows": len(parsed.rows), "errors": len(errors)}))
    return batch, parsed.rows


def _reject(batch: MemberImport, errors: list[dict], actor) -> int:
    batch.status = ImportStatus.REJECTED
    batch.errors = errors
    batch.save(update_fields=["status", "errors"])
    audit_record(actor=actor, action="import.reject", obj=batch, summary=batch.file_name,
                 note=Reason("import_rejected_at_commit", {"errors": len(errors)}))
    return 0


def member_import_commit(*, batch: MemberImport, actor) -> int:
    """Write every row kept at the preview, or nothing.

    The rows are checked again against the database inside the transaction:
    a card may have been registered since the preview. Returns the number of
    members created (0 when the import is rejected now).
    """
    with transaction.atomic():
        batch = MemberImport.objects.select_for_update().select_related("organization").get(pk=batch.pk)
        authorize(actor, MANAGE_MEMBERS, batch.organization)
        if batch.status != ImportStatus.PREVIEWED:
            raise Refused.because("import_not_previewed")
        if not batch.rows:  # previewed before the rows were kept
            raise Refused.because("import_needs_reupload")
        rows = [ParsedRow.from_json(r) for r in batch.rows]
        errors = _check_against_database(batch.organization, rows, actor)
        if errors:
            return _reject(batch, errors, actor)
        # bulk_create skips save(), so the folded search name is set here.
        people = [
            Person(search_name=fold(r.values["full_name"]), sort_name=name_sort_key(r.values["full_name"]),
                   **{k: v for k, v in r.values.items() if k not in ("start", "start_from_join")})
            for r in rows
        ]
        try:
            with transaction.atomic():
                Person.objects.bulk_create(people, batch_size=1000)
                # bulk_create returns primary keys on PostgreSQL and SQLite >= 3.35.
                Membership.objects.bulk_create(
                    [Membership(person=p, organization=batch.organization,
                                start=r.values.get("start") or r.values["join_date"],
                                note=_("Nhập từ tệp %(f)s") % {"f": batch.file_name})
                     for p, r in zip(people, rows)],
                    batch_size=1000,
                )
        except IntegrityError:
            # A card registered by another transaction between the check and the insert.
            errors = _check_against_database(batch.organization, rows, actor)
            if errors:
                return _reject(batch, errors, actor)
            raise Refused.because("import_changed_meanwhile") from None
        batch.status = ImportStatus.COMMITTED
        batch.committed_at = timezone.now()
        batch.save(update_fields=["status", "committed_at"])
        # Every id, uncut: bulk inserts need not get consecutive ids, so a range would not say who was
        # written; an import is at most IMPORT_MAX_ROWS rows, so the list stays small.
        audit_record(actor=actor, action="import.commit", obj=batch, summary=str(batch.organization),
                     note=Reason("import_committed", {"n": len(people), "org": str(batch.organization)}),
                     data={"count": len(people), "people": [p.pk for p in people]})
    return len(people)


def member_imports_purge(*, actor, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Forget old member-list uploads: they hold personal data that nothing needs any more.

    After ``settings.IMPORT_KEEP_DAYS`` days, imports that were rejected or never
    confirmed are deleted, and the file content and parsed rows of written ones
    are emptied; a written import keeps its record (who, when, which cell, how
    many rows) for the audit. One audit entry per run lists what was done.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IMPORT_KEEP_DAYS)
    with transaction.atomic():
        # A chore of the portal (beat, the command): the portal itself or a superuser, nobody else.
        if not (is_system(actor) or getattr(actor, "is_superuser", False) and actor.is_active):
            raise Refused.because("not_permitted", perm="purge_imports")
        stale = MemberImport.objects.select_for_update().filter(
            status__in=[ImportStatus.REJECTED, ImportStatus.PREVIEWED], uploaded_at__lt=cutoff)
        deleted = sorted(stale.values_list("pk", flat=True))
        MemberImport.objects.filter(pk__in=deleted).delete()
        # A non-empty rows list also counts: the parsed rows are the file's personal data in another shape.
        written = (MemberImport.objects.filter(status=ImportStatus.COMMITTED, committed_at__lt=cutoff)
                   .exclude(Q(content=b"") & Q(rows=[])))
        emptied = sorted(written.values_list("pk", flat=True))
        MemberImport.objects.filter(pk__in=emptied).update(content=b"", rows=[])
        audit_record(actor=actor, action="import.purge", obj=MemberImport,
                     note=Reason("import_purged", {"deleted": len(deleted), "emptied": len(emptied),
                                                   "days": settings.IMPORT_KEEP_DAYS}),
                     data={"deleted": deleted, "emptied": emptied, "cutoff": cutoff.isoformat()})
    return {"deleted": deleted, "emptied": emptied}


# --- the tree -------------------------------------------------------------------

# Records of other apps that store a tree path (a citation's scope) follow a move: each higher app registers
# a callback ``(old_prefix, new_prefix)`` run inside the move's transaction (``register_path_follower``).
PathFollower = Callable[[str, str], None]
_path_followers: list[PathFollower] = []


def register_path_follower(follower: PathFollower) -> None:
    if follower not in _path_followers:
        _path_followers.append(follower)


def _authorize_above(actor, perm: str, org: Organization) -> None:
    """Acts on an organization itself are the superior's: the office above it (the root's own, for the root)."""
    parent = Organization.objects.get_parent(org) if org.depth > 1 else None
    authorize(actor, perm, parent or org)


def _refuse_placement(kind: str, parent: Organization) -> None:
    """Refuse a placement that is never valid (``organizations.rules.placement_code``), or under a dissolved one.
    ``selectors.move_targets`` offers the same places."""
    code = placement_code(kind, parent.kind)
    if code == "org_under_cell":
        raise Refused.because(code, org=str(parent))
    if code is not None:
        raise Refused.because(code, kind=kind, parent=str(parent))
    if parent.dissolved_on is not None:
        raise Refused.because("org_dissolved", org=str(parent), d=parent.dissolved_on.isoformat())
    if parent.dissolved_on is not None:
        raise Refused.because("org_dissolved", org=str(parent), d=parent.dissolved_on.isoformat())


def organization_create(*, parent: Organization, name: str, code: str, kind: str, actor) -> Organization:
    """A new organization under ``parent`` (as its last child), by the office of ``parent`` or above."""
    with transaction.atomic():
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        authorize(actor, MANAGE_MEMBERS, parent)
        _refuse_placement(kind, parent)
        if Organization.objects.filter(code=code).exists():
            raise Refused.because("org_code_taken", org_code=code)
        try:
            with transaction.atomic():
                org = Organization.objects.add_child(parent, {"name": name, "code": code, "kind": kind})
        except IntegrityError:  # the same code taken meanwhile
            raise Refused.because("org_code_taken", org_code=code) from None
        audit_record(actor=actor, action="organization.create", obj=org, summary=f"{name} ({code})",
                     data={"parent": parent.pk, "name": name, "code": code, "kind": kind, "path": org.path})
    return org


def organization_rename(*, organization: Organization, name: str, actor) -> Organization:
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        _authorize_above(actor, MANAGE_MEMBERS, org)
        if org.dissolved_on is not None:
            raise Refused.because("org_dissolved", org=str(org), d=org.dissolved_on.isoformat())
        if org.name == name:
            raise Refused.because("organizations_no_change")
        old = org.name
        org.name = name
        org.save(update_fields=["name"])
        audit_record(actor=actor, action="organization.rename", obj=org, summary=f"{old} → {name}",
                     data={"old": old, "new": name})
    return org


def organization_move(*, organization: Organization, parent: Organization, actor) -> Organization:
    """Move ``organization`` and its subtree under ``parent`` (as its last child).

    The actor acts for the superiors of both places. Every record that stores the old path as a prefix
    follows inside the same transaction: the tree's own paths (treebeard), and the registered followers.
    """
    with transaction.atomic():
        # Both places, in path order so two moves wait for each other rather than deadlock.
        locked = {o.pk: o for o in Organization.objects.select_for_update()
                  .filter(pk__in=[organization.pk, parent.pk]).order_by("path")}
        org, target = locked[organization.pk], locked.get(parent.pk)
        if org.depth == 1:
            raise Refused.because("org_move_root")
        _authorize_above(actor, MANAGE_MEMBERS, org)
        if target is None or target.path.startswith(org.path):
            raise Refused.because("org_move_into_own_subtree", org=str(org))
        authorize(actor, MANAGE_MEMBERS, target)
        if org.parent_path == target.path:
            raise Refused.because("org_move_same_place", org=str(org), parent=str(target))
        if org.dissolved_on is not None:
            raise Refused.because("org_dissolved", org=str(org), d=org.dissolved_on.isoformat())
        _refuse_placement(org.kind, target)
        # Every row of the subtree, in path order: treebeard rewrites their paths in one UPDATE whose snapshot
        # would miss a child added meanwhile under a descendant (which locks only that descendant); a create
        # holding one waits here, and the UPDATE, a later statement, sees its child.
        list(Organization.objects.select_for_update().filter(path__startswith=org.path).order_by("path")
             .values_list("pk", flat=True))
        old_path, old_parent = org.path, Organization.objects.get_parent(org)
        Organization.objects.move(org, target, pos="last-child")
        org = Organization.objects.get(pk=org.pk)
        for follow in _path_followers:
            follow(old_path, org.path)
        audit_record(actor=actor, action="organization.move", obj=org,
                     summary=f"{org}: {old_parent} → {target}",
                     data={"from": old_parent.pk, "to": target.pk, "old_path": old_path, "new_path": org.path})
    return org


def organization_dissolve(*, organization: Organization, on: dt.date, actor, decision_ref: str = "") -> Organization:
    """The organization ends on ``on`` (dissolved or merged): once nothing under it runs past that day."""
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        _authorize_above(actor, MANAGE_MEMBERS, org)
        if org.dissolved_on is not None:
            raise Refused.because("org_dissolved", org=str(org), d=org.dissolved_on.isoformat())
        # A dissolution is recorded once in force: the portal has no planned state, and a day ahead would show
        # the organization as dissolved already (and close it to every act) before it is.
        _refuse_future("org_dissolve_in_future", on)
        children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1,
                                               dissolved_on__isnull=True).count()
        if children:
            raise Refused.because("org_has_active_children", org=str(org), n=children)
        members = Membership.objects.filter(organization=org).filter(Q(end__isnull=True) | Q(end__gt=on)).count()
        if members:
            raise Refused.because("org_has_members", org=str(org), n=members, d=on.isoformat())
        tenures = Tenure.objects.filter(organization=org).filter(Q(end__isnull=True) | Q(end__gt=on)).count()
        if tenures:
            raise Refused.because("org_has_tenures", org=str(org), n=tenures, d=on.isoformat())
        org.dissolved_on = on
        org.save(update_fields=["dissolved_on"])
        audit_record(actor=actor, action="organization.dissolve", obj=org,
                     summary=f"{org} ({decision_ref})" if decision_ref else str(org),
                     data={"on": on.isoformat(), "decision_ref": decision_ref})
    return org


# --- people ---------------------------------------------------------------------

IDENTITY_FIELDS = ("full_name", "birth_date", "gender", "card_number", "join_date", "official_date")


def _json_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _refuse_identity(values: dict, exclude_pk: int | None = None, start: dt.date | None = None) -> None:
    """Refuse dates that cannot all be true (``organizations.rules``, every reason at once), then a card
    number held by someone else."""
    reasons = member_date_reasons(today=today(), start=start,
                                  **{f: values.get(f) for f in ("birth_date", "join_date", "official_date")})
    if reasons:
        raise Refused(reasons)
    card = values.get("card_number")
    if card and Person.objects.filter(card_number=card).exclude(pk=exclude_pk).exists():
        # A card number is unique nationally: say it is taken, never by whom.
        raise Refused.because("person_card_taken", card=card)


def person_create(*, organization: Organization, start: dt.date, full_name: str, gender: str, actor,
                  birth_date: dt.date | None = None, card_number: str | None = None,
                  join_date: dt.date | None = None, official_date: dt.date | None = None) -> Person:
    """A new party member, registered in the cell ``organization`` from ``start`` (a person belongs somewhere:
    the access layer sees people through their memberships)."""
    values = {"full_name": full_name, "gender": gender, "birth_date": birth_date,
              "card_number": card_number or None, "join_date": join_date, "official_date": official_date}
    with transaction.atomic():
        authorize(actor, MANAGE_MEMBERS, organization)
        if organization.kind not in CELL_KINDS:
            raise Refused.because("membership_not_cell")
        _refuse_dissolved_cell(organization, start)
        _refuse_identity(values, start=start)
        try:
            with transaction.atomic():
                person = Person.objects.create(**values)
        except IntegrityError:  # the same card registered meanwhile
            raise Refused.because("person_card_taken", card=card_number) from None
        membership = Membership.objects.create(person=person, organization=organization, start=start)
        audit_record(actor=actor, action="person.create", obj=person, summary=f"{person} → {organization}",
                     data={**{k: _json_value(v) for k, v in values.items()}, "organization": organization.pk,
                           "start": start.isoformat(), "membership": membership.pk})
    return person


def _authorize_on_person(actor, perm: str, person: Person) -> Organization | None:
    """Acts on a person are for whoever holds ``perm`` on their cell (today's, else their last)."""
    cell = person.cell_on(today())
    if cell is None:
        if not (is_system(actor) or getattr(actor, "is_superuser", False) and actor.is_active):
            raise Refused.because("not_permitted", perm=perm)
        return None
    authorize(actor, perm, cell)
    return cell


def person_correct(*, person: Person, actor, **changes) -> Person:
    """Correct identity fields (``IDENTITY_FIELDS``); the audit keeps the old and the new values."""
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"not identity fields: {sorted(unknown)}")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        _authorize_on_person(actor, MANAGE_MEMBERS, person)
        if "card_number" in changes:
            changes["card_number"] = changes["card_number"] or None
        changed = {k: v for k, v in changes.items() if getattr(person, k) != v}
        if not changed:
            raise Refused.because("organizations_no_change")
        # The first day of activity in a cell stays on or after the (corrected) join date.
        first_start = person.memberships.order_by("start").values_list("start", flat=True).first()
        _refuse_identity({**{k: getattr(person, k) for k in IDENTITY_FIELDS}, **changed}, exclude_pk=person.pk,
                         start=first_start)
        old = {k: _json_value(getattr(person, k)) for k in changed}
        for k, v in changed.items():
            setattr(person, k, v)
        try:
            with transaction.atomic():
                person.save(update_fields=[*changed, "search_name", "sort_name"])
        except IntegrityError:
            raise Refused.because("person_card_taken", card=changed.get("card_number")) from None
        audit_record(actor=actor, action="person.correct", obj=person, summary=str(person),
                     data={"old": old, "new": {k: _json_value(v) for k, v in changed.items()}})
    return person


# --- kinship --------------------------------------------------------------------


def kinship_declare(*, person: Person, relative: Person, relation: str, declared_on: dt.date, actor) -> Kinship:
    """``person`` declares ``relative``; the declaration belongs to the declarer's cell on that day."""
    with transaction.atomic():
        # The pair's declarations are made one at a time (both people locked, in key order, whichever
        # declares): the check for a running one holds.
        locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[person.pk, relative.pk])
                  .order_by("pk")}
        person = locked[person.pk]
        owner = person.cell_on(declared_on)
        if owner is None:
            raise Refused.because("person_no_cell", p=str(person))
        authorize(actor, MANAGE_MEMBERS, owner)
        if person.pk == relative.pk:
            raise Refused.because("kinship_self")
        _refuse_future("kinship_declared_in_future", declared_on)
        if relation not in Relation.values:
            raise Refused.because("kinship_unknown_relation", relation=str(relation))
        running = (Kinship.objects.filter(ended_on__isnull=True)
                   .filter(Q(person=person, relative=relative) | Q(person=relative, relative=person)).first())
        if running is not None:
            raise Refused.because("kinship_exists", p=str(person), r=str(relative), relation=running.relation)
        kinship = Kinship.objects.create(person=person, relative=relative, relation=relation,
                                         declared_on=declared_on, organization=owner)
        audit_record(actor=actor, action="kinship.declare", obj=kinship, summary=f"{person} — {relative}",
                     note=Reason("kinship_named", {"relation": relation}),
                     data={"person": person.pk, "relative": relative.pk, "relation": relation,
                           "declared_on": declared_on.isoformat(), "organization": owner.pk})
    return kinship


def kinship_end(*, kinship: Kinship, ended_on: dt.date, actor) -> Kinship:
    """The kinship no longer holds from the day after ``ended_on`` (a divorce); the record stays."""
    with transaction.atomic():
        kinship = Kinship.objects.select_for_update().select_related("organization", "person", "relative") \
            .get(pk=kinship.pk)
        authorize(actor, MANAGE_MEMBERS, kinship.organization)
        if kinship.ended_on is not None:
            raise Refused.because("kinship_already_ended", d=kinship.ended_on.isoformat())
        if ended_on < kinship.declared_on:
            raise Refused.because("kinship_end_before_declared", d=kinship.declared_on.isoformat())
        _refuse_future("kinship_end_in_future", ended_on)
        kinship.ended_on = ended_on
        kinship.save(update_fields=["ended_on"])
        audit_record(actor=actor, action="kinship.end", obj=kinship, summary=f"{kinship.person} — {kinship.relative}",
                     note=Reason("kinship_named", {"relation": kinship.relation}),
                     data={"ended_on": ended_on.isoformat(), "relation": kinship.relation})
    return kinship


# --- discipline -----------------------------------------------------------------


def _discipline_summary(discipline: Discipline, decision_ref: str) -> str:
    """Who was disciplined, and by which decision: names only (the form goes in the entry's note)."""
    subject = str(discipline.person or discipline.organization)
    return f"{subject} ({decision_ref})" if decision_ref else subject


def _refuse_issuer(issuer: Organization, owner: Organization, strictly_above: bool) -> None:
    above = owner.path.startswith(issuer.path) and not (strictly_above and issuer.pk == owner.pk)
    if not above:
        raise Refused.because("discipline_issuer_not_above", issuer=str(issuer), org=str(owner))


def discipline_record(*, form: str, decided_on: dt.date, decided_by: Organization, actor,
                      person: Person | None = None, organization: Organization | None = None,
                      decision_ref: str = "", reason: str = "", self_detected_remedied: bool = False) -> Discipline:
    """Record a disciplinary measure on a person or an organization, decided by ``decided_by``.

    The record belongs to the organization disciplined, or to the member's cell on the day of the decision.
    The issuing body is that organization's own level or above (above, for an organization), and the actor
    records for it (``manage_discipline`` there: its inspection committee).
    """
    with transaction.atomic():
        if (person is None) == (organization is None):
            raise Refused.because("discipline_one_subject")
        _refuse_future("discipline_decided_in_future", decided_on)
        if person is not None:
            # The person's measures are recorded one at a time (an expulsion changes their record).
            person = Person.objects.select_for_update().get(pk=person.pk)
            _refuse_after_expulsion(person, decided_on)
        owner = organization if organization is not None else person.cell_on(decided_on)
        if owner is None:
            raise Refused.because("person_no_cell", p=str(person))
        authorize(actor, MANAGE_DISCIPLINE, owner)
        subject = "organization" if organization is not None else "person"
        if (form == DisciplineForm.EXPULSION and organization is not None) or (
                form == DisciplineForm.DISSOLUTION and person is not None):
            raise Refused.because("discipline_form_subject", form=form, subject=subject)
        _refuse_issuer(decided_by, owner, strictly_above=organization is not None)
        authorize(actor, MANAGE_DISCIPLINE, decided_by)
        if form == DisciplineForm.REMOVAL and person is not None and not Tenure.objects.filter(
                active_on_q(decided_on), person=person).exists():
            # Removal from post (cách chức) is of a post held on the day of the decision.
            raise Refused.because("discipline_removal_no_post", p=str(person), d=decided_on.isoformat())
        _refuse_decision_ref_taken(decided_by, decision_ref, decided_on)
        discipline = Discipline.objects.create(
            person=person, organization=organization, owner=owner, form=form, decided_on=decided_on,
            decided_by=decided_by, decision_ref=decision_ref, reason=reason,
            self_detected_remedied=self_detected_remedied)
        audit_record(actor=actor, action="discipline.record", obj=discipline,
                     summary=_discipline_summary(discipline, decision_ref),
                     note=Reason("discipline_named", {"form": form}),
                     data={"person": person.pk if person else None,
                           "organization": organization.pk if organization else None, "owner": owner.pk,
                           "form": form, "decided_on": decided_on.isoformat(), "decided_by": decided_by.pk,
                           "decision_ref": decision_ref, "self_detected_remedied": self_detected_remedied})
        if form == DisciplineForm.EXPULSION:
            _expel(person, discipline, actor)
        if person is not None:
            events.announce(events.PersonEvent("discipline", person.pk, decided_on, {
                "discipline": discipline.pk, "form": form, "decided_by": decided_by.pk,
                "decision_ref": decision_ref}))
    return discipline


def _standing_expulsion(person: Person) -> Discipline | None:
    """The person's expulsion not annulled, if any (the earliest)."""
    return (Discipline.objects.standing().filter(person=person, form=DisciplineForm.EXPULSION)
            .order_by("decided_on", "pk").first())


def _refuse_after_expulsion(person: Person, day: dt.date) -> None:
    """Nothing of a party member's is recorded for a day after their expulsion (Charter Art. 35): they are no
    longer one."""
    expulsion = _standing_expulsion(person)
    if expulsion is not None and day > expulsion.decided_on:
        raise Refused.because("person_expelled", p=str(person), d=expulsion.decided_on.isoformat(),
                              ref=expulsion.decision_ref)


def _refuse_decision_ref_taken(body: Organization, decision_ref: str, decided_on: dt.date) -> None:
    """A body numbers its decisions once a year: the same number from the same body in the same year is the
    same decision recorded twice (an empty number says nothing)."""
    if not decision_ref:
        return
    # The issuing body's numbers are given one at a time.
    Organization.objects.select_for_update().filter(pk=body.pk).first()
    earlier = (Discipline.objects.filter(decided_by=body, decision_ref=decision_ref,
                                         decided_on__year=decided_on.year)
               .select_related("person", "organization").first())
    if earlier is not None:
        raise Refused.because("discipline_ref_taken", ref=decision_ref, body=str(body),
                              subject=str(earlier.person or earlier.organization),
                              d=earlier.decided_on.isoformat(), pk=earlier.pk)


def _expel(person: Person, discipline: Discipline, actor) -> None:
    """An expulsion ends the person's running membership on the day of the decision and they are no longer a
    member: each a recorded act of its own, audited, in the expulsion's transaction."""
    day = discipline.decided_on
    later = person.memberships.filter(start__gt=day).select_related("organization").first()
    if later is not None:
        # Activity recorded after the expulsion: the record must be corrected before the expulsion is recorded.
        raise Refused.because("person_expelled_membership_later", p=str(person), org=str(later.organization),
                              d=later.start.isoformat())
    running = person.memberships.select_for_update().filter(end__isnull=True).select_related("organization").first()
    if running is not None:
        running.end = day
        running.save(update_fields=["end"])
        audit_record(actor=actor, action="membership.end", obj=running,
                     summary=f"{person} ← {running.organization}",
                     note=Reason("discipline_named", {"form": discipline.form}),
                     data={"person": person.pk, "organization": running.organization_id, "end": day.isoformat(),
                           "discipline": discipline.pk})
    if person.status != PersonStatus.LEFT:
        old = person.status
        person.status = PersonStatus.LEFT
        person.save(update_fields=["status"])
        audit_record(actor=actor, action="person.status", obj=person, summary=str(person),
                     note=Reason("discipline_named", {"form": discipline.form}),
                     data={"old": old, "new": PersonStatus.LEFT, "discipline": discipline.pk})


def _refuse_annulling_body(body: Organization, discipline: Discipline) -> None:
    """A measure is annulled by the body that issued it or one above that body; a measure on an organization,
    never by that organization itself (nor anything below it)."""
    if discipline.organization_id is not None:
        _refuse_issuer(body, discipline.organization, strictly_above=True)
    issuer = discipline.decided_by
    if issuer is None:  # a measure recorded without its issuing body: its owner's level or above
        _refuse_issuer(body, discipline.owner, strictly_above=False)
    elif not issuer.path.startswith(body.path):
        raise Refused.because("discipline_annul_below_issuer", body=str(body), issuer=str(issuer))


def discipline_annul(*, discipline: Discipline, annulled_on: dt.date, decided_by: Organization, actor,
                     decision_ref: str = "", reason: str = "") -> DisciplineAnnulment:
    """Annul a measure by a new recorded act; the measure's own row is kept as it was decided."""
    with transaction.atomic():
        discipline = (Discipline.objects.select_for_update(of=("self", "owner"))
                      .select_related("owner", "organization", "decided_by").get(pk=discipline.pk))
        authorize(actor, MANAGE_DISCIPLINE, discipline.owner)
        done = DisciplineAnnulment.objects.filter(discipline=discipline).first()
        if done is not None:
            raise Refused.because("discipline_already_annulled", d=done.annulled_on.isoformat())
        _refuse_future("discipline_annul_in_future", annulled_on)
        if annulled_on < discipline.decided_on:
            raise Refused.because("discipline_annul_before_decided", d=discipline.decided_on.isoformat())
        _refuse_annulling_body(decided_by, discipline)
        authorize(actor, MANAGE_DISCIPLINE, decided_by)
        annulment = DisciplineAnnulment.objects.create(discipline=discipline, annulled_on=annulled_on,
                                                       decided_by=decided_by, decision_ref=decision_ref,
                                                       reason=reason)
        audit_record(actor=actor, action="discipline.annul", obj=discipline,
                     summary=_discipline_summary(discipline, decision_ref),
                     note=Reason("discipline_named", {"form": discipline.form}),
                     data={"form": discipline.form, "annulment": annulment.pk, "annulled_on": annulled_on.isoformat(),
                           "decided_by": decided_by.pk, "decision_ref": decision_ref})
    return annulment
