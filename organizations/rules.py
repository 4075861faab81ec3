"""The dates of a member's record: pure rules over plain values (no database), each citing its provision.

A rule returns the reasons it finds (``Reason(code, params)``, dates as ISO strings); the sentences are in
``organizations.reasons``. The services refuse with them and the identity form shows them on its fields.
The member import (``organizations.imports._parse_row``) still checks the same dates with its own codes.
"""

from __future__ import annotations

import datetime as dt

from common.reasons import Reason

from .models import CELL_KINDS, OrgKind

MIN_AGE = 18

# The dates of a record, and the field each reason is about (for a form).
DATE_FIELDS = ("birth_date", "join_date", "official_date", "start")
FIELD_OF = {"person_official_before_join": "official_date", "person_join_before_birth": "join_date",
            "person_under_18": "join_date", "person_start_before_join": "start"}


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def member_date_reasons(*, today: dt.date, birth_date: dt.date | None = None, join_date: dt.date | None = None,
                        official_date: dt.date | None = None, start: dt.date | None = None) -> list[Reason]:
    """Every reason the dates of a member's record cannot all be true; empty when they can.

    ``start`` is the first day of activity in a cell ("sinh hoạt"); a missing date is checked against nothing.
    """
    reasons: list[Reason] = []
    dates = {"birth_date": birth_date, "join_date": join_date, "official_date": official_date, "start": start}
    for field, day in dates.items():
        # A record states what has happened (as the member import does): none of its days lies ahead.
        if day is not None and day > today:
            reasons.append(Reason("person_future_date", {"field": field, "d": day.isoformat()}))
    if join_date and official_date and official_date < join_date:
        # Charter Art. 5: a member becomes official at the end of the probation that begins on admission.
        reasons.append(Reason("person_official_before_join", {}))
    if birth_date and join_date and join_date <= birth_date:
        # Charter Art. 1: admission is of a citizen, whose age is counted from birth.
        reasons.append(Reason("person_join_before_birth", {}))
    elif birth_date and join_date and age_on(birth_date, join_date) < MIN_AGE:
        # Charter Art. 1: a party member is a citizen of eighteen or more on the day of admission.
        reasons.append(Reason("person_under_18", {"join": join_date.isoformat(),
                                                  "age": age_on(birth_date, join_date)}))
    if start and join_date and start < join_date:
        # Charter Art. 1: only a member, admitted, is registered in a cell (sinh hoạt).
        reasons.append(Reason("person_start_before_join", {}))
    return reasons


# The act each code refuses when dated ahead of today, and the field of its form that carries the date.
FUTURE_CODES = {"kinship_declared_in_future": "declared_on", "discipline_annul_in_future": "annulled_on",
                "org_dissolve_in_future": "on", "discipline_decided_in_future": "decided_on"}


def future_reasons(code: str, day: dt.date | None, *, today: dt.date) -> list[Reason]:
    """``[Reason(code)]`` when ``day`` lies after ``today``: a record states what has happened (a declaration
    made, a decision taken), never what is planned."""
    if day is not None and day > today:
        return [Reason(code, {"d": day.isoformat()})]
    return []


# Kinds of organization that are never placed under a kind (whatever the depth: the tree assumes none). A committee
# above the grassroots level is never under a grassroots committee; a grassroots committee under another stays
# allowed: one given the powers of the level above the grassroots has grassroots committees of its own.
NEVER_UNDER = {OrgKind.SUBORDINATE: {OrgKind.GRASSROOTS_COMMITTEE},
               OrgKind.COMMUNE: {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.SUBORDINATE}}


def placement_code(kind: str, parent_kind: str) -> str | None:
    """Why an organization of ``kind`` can never stand under one of ``parent_kind`` (a refusal code), or None."""
    if parent_kind in CELL_KINDS:
        return "org_under_cell"  # a cell has members, no organizations
    if kind == OrgKind.PROVINCIAL or parent_kind in NEVER_UNDER.get(kind, ()):
        return "org_kind_wrong_place"
    return None


def parent_kinds(kind: str) -> list[str]:
    """The kinds an organization of ``kind`` may be placed under."""
    return [k for k in OrgKind.values if placement_code(kind, k) is None]
