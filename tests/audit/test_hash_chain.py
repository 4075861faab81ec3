"""A hash chain declared on an append-only model (``audit.appendonly.HashChained``), on a test-only model."""

import datetime as dt
import decimal
import threading
import time
from zoneinfo import ZoneInfo

import pgtrigger
import pytest
from django.db import connection, transaction

from audit import appendonly
from audit.appendonly import GENESIS, ChainHead, verify_chain
from tests.chain.models import Link

POSTGRESQL = connection.vendor == "postgresql"


def _tamper(sql: str, params: list) -> None:
    """Change a row behind the chain's back, as someone with the database's own rights could."""
    if POSTGRESQL:
        with pgtrigger.ignore("chain_tests.Link:append_only"), connection.cursor() as cursor:
            cursor.execute(sql, params)
    else:
        appendonly.uninstall_for_flush()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        appendonly.install()


@pytest.mark.django_db
def test_appends_link_each_entry_to_the_one_before():
    first = Link.append(text="một", amount=decimal.Decimal("1.5"), on=dt.date(2026, 1, 2),
                        at=dt.datetime(2026, 1, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    second = Link.append(text="hai")
    third = Link.append(text="ba")
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash and third.prev_hash == second.hash
    head = ChainHead.objects.get(name=Link.chain_name())
    assert (head.size, head.head_hash) == (3, third.hash)
    # Read back from the database (UTC, 1.50) the entries hash as they did when written.
    assert verify_chain(Link) is None


@pytest.mark.django_db
def test_an_empty_chain_holds():
    assert verify_chain(Link) is None


@pytest.mark.django_db
def test_verify_names_the_first_altered_entry():
    for text in ("một", "hai", "ba"):
        Link.append(text=text)
    _tamper("UPDATE chain_tests_link SET text = 'sửa' WHERE seq = 2", [])
    broken = verify_chain(Link, chunk_size=1)
    assert (broken.seq, broken.reason, broken.entry.text) == (2, "hash", "sửa")


@pytest.mark.django_db
def test_verify_names_a_missing_entry_and_a_cut_tail():
    for text in ("một", "hai", "ba"):
        Link.append(text=text)
    _tamper("DELETE FROM chain_tests_link WHERE seq = 3", [])
    assert verify_chain(Link) == appendonly.ChainBreak(3, "head")
    _tamper("DELETE FROM chain_tests_link WHERE seq = 1", [])
    broken = verify_chain(Link)
    assert (broken.seq, broken.reason) == (1, "seq")


@pytest.mark.django_db
def test_verify_reads_the_chain_as_a_stream(django_assert_max_num_queries):
    for i in range(5):
        Link.append(text=str(i))
    # .iterator(): the rows come through a cursor, never a list of the whole chain (one query plus the head).
    with django_assert_max_num_queries(2):
        assert verify_chain(Link, chunk_size=2) is None


@pytest.mark.django_db
def test_a_chain_must_be_declared_append_only(monkeypatch):
    monkeypatch.delattr(Link, appendonly.MARKER)
    with pytest.raises(TypeError):
        Link.append(text="một")
    assert not Link.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not POSTGRESQL, reason="row locks need PostgreSQL and two connections")
def test_two_concurrent_appends_never_fork_the_chain(transactional_db):
    """Thread 1 appends and holds its transaction open; thread 2's append waits for the head's lock."""
    Link.append(text="gốc")
    holding, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def one():
        try:
            with transaction.atomic():
                outcome["first"] = Link.append(text="một")
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
            outcome["second"] = Link.append(text="hai")
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
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND wait_event_type = 'Lock'")
            blocked = cursor.fetchone()[0] > 0
        time.sleep(0.05)
    release.set()
    t1.join(15)
    t2.join(15)
    assert blocked, "the second append did not wait for the chain head's lock"
    first, second = outcome["first"], outcome["second"]
    assert isinstance(first, Link) and isinstance(second, Link), outcome
    assert (first.seq, second.seq) == (2, 3)
    assert second.prev_hash == first.hash
    assert verify_chain(Link) is None
