"""How the review pages get their objects (see ``organizations.access``).

A period is seen by whoever may see its organization or any organization
inside it: a cell's secretary works in the province's period. Pages about one
organization in a period check the user's permission on that organization,
which must lie inside the period's subtree.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from common.ids import parse_pk
from organizations import access
from organizations.models import Organization

from .models import Assessment, Period


def get_period_for(request: HttpRequest, pk, perm: str | None = None) -> Period:
    key = parse_pk(str(pk))
    period = (Period.objects.visible_to(request.user).select_related("organization", "job").filter(pk=key).first()
              if key is not None else None)
    if period is None:
        raise Http404
    if perm:
        access.get_organization_for(request, period.organization_id, perm)
    return period


def get_period_org_for(request: HttpRequest, period_pk, org_pk, perm: str | None = None
                       ) -> tuple[Period, Organization]:
    """The period and one organization of its subtree that the user may see (and act on, with ``perm``)."""
    period = get_period_for(request, period_pk)
    org = access.get_organization_for(request, org_pk, perm)
    if not org.path.startswith(period.organization.path):
        raise Http404
    return period, org


def get_assessment_for(request: HttpRequest, pk) -> Assessment:
    """An assessment: for its subject (their own), or for whoever may see its organization or decides it."""
    key = parse_pk(str(pk))
    assessment = (Assessment.objects.select_related("period__organization", "organization", "person", "decider",
                                                    "role_organization", "peer_group", "meeting")
                  .filter(pk=key).first() if key is not None else None)
    if assessment is None:
        raise Http404
    own = assessment.person_id and assessment.person.user_id == request.user.pk
    for org in (assessment.organization, assessment.decider):
        org.perms = access.perms_on(request.user, org)
    if not own and access.VIEW not in assessment.organization.perms | assessment.decider.perms:
        raise Http404
    assessment.org = assessment.organization
    return assessment
