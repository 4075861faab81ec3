"""The responsibility ledger: appending entries, and following an appointee's later events.

Every entry is appended through ``ledger_append`` inside the transaction of the act it records, under the lock
of the chain's head (``audit.appendonly.HashChained.append``): two appends at once queue, they never fork the
chain. An appointee's later events (a discipline, a Not completed rating, a low confidence result, a dismissal)
arrive through the organizations' person events (``follow_person_event``, registered in ``PersonnelConfig``)
and are linked to every nomination that put the person in a post, and so to its nominator, for good.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from organizations.events import PersonEvent

from .models import EntryKind, Nomination, NominationState, ResponsibilityEntry

# Person events (organizations.events) and the ledger entry each becomes.
EVENT_KINDS = {"discipline": EntryKind.DISCIPLINE, "not_completed": EntryKind.NOT_COMPLETED,
               "low_confidence": EntryKind.LOW_CONFIDENCE, "dismissal": EntryKind.DISMISSAL}


def _now() -> dt.datetime:
    # Whole microseconds in UTC read back the same from either database, so the hash recomputes.
    return timezone.now().astimezone(dt.UTC)


def ledger_append(*, nomination: Nomination, kind: str, on: dt.date, data: dict[str, Any] | None = None
                  ) -> ResponsibilityEntry:
    """One entry for ``nomination``; call it inside the act's transaction (the caller has authorized the act)."""
    return ResponsibilityEntry.append(
        kind=kind, nomination_id=nomination.pk, organization_id=nomination.organization_id,
        nominator_id=nomination.nominator_id, nominee_id=nomination.nominee_id, occurred_on=on,
        recorded_at=_now(), data=data or {})


def appointing_nominations(person_id: int, on: dt.date):
    """The nominations that put ``person_id`` in a post by ``on``: the ones their later events attach to."""
    return (Nomination.objects.filter(nominee_id=person_id, state=NominationState.APPOINTED, dismissal=False,
                                      decision__date__lte=on)
            .order_by("pk"))


def follow_person_event(event: PersonEvent) -> None:
    """An appointee's later event, appended to the ledger of every nomination that appointed them."""
    kind = EVENT_KINDS.get(event.kind)
    if kind is None:
        return
    for nomination in appointing_nominations(event.person_id, event.on):
        ledger_append(nomination=nomination, kind=kind, on=event.on, data={"event": event.kind, **event.data})
