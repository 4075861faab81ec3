"""Permissions on organizations, declared by each app, and the roles that hold them.

Every permission the portal checks is a permission on an ``Organization``
(guardian grants it to a role's group on one organization, and
``organizations.access`` extends it to the subtree). Each app declares its
own in its ``AppConfig.ready()``::

    declare("governance", "record_decisions", _("Ghi hội nghị, quyết định"),
            roles=[RoleKind.COMMITTEE_STAFF])

``sync_role_permissions`` (run after every ``migrate`` and whenever a role is
created) keeps every role group's permissions equal to the declared set for
its kind: a permission declared later reaches the groups created earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .models import AccessRole, Organization


@dataclass(frozen=True)
class Declared:
    app_label: str
    codename: str
    label: str
    roles: frozenset[str]


_declared: dict[str, Declared] = {}


def declare(app_label: str, codename: str, label, roles: Iterable[str] = ()) -> str:
    """Declare a permission on organizations and the role kinds that hold it; returns the codename."""
    existing = _declared.get(codename)
    if existing is not None and existing.app_label != app_label:
        raise ValueError(f"{codename} is declared by {existing.app_label} already")
    _declared[codename] = Declared(app_label, codename, str(label), frozenset(roles))
    return codename


def declared() -> dict[str, Declared]:
    return dict(_declared)


def codenames_for(kind: str) -> set[str]:
    """Every permission a role of ``kind`` holds on its organization and below."""
    return {d.codename for d in _declared.values() if kind in d.roles}


def ensure_permission_rows(using: str = "default") -> dict[str, int]:
    """The ``Permission`` rows of every declared codename, on the Organization content type."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.db_manager(using).get_for_model(Organization)
    existing = dict(Permission.objects.using(using).filter(content_type=ct)
                    .values_list("codename", "pk"))
    for d in _declared.values():
        if d.codename not in existing:
            existing[d.codename] = Permission.objects.using(using).create(
                content_type=ct, codename=d.codename, name=d.label[:255]).pk
    return existing


def sync_role(role: AccessRole, using: str = "default", perm_ids: dict[str, int] | None = None) -> None:
    """Make the role group's permissions on its organization exactly the declared set."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission

    perm_ids = perm_ids or ensure_permission_rows(using)
    ct = ContentType.objects.db_manager(using).get_for_model(Organization)
    wanted = {perm_ids[c] for c in codenames_for(role.kind)}
    rows = GroupObjectPermission.objects.using(using).filter(
        group_id=role.group_id, content_type=ct, object_pk=str(role.organization_id))
    have = set(rows.values_list("permission_id", flat=True))
    rows.exclude(permission_id__in=wanted).delete()
    GroupObjectPermission.objects.using(using).bulk_create([
        GroupObjectPermission(group_id=role.group_id, content_type=ct, object_pk=str(role.organization_id),
                              permission_id=pid) for pid in wanted - have])


def sync_role_permissions(using: str = "default", **_kwargs) -> None:
    """post_migrate: every declared permission exists and every role group holds exactly its set."""
    with transaction.atomic(using=using):
        perm_ids = ensure_permission_rows(using)
        for role in AccessRole.objects.using(using).all():
            sync_role(role, using, perm_ids)
