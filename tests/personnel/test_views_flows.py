"""Helpers of the personnel page tests: a nomination carried to a given point through the services."""

from __future__ import annotations

import datetime as dt

from common.actors import SYSTEM
from governance import services as gov
from governance.models import Field, Mode, WorkingRegulation
from organizations.models import BodyKind
from personnel import services
from personnel.models import Nomination

from .conftest import Committee, counts

D = dt.date


def through_step_2(c: Committee, **kw) -> Nomination:
    """Introduced on 02/03/2026, the wider conference (7 of 9 for the nominee, secret) on 09/03."""
    n = c.introduced(**kw)
    services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive, title="Hội nghị mở rộng"),
                         counts=counts(9, {c.nominee.pk: 7}), actor=c.clerk)
    n.refresh_from_db()
    return n


def selected(c: Committee) -> Nomination:
    n = through_step_2(c)
    for day, body, votes in ((16, c.standing, 6), (20, c.executive, 8), (23, c.standing, 5)):
        services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, day), body),
                             counts=counts(9, {c.nominee.pk: votes}), actor=c.clerk)
    n.refresh_from_db()
    return n


def personnel_decision(c: Committee, day: dt.date | None = None):
    """A valid decision of the committee's executive on a personnel matter of its working regulation."""
    regulation = WorkingRegulation.objects.create(organization=c.org, version=1, title="Quy chế làm việc")
    matter = gov.matter_add(regulation=regulation, actor=SYSTEM, code="NS-01", title="Công tác cán bộ",
                            field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                            ballot="secret")
    gov.regulation_adopt(regulation=regulation, start=D(2021, 1, 1), actor=SYSTEM)
    meeting = c.meeting(day or D(2026, 3, 25), c.executive, title="Hội nghị Ban Chấp hành")
    return gov.decision_record_collective(meeting=meeting, matter=matter, title="Quyết định bổ nhiệm Phó Bí thư",
                                          votes_for=9, ballot="secret", actor=SYSTEM)
