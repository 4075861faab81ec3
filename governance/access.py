"""How the governance pages get their objects: through ``organizations.access.get_owned_for``.

Each helper names the relations its model's ``owning_organization`` follows,
so a lookup is the object plus one permission query; 404 for what the user
may not see, 403 for what they may see but not change.
"""

from __future__ import annotations

from django.http import HttpRequest

from organizations.access import get_owned_for

from .models import Decision, Matter, Meeting, WorkingRegulation


def get_regulation_for(request: HttpRequest, pk, perm: str | None = None) -> WorkingRegulation:
    return get_owned_for(request, WorkingRegulation.objects.select_related("organization", "previous"), pk, perm)


def get_meeting_for(request: HttpRequest, pk, perm: str | None = None) -> Meeting:
    return get_owned_for(request, Meeting.objects.select_related("body__organization", "approved_by"), pk, perm)


def get_decision_for(request: HttpRequest, pk, perm: str | None = None) -> Decision:
    return get_owned_for(request, Decision.objects.select_related(
        "organization", "matter", "meeting", "signatory", "regulation", "corrects", "signatory_tenure__position"),
        pk, perm)


def get_matter_for(request: HttpRequest, pk, perm: str | None = None) -> Matter:
    return get_owned_for(request, Matter.objects.select_related("regulation__organization"), pk, perm)
