"""The one place that decides who may see or change what.

django-guardian stores grants of permissions on an ``Organization`` to the
group of an ``AccessRole``. guardian knows no hierarchy, so this module
extends every grant to the organization's subtree: an object belongs to an
organization, and a grant on any ancestor (a path prefix) covers it. Each
check is one query whatever the depth; list views get one prefix filter.

Views fetch objects through ``get_<thing>_for``: 404 for what the user may
not see, 403 for what they may see but not change.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest
from guardian.models import GroupObjectPermission, UserObjectPermission

from .models import AccessRole, Membership, Organization, Person, RoleKind

VIEW = "view_organization"
MANAGE_MEMBERS = "manage_members"
VIEW_DISCIPLINE = "view_discipline"
VIEW_DASHBOARD = "view_dashboard"
RECORD_DECISIONS = "record_decisions"

# What each role may do on its organization and everything below it.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    RoleKind.PROVINCE_BOARD: (VIEW, VIEW_DISCIPLINE, VIEW_DASHBOARD),
    RoleKind.COMMITTEE_STAFF: (VIEW, MANAGE_MEMBERS, RECORD_DECISIONS),
    RoleKind.HEAD: (VIEW, VIEW_DISCIPLINE, VIEW_DASHBOARD),
    RoleKind.INSPECTION: (VIEW, VIEW_DISCIPLINE, VIEW_DASHBOARD),
    RoleKind.MEMBER: (),  # a member sees their own record only
}


def _codename(perm: str) -> str:
    return perm.rsplit(".", 1)[-1]


def _granted(user, perm: str) -> Q:
    """Organizations on which ``user`` holds ``perm`` directly (user or group grant)."""
    ct = ContentType.objects.get_for_model(Organization)  # cached after the first call
    pk_text = Cast(OuterRef("pk"), CharField())
    by_group = GroupObjectPermission.objects.filter(
        content_type=ct, permission__codename=_codename(perm),
        group__user=user, object_pk=pk_text,
    )
    by_user = UserObjectPermission.objects.filter(
        content_type=ct, permission__codename=_codename(perm),
        user=user, object_pk=pk_text,
    )
    return Q(Exists(by_group)) | Q(Exists(by_user))


def can(user, perm: str, org: Organization) -> bool:
    """Whether ``user`` holds ``perm`` on ``org`` through a grant on it or an ancestor."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return Organization.objects.filter(path__in=org.ancestor_paths()).filter(
        _granted(user, perm)).exists()


def perms_on(user, org: Organization) -> set[str]:
    """Every permission ``user`` holds on ``org`` through it or an ancestor: one query."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_superuser:
        return {VIEW, MANAGE_MEMBERS, VIEW_DISCIPLINE, VIEW_DASHBOARD, RECORD_DECISIONS}
    ct = ContentType.objects.get_for_model(Organization)
    pks = Organization.objects.filter(path__in=org.ancestor_paths()).annotate(
        pk_text=Cast("pk", CharField())).values("pk_text")
    by_group = GroupObjectPermission.objects.filter(
        content_type=ct, group__user=user, object_pk__in=pks).values_list("permission__codename")
    by_user = UserObjectPermission.objects.filter(
        content_type=ct, user=user, object_pk__in=pks).values_list("permission__codename")
    return {codename for (codename,) in by_group.union(by_user)}


def granted_paths(user, perm: str) -> list[str] | None:
    """Paths of the subtrees where ``user`` holds ``perm``; ``None`` means everywhere."""
    if not (user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        return None
    paths = sorted(Organization.objects.filter(_granted(user, perm))
                   .values_list("path", flat=True))
    covering: list[str] = []
    for path in paths:  # sorted: an ancestor comes before its descendants
        if not covering or not path.startswith(covering[-1]):
            covering.append(path)
    return covering


def subtree_q(paths: list[str] | None, field: str = "path") -> Q:
    """A filter for rows inside the given subtrees (``None``: no restriction)."""
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


def orgs_for(user, perm: str = VIEW) -> QuerySet[Organization]:
    """Every organization where ``user`` holds ``perm``: for list views."""
    return Organization.objects.filter(subtree_q(granted_paths(user, perm)))


def people_for(user, perm: str = VIEW) -> QuerySet[Person]:
    """People the user may see: members (now or before) of a visible cell, and themselves."""
    paths = granted_paths(user, perm)
    if paths is None:
        return Person.objects.all()
    visible = Membership.objects.filter(person=OuterRef("pk")).filter(
        subtree_q(paths, "organization__path"))
    own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    return Person.objects.filter(Q(Exists(visible)) | own)


def roles_of(user) -> QuerySet[AccessRole]:
    return AccessRole.objects.filter(group__user=user).select_related("organization")


def access_holders(org: Organization) -> QuerySet[AccessRole]:
    """The roles whose grants cover ``org`` (on it or an ancestor), with their users."""
    return (AccessRole.objects.filter(organization__path__in=org.ancestor_paths())
            .select_related("organization", "group").prefetch_related("group__user_set")
            .order_by("organization__path", "kind"))


# --- helpers for views ------------------------------------------------------


def get_organization_for(request: HttpRequest, pk: int, perm: str | None = None) -> Organization:
    """The organization, with ``org.perms`` (the user's permissions on it) for the view."""
    org = Organization.objects.filter(pk=pk).first()
    if org is None:
        raise Http404
    org.perms = perms_on(request.user, org)
    if VIEW not in org.perms:
        raise Http404
    if perm and perm not in org.perms:
        raise PermissionDenied
    return org


def get_person_for(request: HttpRequest, pk: int) -> Person:
    person = people_for(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person
