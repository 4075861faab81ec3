"""Two PostgreSQL connections at once: one person for one post holds when two clerks draft together, and a
nomination is introduced once.

Thread 1 runs a service inside a transaction and keeps it open; thread 2 (its own connection) calls a service on
the same post meanwhile. The second must wait for the first one's lock, then read the committed state and be
refused, writing nothing. A second test starts both at the same instant: exactly one of them succeeds.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import time

import pytest
from django.apps import apps
from django.db import connection, transaction

from common.actors import SYSTEM
from common.reasons import Refused
from personnel import services
from personnel.models import Nomination, NominationState, ResponsibilityEntry

from ..factories import position

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


def _bounded_waits() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def _race(first, second) -> dict:
    """``first`` in thread 1 holding its transaction open, ``second`` in thread 2 meanwhile."""
    holding, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def one():
        try:
            _bounded_waits()
            with transaction.atomic():
                outcome["first"] = first()
                holding.set()
                assert release.wait(10)
        except Exception as exc:  # reported to the main thread
            outcome["first"] = exc
        finally:
            holding.set()
            connection.close()

    def two():
        try:
            _bounded_waits()
            outcome["second"] = second()
        except Exception as exc:  # reported to the main thread
            outcome["second"] = exc
        finally:
            connection.close()

    t1 = threading.Thread(target=one)
    t1.start()
    assert holding.wait(10)
    assert not isinstance(outcome.get("first"), Exception), outcome.get("first")
    t2 = threading.Thread(target=two)
    t2.start()
    deadline, blocked = time.monotonic() + 5, False
    while time.monotonic() < deadline and t2.is_alive():
        if _lock_waiters():
            blocked = True
            break
        time.sleep(0.05)
    time.sleep(0.3)
    outcome["second_blocked"] = blocked and t2.is_alive()
    release.set()
    t1.join(10)
    t2.join(10)
    assert not t1.is_alive() and not t2.is_alive()
    return outcome


def _together(*calls) -> list:
    """Start every call at the same instant, each on its own connection; their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            _bounded_waits()
            barrier.wait(5)
            results[i] = call()
        except Exception as exc:  # reported to the main thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert not any(t.is_alive() for t in threads)
    return results


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
