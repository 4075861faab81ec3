"""Two connections append to the responsibility ledger at once: they queue on the head's lock, never fork it.

PostgreSQL only (row locks and two connections). Thread 1 appends through ``ledger_append`` inside a
transaction it keeps open; thread 2 appends meanwhile and must wait for the chain head's lock, then link its
entry to thread 1's. Then several threads append many entries each, all at once, and the chain holds.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from common.actors import SYSTEM
from personnel.checkpoints import checkpoint_sign, verify_ledger
from personnel.ledger import ledger_append
from personnel.models import EntryKind, Nomination, ResponsibilityEntry

from ..races import lock_waiters as _lock_waiters
from . import test_ledger

signing_key = test_ledger.signing_key  # the fixture: a key of the test's own

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL and two connections"),
]


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db):
    """Put back the posts of the data migration, which a transactional flush removes."""
    import importlib

    from django.apps import apps

    from organizations.models import Position

    if not Position.objects.exists():
        importlib.import_module("organizations.migrations.0002_database_rules_and_positions").add_positions(apps, None)


def _first_entry(committee) -> Nomination:
    """A draft and one ledger entry of it: the seed data a transactional flush removes (the pilot's text) is not
    needed for appending."""
    nomination = committee.draft()
    ledger_append(nomination=nomination, kind=EntryKind.INTRODUCED, on=dt.date(2026, 3, 2))
    return nomination


def _append(nomination_pk: int, step: int):
    nomination = Nomination.objects.get(pk=nomination_pk)
    return ledger_append(nomination=nomination, kind=EntryKind.STEP, on=dt.date(2026, 3, 9), data={"step": step})


def test_a_second_append_waits_for_the_first_and_links_to_it(committee, signing_key):
    nomination = _first_entry(committee)
    holding, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def one():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '10s'")
            with transaction.atomic():
                outcome["first"] = _append(nomination.pk, 2)
                holding.set()
                assert release.wait(10)
        except Exception as exc:  # reported to the main thread
            outcome["first"] = exc
        finally:
            holding.set()
            connection.close()

    def two():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '10s'")
            outcome["second"] = _append(nomination.pk, 3)
        except Exception as exc:  # reported to the main thread
            outcome["second"] = exc
        finally:
            connection.close()

    t1 = threading.Thread(target=one)
    t1.start()
    assert holding.wait(10)
    t2 = threading.Thread(target=two)
    t2.start()
    blocked, deadline = False, time.monotonic() + 5
    while time.monotonic() < deadline and not blocked:
        blocked = _lock_waiters() > 0
        time.sleep(0.05)
    release.set()
    t1.join(15)
    t2.join(15)
    assert blocked, "the second append did not wait for the chain head's lock"
    first, second = outcome["first"], outcome["second"]
    assert isinstance(first, ResponsibilityEntry) and isinstance(second, ResponsibilityEntry), outcome
    assert (first.seq, second.seq) == (2, 3)
    assert second.prev_hash == first.hash
    checkpoint_sign(actor=SYSTEM)
    assert verify_ledger().holds


def test_many_appends_at_once_make_one_chain(committee, signing_key):
    nomination = _first_entry(committee)
    threads, per_thread = 3, 15
    start = threading.Barrier(threads)
    errors: list[Exception] = []

    def run(t: int) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '10s'")
            start.wait(10)
            for i in range(per_thread):
                _append(nomination.pk, 100 * t + i)
        except Exception as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert not errors, errors
    total = 1 + threads * per_thread
    assert list(ResponsibilityEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    report = verify_ledger()
    assert report.holds, report.problems
    assert report.entries == total
