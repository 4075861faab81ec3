"""Every write of the organizations app: atomic, validated, audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.text import fold

from .imports import parse_member_table
from .models import CELL_KINDS, AccessRole, ImportStatus, MemberImport, Membership, Organization, Person, today
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
    """Register ``person`` in a cell from ``start``; a current membership elsewhere ends the day before."""
    if organization.kind not in CELL_KINDS:
        raise ValidationError(_("Đảng viên chỉ sinh hoạt tại chi bộ."))
    with transaction.atomic():
        current = person.memberships.select_for_update().filter(end__isnull=True).first()
        if current is not None:
            if current.start >= start:
                raise ValidationError(_("Ngày bắt đầu phải sau ngày bắt đầu sinh hoạt hiện tại (%(d)s).")
                                      % {"d": current.start.strftime("%d/%m/%Y")})
            current.end = start - dt.timedelta(days=1)
            current.save(update_fields=["end"])
        clash = overlapping_membership(person, start, None)
        if clash is not None:
            raise ValidationError(_("Trùng thời gian với sinh hoạt tại %(org)s.") % {"org": clash.organization})
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
        role = role_create(kind=kind, organization=organization, actor=actor)
        if role.group.user_set.filter(pk=user.pk).exists():
            raise ValidationError(_("%(u)s đã có vai trò này.") % {"u": user.get_username()})
        role.group.user_set.add(user)
        audit_record(actor=actor, action="role.grant", obj=role,
                     summary=f"{user.get_username()}: {role}", data={"user": user.pk})
    return role


def role_revoke(*, user, role: AccessRole, actor) -> None:
    with transaction.atomic():
        role = AccessRole.objects.select_for_update().get(pk=role.pk)
        if not role.group.user_set.filter(pk=user.pk).exists():
            raise ValidationError(_("%(u)s không có vai trò này.") % {"u": user.get_username()})
        role.group.user_set.remove(user)
        audit_record(actor=actor, action="role.revoke", obj=role,
                     summary=f"{user.get_username()}: {role}", data={"user": user.pk})


# --- member import ------------------------------------------------------------


def _check_against_database(organization: Organization, rows) -> list[dict]:
    errors = []
    if organization.kind not in CELL_KINDS:
        errors.append({"row": None, "message": _(
            "Chỉ nhập danh sách đảng viên vào một chi bộ; “%(org)s” là %(kind)s.")
            % {"org": organization, "kind": organization.get_kind_display()}})
    cards = [r.values["card_number"] for r in rows if r.values.get("card_number")]
    existing = dict(Person.objects.filter(card_number__in=cards)
                    .values_list("card_number", "full_name"))
    for r in rows:
        card = r.values.get("card_number")
        if card in existing:
            errors.append({"row": r.number, "message": _(
                "Số thẻ đảng viên %(card)s đã có trong hệ thống (%(name)s).")
                % {"card": card, "name": existing[card]}})
    return errors


def member_import_preview(*, organization: Organization, file_name: str, content: bytes,
                          actor) -> tuple[MemberImport, list]:
    """Parse and check an upload; keep it for the confirmation step. Writes no member."""
    parsed = parse_member_table(file_name, content)
    errors = parsed.errors + (_check_against_database(organization, parsed.rows)
                              if parsed.rows else [])
    errors.sort(key=lambda e: (e["row"] or 0))
    with transaction.atomic():
        batch = MemberImport.objects.create(
            organization=organization, uploaded_by=actor, file_name=file_name[:255],
            content=content, row_count=len(parsed.rows), errors=errors,
            status=ImportStatus.REJECTED if errors else ImportStatus.PREVIEWED,
        )
        audit_record(actor=actor, action="import.preview", obj=batch,
                     summary=f"{file_name}: {len(parsed.rows)} dòng, {len(errors)} lỗi")
    return batch, parsed.rows


def member_import_commit(*, batch: MemberImport, actor) -> int:
    """Write every row of a previewed import, or nothing.

    The file is checked again inside the transaction: the database may have
    changed since the preview. Returns the number of members created.
    """
    with transaction.atomic():
        batch = MemberImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.PREVIEWED:
            raise ValidationError(_("Lượt nhập này không ở trạng thái chờ ghi."))
        parsed = parse_member_table(batch.file_name, bytes(batch.content))
        errors = parsed.errors + _check_against_database(batch.organization, parsed.rows)
        if errors:
            batch.status = ImportStatus.REJECTED
            batch.errors = errors
            batch.save(update_fields=["status", "errors"])
            audit_record(actor=actor, action="import.reject", obj=batch,
                         summary=f"{len(errors)} lỗi khi ghi")
            return 0
        start_default = today()
        # bulk_create skips save(), so the folded search name is set here.
        people = [
            Person(search_name=fold(r.values["full_name"]),
                   **{k: v for k, v in r.values.items() if k != "start"})
            for r in parsed.rows
        ]
        Person.objects.bulk_create(people, batch_size=1000)
        # bulk_create returns primary keys on PostgreSQL and SQLite >= 3.35.
        Membership.objects.bulk_create(
            [Membership(person=p, organization=batch.organization,
                        start=r.values.get("start") or start_default,
                        note=_("Nhập từ tệp %(f)s") % {"f": batch.file_name})
             for p, r in zip(people, parsed.rows)],
            batch_size=1000,
        )
        batch.status = ImportStatus.COMMITTED
        batch.committed_at = timezone.now()
        batch.save(update_fields=["status", "committed_at"])
        audit_record(actor=actor, action="import.commit", obj=batch,
                     summary=f"{len(people)} đảng viên vào {batch.organization}",
                     data={"people": [p.pk for p in people][:5000]})
    return len(people)
