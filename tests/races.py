"""Two PostgreSQL connections at once, for the lock-then-check tests of every app.

``race``: thread 1 runs a service inside a transaction and keeps it open; thread 2 (its own connection) calls
another meanwhile; the main thread waits until PostgreSQL shows thread 2 waiting on a lock, then lets thread 1
commit. ``together``: every call starts at the same instant. Waits are bounded (``lock_timeout``), so a missing
lock fails a test instead of hanging it.
"""

from __future__ import annotations

import threading
import time

from django.db import connection, transaction


def bounded_waits() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def race(first, second) -> dict:
    """Run ``first`` in thread 1 holding its transaction open, ``second`` in thread 2 meanwhile.

    Returns {"first": result or exception, "second": result or exception,
    "second_blocked": whether thread 2 was seen waiting on a lock}.
    """
    holding, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def one():
        try:
            bounded_waits()
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
            bounded_waits()
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
    deadline = time.monotonic() + 5
    blocked = False
    while time.monotonic() < deadline and t2.is_alive():
        if lock_waiters():
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


def together(*calls) -> list:
    """Start every call at the same instant, each on its own connection; their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            bounded_waits()
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
