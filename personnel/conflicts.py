"""Relatives in personnel work: who is related to the nominee among the nominator, the voters of a step and the
heads of the unit, from the kinships declared through the organizations services (either person declaring).

The relatives a personnel dossier declares (form 2C-BNV, item 30: RULES.md, medium) are what ``Kinship`` holds:
own father, mother, spouse, children, brothers and sisters, and the spouse's father, mother, brothers and
sisters (``Relation.IN_LAW``). A relation counts on a day when it was declared by then and not ended before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from common.reasons import Reason
from organizations.models import Kinship, PositionRole, Relation, Tenure
from regulations.citations import cite

from .models import Nomination

# Law on Anti-Corruption Art. 20(3): a head or a deputy does not place their spouse, parent, child or sibling in
# personnel, accounting, cashier or storekeeper posts of their own organization. Each of these relations is its
# own converse (a parent's child, a sibling's sibling), so it counts whoever declared it.
ART_20_3 = cite("36/2018/QH14", "20.3", by="personnel.conflicts.art_20_reasons")
CLOSE_FAMILY = (Relation.SPOUSE, Relation.PARENT, Relation.CHILD, Relation.SIBLING)
# Regulation 114 condemns family influence; no Party text on recusal was found (RULES.md, open): the default is
# to flag the relation, recuse the related voter and ask the nominator's written acknowledgment.


def relatives(person_id: int, others: Iterable[int], on: dt.date) -> dict[int, str]:
    """Those of ``others`` related to ``person_id`` on ``on`` (declared by either), with the relation as
    declared: one query."""
    others = set(others) - {person_id}
    if not others:
        return {}
    found: dict[int, str] = {}
    rows = Kinship.objects.active_on(on).filter(
        Q(person_id=person_id, relative_id__in=others) | Q(relative_id=person_id, person_id__in=others)
    ).values_list("person_id", "relative_id", "relation")
    for declarer, relative, relation in rows:
        other = relative if declarer == person_id else declarer
        if relation != Relation.OTHER:
            found.setdefault(other, relation)
    return found


def art_20_reasons(nomination: Nomination, on: dt.date) -> list[Reason]:
    """A post of Art. 20(3) for a close relative of a head or deputy of the unit where the post is: refused."""
    if not nomination.position.work:
        return []
    leaders = dict(Tenure.objects.active_on(on).filter(
        organization_id=nomination.target_id, position__role__in=[PositionRole.HEAD, PositionRole.DEPUTY])
        .values_list("person_id", "person__full_name"))
    related = {p: r for p, r in relatives(nomination.nominee_id, leaders, on).items() if r in CLOSE_FAMILY}
    cited = ART_20_3.on(on)
    return [Reason("conflict_art_20", {"p": str(nomination.nominee), "leader": leaders[p], "relation": r,
                                       "pos": str(nomination.position), "org": str(nomination.target)},
                   cited.code, cited.ref) for p, r in sorted(related.items())]
