"""The responsibility ledger holds against someone who can write its tables: ``verify_ledger`` and the triggers.

Rows are changed and removed behind the database's triggers (PostgreSQL: ``session_replication_role =
replica``, as a superuser can; SQLite: the triggers dropped, then put back), checkpoints are forged, and the
verification must name the first broken place. The database itself refuses UPDATE, DELETE and TRUNCATE.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import weakref
from contextlib import contextmanager

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import appendonly
from audit.appendonly import ChainHead
from common.actors import SYSTEM
from personnel import checkpoints
from personnel.checkpoints import checkpoint_sign, key_generate, key_id_of, statement, verify_ledger
from personnel.ledger import ledger_append
from personnel.models import EntryKind, LedgerCheckpoint, LedgerCountersignature, ResponsibilityEntry

POSTGRESQL = connection.vendor == "postgresql"
LEDGER_MODELS = (ResponsibilityEntry, LedgerCheckpoint, LedgerCountersignature)
ENTRIES = ResponsibilityEntry._meta.db_table
STATEMENTS = ["UPDATE {table} SET {column} = 'x' WHERE id = %s", "DELETE FROM {table} WHERE id = %s"]


@pytest.fixture
def signing_key(tmp_path, settings):
    """A key of the test's own in a temporary folder, where the settings point."""
    path = tmp_path / "ledger-signing.pem"
    settings.LEDGER_SIGNING_KEY_FILE = str(path)
    key_generate(path)
    return path


def entries(committee, n: int):
    """A nomination introduced (its ledger entry) and ``n - 1`` more entries of it: ``n`` in the chain."""
    nomination = committee.introduced()
    for i in range(n - 1):
        ledger_append(nomination=nomination, kind=EntryKind.STEP, on=dt.date(2026, 3, 9), data={"step": i + 2})
    assert ResponsibilityEntry.objects.count() == n
    return nomination


@contextmanager
def behind_the_triggers():
    """A cursor whose statements the append-only triggers do not see, as the database's owner could have."""
    if POSTGRESQL:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            try:
                yield cursor
            finally:
                cursor.execute("SET LOCAL session_replication_role = origin")
    else:
        with connection.cursor() as cursor:
            for model in LEDGER_MODELS:
                for op in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS append_only_{model._meta.db_table}_{op}")
            try:
                yield cursor
            finally:
                appendonly.install()
    assert {"UPDATE", "DELETE"} <= appendonly.installed_protection(ResponsibilityEntry)


def rewrite_from(seq: int, data: dict) -> None:
    """Change entry ``seq`` and recompute every hash from it on, and the head row: a chain that holds by itself."""
    with behind_the_triggers() as cursor:
        cast = "::jsonb" if POSTGRESQL else ""
        cursor.execute(f"UPDATE {ENTRIES} SET data = %s{cast} WHERE seq = %s", [json.dumps(data), seq])
        prev = ResponsibilityEntry.objects.get(seq=seq - 1).hash if seq > 1 else appendonly.GENESIS
        for entry in ResponsibilityEntry.objects.filter(seq__gte=seq).order_by("seq"):
            entry.prev_hash = prev
            entry.hash = prev = entry.compute_hash()
            cursor.execute(f"UPDATE {ENTRIES} SET prev_hash = %s, hash = %s WHERE id = %s",
                           [entry.prev_hash, entry.hash, entry.pk])
        cursor.execute("UPDATE audit_chainhead SET head_hash = %s WHERE name = %s", [prev, checkpoints.CHAIN])


def cut_after(seq: int, fix_head: bool) -> None:
    """Remove the entries after ``seq``, as restoring an older backup would; with the head row made to match."""
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE seq > %s", [seq])
        if fix_head:
            last = ResponsibilityEntry.objects.get(seq=seq)
            cursor.execute("UPDATE audit_chainhead SET size = %s, head_hash = %s WHERE name = %s",
                           [seq, last.hash, checkpoints.CHAIN])


def reasons(report) -> list[tuple[str, int]]:
    return [(p.reason, p.seq) for p in report.problems]


# --- a ledger that holds ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sound_ledger_with_its_checkpoints_holds(committee, signing_key):
    entries(committee, 3)
    first = checkpoint_sign(actor=SYSTEM)
    ledger_append(nomination=ResponsibilityEntry.objects.first().nomination, kind=EntryKind.WITHDRAWN,
                  on=dt.date(2026, 3, 10))
    second = checkpoint_sign(actor=SYSTEM)
    assert (first.size, second.size) == (3, 4)
    report = verify_ledger()
    assert report.holds, report.problems
    assert (report.entries, report.checkpoints, report.signatures_checked) == (4, 2, 2)
    assert not report.unverifiable and report.first is None


@pytest.mark.django_db
def test_an_empty_ledger_holds(signing_key):
    report = verify_ledger()
    assert report.holds and report.entries == 0


# --- rows changed or removed behind the triggers ----------------------------------------------------


@pytest.mark.django_db
def test_a_row_changed_with_the_triggers_off_is_named(committee, signing_key):
    entries(committee, 5)
    checkpoint_sign(actor=SYSTEM)
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {ENTRIES} SET occurred_on = %s WHERE seq = 3", [dt.date(2020, 1, 1)])
    report = verify_ledger(chunk_size=2)
    assert not report.holds
    assert (report.first.seq, report.first.reason) == (3, "hash")


@pytest.mark.django_db
def test_a_broken_link_is_named(committee, signing_key):
    entries(committee, 4)
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {ENTRIES} SET prev_hash = %s WHERE seq = 2", ["f" * 64])
    assert (verify_ledger().first.seq, verify_ledger().first.reason) == (2, "prev_hash")


@pytest.mark.django_db
def test_a_chain_rewritten_whole_is_caught_by_the_signed_head(committee, signing_key):
    """Who recomputes every hash after changing an entry has a chain that holds, but cannot sign its head."""
    entries(committee, 3)
    early = checkpoint_sign(actor=SYSTEM)
    for i in range(3):
        ledger_append(nomination=ResponsibilityEntry.objects.first().nomination, kind=EntryKind.STEP,
                      on=dt.date(2026, 3, 16), data={"i": i})
    late = checkpoint_sign(actor=SYSTEM)
    rewrite_from(5, {"votes": 9})
    assert appendonly.verify_chain(ResponsibilityEntry) is None  # the chain alone holds
    report = verify_ledger()
    assert reasons(report) == [("checkpoint_head", 6)]
    assert report.first.checkpoint == late.pk
    assert report.first.detail == {"after": early.size}  # entries 1-3 are as signed: the change is in 4-6


@pytest.mark.django_db
def test_entries_removed_after_a_checkpoint_are_caught(committee, signing_key):
    entries(committee, 5)
    checkpoint = checkpoint_sign(actor=SYSTEM)
    cut_after(3, fix_head=True)
    assert appendonly.verify_chain(ResponsibilityEntry) is None  # a rolled back restore holds by itself
    report = verify_ledger()
    assert reasons(report) == [("truncated", 4)]
    assert report.first.checkpoint == checkpoint.pk and report.first.detail == {"signed_size": 5}


@pytest.mark.django_db
def test_entries_removed_and_the_head_row_left_are_caught_twice(committee, signing_key):
    entries(committee, 4)
    checkpoint_sign(actor=SYSTEM)
    cut_after(2, fix_head=False)
    assert sorted(reasons(verify_ledger())) == [("head", 3), ("truncated", 3)]


@pytest.mark.django_db
def test_a_missing_entry_in_the_middle_is_named(committee, signing_key):
    entries(committee, 4)
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE seq = 2")
    report = verify_ledger()
    assert (report.first.seq, report.first.reason, report.first.detail) == (2, "seq", {"found": 3})


# --- forged checkpoints ---------------------------------------------------------------------------------


def _forge(size: int, head_hash: str, key: Ed25519PrivateKey, key_id: str, at: dt.datetime) -> LedgerCheckpoint:
    signature = base64.b64encode(key.sign(statement(size, head_hash, at))).decode()
    return LedgerCheckpoint.objects.create(size=size, head_hash=head_hash, signed_at=at, key_id=key_id,
                                           signature=signature)


@pytest.mark.django_db
def test_a_checkpoint_with_a_wrong_signature_is_caught(committee, signing_key):
    entries(committee, 2)
    real = checkpoint_sign(actor=SYSTEM)
    last = ResponsibilityEntry.objects.get(seq=2)
    # The real signature, over another statement (a later time): it does not verify.
    LedgerCheckpoint.objects.create(size=2, head_hash=last.hash, signed_at=real.signed_at + dt.timedelta(hours=1),
                                    key_id=real.key_id, signature=real.signature)
    LedgerCheckpoint.objects.create(size=2, head_hash=last.hash, signed_at=real.signed_at, key_id=real.key_id,
                                    signature="not base64 at all!")
    report = verify_ledger()
    assert sorted(reasons(report)) == [("checkpoint_signature", 2), ("checkpoint_signature", 2)]
    assert report.signatures_checked == 1


@pytest.mark.django_db
def test_a_checkpoint_signed_by_another_key_is_caught(committee, signing_key):
    entries(committee, 2)
    real = checkpoint_sign(actor=SYSTEM)
    other = Ed25519PrivateKey.generate()
    at = real.signed_at + dt.timedelta(minutes=5)
    head = ResponsibilityEntry.objects.get(seq=2).hash
    as_ours = _forge(2, head, other, real.key_id, at)  # claims the deployment's key id
    as_theirs = _forge(2, head, other, key_id_of(other.public_key()), at)
    report = verify_ledger()
    assert {(p.reason, p.checkpoint) for p in report.problems} == {("checkpoint_signature", as_ours.pk),
                                                                   ("checkpoint_key", as_theirs.pk)}
    # Given the other key too (a retired one, say), its checkpoint verifies; the false claim still does not.
    report = verify_ledger(public_keys=[checkpoints.public_key(), other.public_key()])
    assert {(p.reason, p.checkpoint) for p in report.problems} == {("checkpoint_signature", as_ours.pk)}


@pytest.mark.django_db
def test_a_later_checkpoint_shorter_than_an_earlier_one_is_caught(committee, signing_key):
    entries(committee, 3)
    real = checkpoint_sign(actor=SYSTEM)
    key = checkpoints.private_key()
    later = _forge(2, ResponsibilityEntry.objects.get(seq=2).hash, key, real.key_id,
                   real.signed_at + dt.timedelta(days=1))
    assert reasons(verify_ledger()) == [("checkpoint_order", 2)]
    assert verify_ledger().first.checkpoint == later.pk


@pytest.mark.django_db
def test_without_the_key_the_checkpoints_are_unverifiable(committee, signing_key, settings, tmp_path):
    entries(committee, 2)
    checkpoint_sign(actor=SYSTEM)
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    report = verify_ledger()
    assert report.holds and report.unverifiable and report.signatures_checked == 0
    with pytest.raises(CommandError, match="UNVERIFIABLE") as raised:
        call_command("verify_ledger", stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 2
    # The public half alone verifies them.
    out = io.StringIO()
    call_command("verify_ledger", "--public-key", str(signing_key) + ".pub", stdout=out, stderr=io.StringIO())
    assert "1 signatures verified" in out.getvalue() and "the ledger holds" in out.getvalue()


# --- the command --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_the_rate_and_exits_non_zero_at_a_break(committee, signing_key):
    entries(committee, 3)
    checkpoint_sign(actor=SYSTEM)
    out = io.StringIO()
    call_command("verify_ledger", stdout=out, stderr=io.StringIO())
    assert "3 entries in" in out.getvalue() and "entries/second" in out.getvalue()
    assert "the ledger holds" in out.getvalue()
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {ENTRIES} SET kind = 'dismissal' WHERE seq = 2")
    with pytest.raises(CommandError, match=r"BROKEN at entry #2: hash") as raised:
        call_command("verify_ledger", stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 1


# --- constant memory ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_streams_the_chain(committee, signing_key, monkeypatch, django_assert_max_num_queries):
    """The entries come through a cursor a few at a time: never more than two of them alive at once, and three
    queries (the checkpoints, the entries, the head) whatever the chain's length."""
    entries(committee, 40)
    checkpoint_sign(actor=SYSTEM)
    alive: weakref.WeakSet = weakref.WeakSet()
    peak = [0]
    from_db = ResponsibilityEntry.from_db.__func__

    def counted(cls, db, field_names, values):
        entry = from_db(cls, db, field_names, values)
        alive.add(entry)
        peak[0] = max(peak[0], len(alive))
        return entry

    monkeypatch.setattr(ResponsibilityEntry, "from_db", classmethod(counted))
    chunk_sizes = []
    iterator = type(ResponsibilityEntry.objects.all()).iterator

    def spied(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(type(ResponsibilityEntry.objects.all()), "iterator", spied)
    with django_assert_max_num_queries(3):
        report = verify_ledger(chunk_size=4)
    assert report.holds and report.entries == 40
    assert chunk_sizes == [4]
    assert 1 <= peak[0] <= 2, peak[0]


# --- the database refuses ----------------------------------------------------------------------------


@pytest.fixture
def ledger_rows(committee, signing_key, board_officer, province):
    entries(committee, 2)
    checkpoint = checkpoint_sign(actor=SYSTEM)
    countersignature = checkpoints.checkpoint_countersign(checkpoint=checkpoint, organization=province.root,
                                                          actor=board_officer)
    return {ResponsibilityEntry: (ResponsibilityEntry.objects.get(seq=1), "kind"),
            LedgerCheckpoint: (checkpoint, "head_hash"), LedgerCountersignature: (countersignature, "statement_hash")}


@pytest.mark.django_db
@pytest.mark.parametrize("model", LEDGER_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("sql", STATEMENTS, ids=["update", "delete"])
def test_the_database_refuses_update_and_delete_on_the_ledger(ledger_rows, model, sql):
    row, column = ledger_rows[model]
    before = getattr(row, column)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=model._meta.db_table, column=column), [row.pk])
    row.refresh_from_db()
    assert getattr(row, column) == before


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRESQL, reason="SQLite has no TRUNCATE (it empties a table with DELETE)")
@pytest.mark.parametrize("model", LEDGER_MODELS, ids=lambda m: m.__name__)
def test_postgresql_refuses_truncate_on_the_ledger(ledger_rows, model):
    row, _ = ledger_rows[model]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_the_ledger_tables_are_declared_and_protected():
    expected = {"UPDATE", "DELETE"} | ({"TRUNCATE"} if POSTGRESQL else set())
    for model in LEDGER_MODELS:
        assert appendonly.is_append_only(model)
        assert expected <= appendonly.installed_protection(model), model


@pytest.mark.django_db
def test_the_head_row_follows_the_chain(committee):
    entries(committee, 3)
    head = ChainHead.objects.get(name=checkpoints.CHAIN)
    assert (head.size, head.head_hash) == (3, ResponsibilityEntry.objects.get(seq=3).hash)
