"""Every write of the organizations app: atomic, validated, audited."""

from __future__ import annotations

import datetime as dt

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

from .access import MANAGE_ACCESS, MANAGE_MEMBERS, authorize, people_for
from .imports import ParsedRow, parse_member_table
from .imports import error as import_error
from .models import (
    CELL_KINDS,
    AccessRole,
    Body,
    ImportStatus,
    MemberImport,
    Membership,
    Organization,
    Person,
    Position,
    PositionRole,
    Tenure,
)
from .permissions import sync_role


def overlapping_membership(person: Person, start: dt.date, end: dt.date | None,
                           exclude_pk: int | None = None) -> Membership | None:
    """An existing membership of ``person`` that shares a day with [start, end]."""
    qs = person.memberships.filter(start__lte=end) if end else person.memberships.all()
    qs = qs.exclude(end__lt=start)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("organization").first()


def membership_start(*, person: Person, organization: Organization, start: dt.date,
                     actor, note: str = "") -> Membership:
    """Register ``person`` in a cell from ``start``; a current membership elsewhere ends the day before.

    The actor manages members of the new cell and, for a transfer, of the cell the person leaves.
    """
    with transaction.atomic():
        authorize(actor, MANAGE_MEMBERS, organization)
        if organization.kind not in CELL_KINDS:
            raise Refused.because("membership_not_cell")
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
            audit_record(actor=actor, action="role.create", obj=role, summary=str(role),
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
                     summary=f"{user.get_username()}: {role}", data={"user": user.pk})
    return role


def role_revoke(*, user, role: AccessRole, actor) -> None:
    with transaction.atomic():
        role = AccessRole.objects.select_for_update().select_related("organization").get(pk=role.pk)
        authorize(actor, MANAGE_ACCESS, role.organization)
        if not role.group.user_set.filter(pk=user.pk).exists():
            raise Refused.because("role_not_held", u=user.get_username())
        role.group.user_set.remove(user)
        audit_record(actor=actor, action="role.revoke", obj=role,
                     summary=f"{user.get_username()}: {role}", data={"user": user.pk})


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
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
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
