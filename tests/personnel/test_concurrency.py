"""Two PostgreSQL connections at once: one person for one post holds when two clerks draft together, and a
nomination is introduced once.

Thread 1 runs a service inside a transaction and keeps it open; thread 2 (its own connection) calls a service on
the same post meanwhile. The second must wait for the first one's lock, then read the committed state and be
refused, writing nothing. A second test starts both at the same instant: exactly one of them succeeds.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection

from common.actors import SYSTEM
from common.reasons import Refused
from personnel import services
from personnel.models import Nomination, NominationState, ResponsibilityEntry

from ..factories import position
from ..races import race as _race
from ..races import together as _together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL and two connections"),
]
D = dt.date


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back what the data migrations hold (the posts, the regulations catalog): a transactional flush empties
    them."""
    from organizations.models import Position
    from regulations.models import Document

    if not Position.objects.exists():
        importlib.import_module("organizations.migrations.0002_database_rules_and_positions").add_positions(apps, None)
    if not Document.objects.exists():
        from common.text import fold
        from regulations import catalog
        from regulations.models import DocumentVersion, Provision
        from regulations.parser import parse

        catalog.load(Document, DocumentVersion, Provision, fold, parse)


def _draft(c, nominee):
    return lambda: c.draft(nominee=nominee, planning_exception_ref="20-QĐ/TU", actor=c.clerk, nominator=c.head)


def test_a_second_draft_for_the_post_waits_and_is_refused(committee):
    c = committee
    outcome = _race(_draft(c, c.nominee), _draft(c, c.members[4]))
    assert outcome["second_blocked"], "the second draft did not wait for the first one's lock"
    assert isinstance(outcome["first"], Nomination)
    second = outcome["second"]
    assert isinstance(second, Refused) and second.codes == ["nomination_post_open"], second
    assert list(Nomination.objects.filter(target=c.org).values_list("nominee_id", flat=True)) == [c.nominee.pk]


def test_of_two_simultaneous_drafts_exactly_one_succeeds(committee):
    c = committee
    for attempt in range(3):  # a few rounds: whichever wins, the other is refused
        results = _together(_draft(c, c.members[4]), _draft(c, c.members[5]))
        made = [r for r in results if isinstance(r, Nomination)]
        refusals = [r for r in results if isinstance(r, Refused)]
        assert len(made) == 1 and len(refusals) == 1, results
        assert refusals[0].codes[0] in ("nomination_post_taken", "nomination_post_open")
        assert Nomination.objects.open().filter(target=c.org, position=position("deputy-secretary")).count() == 1
        services.nomination_withdraw(nomination=made[0], reason=f"Vòng {attempt}", on=D(2026, 3, 1), actor=SYSTEM)


def test_a_nomination_is_introduced_once(committee):
    c = committee
    draft = c.draft()

    def introduce():
        return services.nomination_introduce(nomination=draft, on=D(2026, 3, 2), actor=c.head_user)

    outcome = _race(introduce, introduce)
    assert outcome["second_blocked"]
    assert isinstance(outcome["second"], Refused) and outcome["second"].codes == ["nomination_not_draft"]
    draft.refresh_from_db()
    assert draft.state == NominationState.INTRODUCED
    assert list(ResponsibilityEntry.objects.filter(nomination=draft).values_list("kind", flat=True)) == ["introduced"]
    assert draft.steps.count() == 1


def test_the_same_minutes_sent_twice_at_once_are_recorded_once(committee):
    from .conftest import counts

    c = committee
    n = c.introduced()
    meeting = c.meeting(D(2026, 3, 9))

    def record():
        return services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)

    outcome = _race(record, record)
    assert outcome["second_blocked"]
    assert isinstance(outcome["second"], Refused) and outcome["second"].codes == ["step_meeting_used"]
    assert list(n.steps.values_list("number", flat=True)) == [1, 2]
    assert ResponsibilityEntry.objects.filter(nomination=n, kind="step").count() == 1
