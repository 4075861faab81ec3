"""The one place that decides who may see or change what.

django-guardian stores grants of permissions on an ``Organization`` to the
group of an ``AccessRole``. guardian knows no hierarchy, so this module
extends every grant to the organization's subtree: an object belongs to an
organization, and a grant on any ancestor (a path prefix) covers it. Each
check is one query whatever the depth; list views get one prefix filter.

Views fetch objects through ``get_<thing>_for``: 404 for what the user may
not see, 403 for what they may see but not change. Every record that belongs
to an organization declares it (``owning_organization``, and the lookup path
``organization_lookup`` for querysets); ``get_owned_for`` serves them all, so
another app's helper is one line.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, BooleanField, CharField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest
from guardian.models import GroupObjectPermission, UserObjectPermission

from common.actors import is_system
from common.ids import parse_pk
from common.reasons import Refused

from .models import AccessRole, Membership, Organization, Person
from .permissions import declared

VIEW = "view_organization"
MANAGE_MEMBERS = "manage_members"
MANAGE_ACCESS = "manage_access"
VIEW_DISCIPLINE = "view_discipline"
MANAGE_DISCIPLINE = "manage_discipline"
VIEW_DASHBOARD = "view_dashboard"


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


def authorize(actor, perm: str, org: Organization) -> None:
    """Inside a service's transaction: refuse the act unless ``actor`` holds ``perm`` on ``org`` (or above).

    The check that counts: a view's check only chooses the page. ``SYSTEM`` (the seed, a beat chore) may
    do anything; an anonymous or inactive actor, or ``None``, may do nothing."""
    if is_system(actor):
        return
    if actor is None or not can(actor, perm, org):
        raise Refused.because("not_permitted", perm=_codename(perm), org=org.name)


def perms_on(user, org: Organization) -> set[str]:
    """Every permission ``user`` holds on ``org`` through it or an ancestor: one query."""
    return _perms_on_paths(user, org.ancestor_paths())


def perms_above(user, org: Organization) -> set[str]:
    """Every permission ``user`` holds on the superior of ``org`` (the root's: on the root itself), where acts
    on ``org`` itself (rename, move, dissolve, discipline) are authorized: one query, the parent not fetched."""
    paths = org.ancestor_paths()
    return _perms_on_paths(user, paths[:-1] if org.depth > 1 else paths)


def _perms_on_paths(user, paths: list[str]) -> set[str]:
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_superuser:
        return set(declared())
    ct = ContentType.objects.get_for_model(Organization)
    pks = Organization.objects.filter(path__in=paths).annotate(
        pk_text=Cast("pk", CharField())).values("pk_text")
    by_group = GroupObjectPermission.objects.filter(
        content_type=ct, group__user=user, object_pk__in=pks).values_list("permission__codename")
    by_user = UserObjectPermission.objects.filter(
        content_type=ct, user=user, object_pk__in=pks).values_list("permission__codename")
    return {codename for (codename,) in by_group.union(by_user)}


def perms_anywhere(user) -> set[str]:
    """Every permission ``user`` holds on some organization: one query (for the navigation bar)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_superuser:
        return set(declared())
    ct = ContentType.objects.get_for_model(Organization)
    by_group = GroupObjectPermission.objects.filter(content_type=ct, group__user=user).values_list(
        "permission__codename")
    by_user = UserObjectPermission.objects.filter(content_type=ct, user=user).values_list("permission__codename")
    return {codename for (codename,) in by_group.union(by_user)}


def granted_paths(user, perm: str) -> list[str] | None:
    """Paths of the subtrees where ``user`` holds ``perm``; ``None`` means everywhere."""
    if not (user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        return None
    # From the user's few grants to their organizations by primary key (guardian keeps it as text).
    ct = ContentType.objects.get_for_model(Organization)
    codename = _codename(perm)
    as_id = Cast("object_pk", BigIntegerField())
    by_group = GroupObjectPermission.objects.filter(
        content_type=ct, permission__codename=codename, group__user=user).values(pk=as_id)
    by_user = UserObjectPermission.objects.filter(
        content_type=ct, permission__codename=codename, user=user).values(pk=as_id)
    paths = sorted(Organization.objects.filter(Q(pk__in=by_group) | Q(pk__in=by_user))
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


def top_organizations_for(user, perm: str = VIEW) -> QuerySet[Organization]:
    """The highest organizations ``user`` holds ``perm`` on: the tops of the subtrees they may see."""
    paths = granted_paths(user, perm)
    tops = Organization.objects.filter(depth=1) if paths is None else Organization.objects.filter(path__in=paths)
    return tops.order_by("path")


def ancestors_for(user, org: Organization) -> list[Organization]:
    """The chain from the root down to the parent of ``org``, each with ``may_see`` (whether ``user`` may open
    its page): for a breadcrumb, which links only those. One query whatever the depth: each link of the chain
    says whether the user holds a grant on it, and a grant covers the links below it."""
    chain = Organization.objects.filter(path__in=org.ancestor_paths()[:-1])
    everything = user.is_active and user.is_superuser
    if user.is_authenticated and user.is_active and not everything:
        chain = chain.annotate(granted=ExpressionWrapper(_granted(user, VIEW), output_field=BooleanField()))
    seen = everything
    out = list(chain.order_by("depth"))
    for a in out:
        seen = seen or bool(getattr(a, "granted", False))
        a.may_see = seen
    return out


def people_for(user, perm: str = VIEW) -> QuerySet[Person]:
    """People the user may see: members (now or before) of a visible cell, and themselves.

    Who sees every tree from its root (a province's board, in a one-province
    database) sees everyone, without the per-person membership test.
    """
    paths = granted_paths(user, perm)
    if paths is None or (paths and any(len(p) == Organization.steplen for p in paths) and set(paths) >= set(
            Organization.objects.filter(depth=1).values_list("path", flat=True))):
        return Person.objects.all()
    visible = Membership.objects.filter(person=OuterRef("pk")).filter(
        subtree_q(paths, "organization__path"))
    own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    return Person.objects.filter(Q(Exists(visible)) | own)


def roles_of(user) -> QuerySet[AccessRole]:
    return AccessRole.objects.filter(group__user=user).select_related("organization")


def users_for(user, perm: str = MANAGE_ACCESS) -> QuerySet:
    """Active accounts ``user`` may give a role to: the accounts of people they may see
    where they hold ``perm``, and the accounts already holding a role there. A username
    typed on the access page is looked up here only: "no such account" and "not yours"
    read alike."""
    User = get_user_model()
    paths = granted_paths(user, perm)
    active = User.objects.filter(is_active=True)
    if paths is None:
        return active
    people = people_for(user, perm).filter(user__isnull=False).values("user_id")
    holders = AccessRole.objects.filter(subtree_q(paths, "organization__path")).values("group__user")
    return active.filter(Q(pk__in=people) | Q(pk__in=holders))


def access_holders(org: Organization) -> QuerySet[AccessRole]:
    """The roles whose grants cover ``org`` (on it or an ancestor), with their users."""
    return (AccessRole.objects.filter(organization__path__in=org.ancestor_paths())
            .select_related("organization", "group").prefetch_related("group__user_set")
            .order_by("organization__path", "kind"))


# --- helpers for views ------------------------------------------------------


def _checked(request: HttpRequest, org: Organization, perm: str | None) -> Organization:
    """``org`` with ``org.perms`` set; 404 if the user may not see it, 403 if they lack ``perm``."""
    org.perms = perms_on(request.user, org)
    if VIEW not in org.perms:
        raise Http404
    if perm and perm not in org.perms:
        raise PermissionDenied
    return org


def get_organization_for(request: HttpRequest, pk, perm: str | None = None) -> Organization:
    """The organization, with ``org.perms`` (the user's permissions on it) for the view."""
    key = parse_pk(pk)
    org = Organization.objects.filter(pk=key).first() if key is not None else None
    if org is None:
        raise Http404
    return _checked(request, org, perm)


def get_owned_for(request: HttpRequest, queryset: QuerySet, pk, perm: str | None = None):
    """An object of ``queryset`` through the organization it declares (``owning_organization``).

    404 when it does not exist or the user may not see its organization, 403
    when they may see it but lack ``perm``. The object comes back with ``.org``
    (its organization, with ``.perms``). The queryset should select the
    relations ``owning_organization`` follows, so this costs two queries.
    """
    key = parse_pk(pk)
    obj = queryset.filter(pk=key).first() if key is not None else None
    if obj is None:
        raise Http404
    obj.org = _checked(request, obj.owning_organization, perm)
    return obj


def get_import_for(request: HttpRequest, pk, perm: str | None = MANAGE_MEMBERS):
    from .models import MemberImport

    return get_owned_for(request, MemberImport.objects.select_related("organization"), pk, perm)


def get_tenure_for(request: HttpRequest, pk, perm: str | None = MANAGE_MEMBERS):
    from .models import Tenure

    return get_owned_for(request, Tenure.objects.select_related("organization", "person", "position"),
                         pk, perm)


def get_person_for(request: HttpRequest, pk) -> Person:
    key = parse_pk(pk)
    person = people_for(request.user).filter(pk=key).first() if key is not None else None
    if person is None:
        raise Http404
    return person


def person_by_card_for(user, card_number: str) -> Person | None:
    """The person with this party card number among those ``user`` may see.

    ``None`` both when no such card exists and when its holder is outside the
    user's reach: a typed identifier never tells which.
    """
    card = (card_number or "").strip()
    if not card:
        return None
    return people_for(user).filter(card_number=card).first()
