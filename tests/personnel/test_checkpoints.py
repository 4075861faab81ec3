"""Signing the ledger's checkpoints and countersigning them: the key, the services, the commands, the beat task."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from personnel import checkpoints, tasks
from personnel.checkpoints import checkpoint_countersign, checkpoint_sign, key_generate, statement
from personnel.ledger import ledger_append
from personnel.models import EntryKind, LedgerCheckpoint, LedgerCountersignature, ResponsibilityEntry

from . import test_ledger
from .test_ledger import behind_the_triggers, cut_after, entries, rewrite_from

signing_key = test_ledger.signing_key  # the fixture: a key of the test's own

pytestmark = pytest.mark.django_db


def codes(raised) -> list[str]:
    return raised.value.codes


# --- the key ------------------------------------------------------------------------------------------


def test_keygen_writes_a_key_only_its_owner_reads_and_keeps_it(tmp_path, settings):
    path = tmp_path / "keys" / "ledger.pem"
    settings.LEDGER_SIGNING_KEY_FILE = str(path)
    out = io.StringIO()
    call_command("ledger_keygen", stdout=out)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = checkpoints.private_key()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = hashlib.sha256(raw).hexdigest()
    assert f"key id: {key_id}" in out.getvalue()
    assert checkpoints.key_id_of(checkpoints.public_key(path.with_name("ledger.pem.pub"))) == key_id
    before = path.read_bytes()
    with pytest.raises(CommandError, match="exists"):
        call_command("ledger_keygen", stdout=io.StringIO())
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    call_command("ledger_keygen", "--force", stdout=io.StringIO())
    assert path.read_bytes() != before and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_without_an_ed25519_key_is_no_key(tmp_path):
    path = tmp_path / "k.pem"
    path.write_text("not a key")
    assert checkpoints.private_key(path) is None and checkpoints.public_key(path) is None
    assert checkpoints.private_key(tmp_path / "absent.pem") is None


# --- signing ------------------------------------------------------------------------------------------


def test_a_checkpoint_signs_the_head_under_its_lock_and_is_audited(committee, signing_key):
    entries(committee, 3)
    checkpoint = checkpoint_sign(actor=SYSTEM)
    head = ResponsibilityEntry.objects.get(seq=3)
    assert (checkpoint.size, checkpoint.head_hash) == (3, head.hash)
    assert checkpoint.key_id == checkpoints.key_id_of(checkpoints.public_key())
    # The statement is canonical JSON of the chain, size, head and time (UTC), as read back from the database.
    checkpoint.refresh_from_db()
    text = json.loads(statement(checkpoint.size, checkpoint.head_hash, checkpoint.signed_at))
    assert text == {"chain": "personnel.responsibilityentry", "size": 3, "head_hash": head.hash,
                    "signed_at": checkpoint.signed_at.astimezone(dt.UTC).isoformat()}
    assert text["signed_at"].endswith("+00:00")
    checkpoints.public_key().verify(base64.b64decode(checkpoint.signature), statement(3, head.hash,
                                                                                       checkpoint.signed_at))
    assert checkpoints.signature_valid(checkpoint) is True
    audit = AuditEntry.objects.get(action="ledger.checkpoint")
    assert audit.object_id == str(checkpoint.pk) and audit.data["size"] == 3 and audit.actor is None


def test_nothing_new_signs_nothing(committee, signing_key):
    entries(committee, 2)
    first = checkpoint_sign(actor=SYSTEM)
    assert checkpoint_sign(actor=SYSTEM).pk == first.pk
    assert LedgerCheckpoint.objects.count() == 1 and AuditEntry.objects.filter(action="ledger.checkpoint").count() == 1
    ledger_append(nomination=ResponsibilityEntry.objects.first().nomination, kind=EntryKind.STEP,
                  on=dt.date(2026, 3, 9))
    assert checkpoint_sign(actor=SYSTEM).size == 3
    assert LedgerCheckpoint.objects.count() == 2


def test_without_the_key_signing_is_refused_with_a_code(committee, settings, tmp_path):
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "absent.pem")
    entries(committee, 1)
    with pytest.raises(Refused) as raised:
        checkpoint_sign(actor=SYSTEM)
    assert codes(raised) == ["ledger_key_missing"]
    assert "ledger_keygen" in str(raised.value)
    assert not LedgerCheckpoint.objects.exists()


def test_an_empty_ledger_is_not_signed(signing_key):
    with pytest.raises(Refused) as raised:
        checkpoint_sign(actor=SYSTEM)
    assert codes(raised) == ["ledger_empty"]


def test_a_chain_shorter_than_its_checkpoint_is_not_signed_again(committee, signing_key):
    entries(committee, 4)
    checkpoint_sign(actor=SYSTEM)
    cut_after(2, fix_head=True)
    with pytest.raises(Refused) as raised:
        checkpoint_sign(actor=SYSTEM)
    assert codes(raised) == ["ledger_shorter_than_checkpoint"]
    assert raised.value.reasons[0].params == {"size": 2, "signed": 4}
    assert LedgerCheckpoint.objects.count() == 1


def test_a_chain_changed_since_the_last_checkpoint_is_not_signed(committee, signing_key):
    entries(committee, 3)
    checkpoint_sign(actor=SYSTEM)
    rewrite_from(2, {"votes": 1})
    ledger_append(nomination=ResponsibilityEntry.objects.first().nomination, kind=EntryKind.STEP,
                  on=dt.date(2026, 3, 9))
    with pytest.raises(Refused) as raised:
        checkpoint_sign(actor=SYSTEM)
    assert codes(raised) == ["ledger_changed_since_checkpoint"]


def test_a_head_row_that_is_not_the_last_entry_is_not_signed(committee, signing_key):
    entries(committee, 2)
    with behind_the_triggers() as cursor:
        cursor.execute("UPDATE audit_chainhead SET head_hash = %s WHERE name = %s", ["a" * 64, checkpoints.CHAIN])
    with pytest.raises(Refused) as raised:
        checkpoint_sign(actor=SYSTEM)
    assert codes(raised) == ["ledger_head_mismatch"]


def test_signing_on_demand_is_the_boards(committee, signing_key, board_officer, staff_a, province):
    entries(committee, 2)
    with pytest.raises(Refused) as raised:
        checkpoint_sign(actor=staff_a, organization=province.sub_a)
    assert codes(raised) == ["not_permitted"]
    with pytest.raises(Refused):
        checkpoint_sign(actor=board_officer)  # a person names where their board sits
    assert not LedgerCheckpoint.objects.exists()
    checkpoint = checkpoint_sign(actor=board_officer, organization=province.root)
    assert AuditEntry.objects.get(action="ledger.checkpoint").actor == board_officer
    assert checkpoint.size == 2


# --- countersigning -------------------------------------------------------------------------------------


@pytest.fixture
def checkpoint(committee, signing_key):
    entries(committee, 2)
    return checkpoint_sign(actor=SYSTEM)


def test_the_province_board_countersigns_once(checkpoint, board_officer, province):
    read = checkpoints.statement_hash(checkpoint)
    signature = checkpoint_countersign(checkpoint=checkpoint, organization=province.root, actor=board_officer,
                                       read_hash=read)
    assert (signature.organization, signature.signed_by, signature.statement_hash) == (
        province.root, board_officer, read)
    assert AuditEntry.objects.filter(action="ledger.countersign", object_id=str(signature.pk)).exists()
    with pytest.raises(Refused) as raised:
        checkpoint_countersign(checkpoint=checkpoint, organization=province.root, actor=board_officer)
    assert codes(raised) == ["countersign_twice"]
    assert LedgerCountersignature.objects.count() == 1


def test_an_outsider_and_a_lower_organization_do_not_countersign(checkpoint, board_officer, outsider, province):
    with pytest.raises(Refused) as raised:
        checkpoint_countersign(checkpoint=checkpoint, organization=province.root, actor=outsider)
    assert codes(raised) == ["not_permitted"]
    # The board's grant covers the subtree, but it countersigns where it sits, not as a committee below.
    with pytest.raises(Refused) as raised:
        checkpoint_countersign(checkpoint=checkpoint, organization=province.sub_a, actor=board_officer)
    assert codes(raised) == ["countersign_not_board"]
    with pytest.raises(Refused) as raised:
        checkpoint_countersign(checkpoint=checkpoint, organization=province.root, actor=SYSTEM)
    assert codes(raised) == ["countersign_needs_person"]
    assert not LedgerCountersignature.objects.exists()


def test_a_statement_other_than_the_one_read_is_not_countersigned(checkpoint, board_officer, province):
    with pytest.raises(Refused) as raised:
        checkpoint_countersign(checkpoint=checkpoint, organization=province.root, actor=board_officer,
                               read_hash="0" * 64)
    assert codes(raised) == ["countersign_statement_changed"]


def test_a_forged_checkpoint_is_not_countersigned(checkpoint, board_officer, province):
    forged = LedgerCheckpoint.objects.create(size=checkpoint.size, head_hash=checkpoint.head_hash,
                                             signed_at=checkpoint.signed_at + dt.timedelta(seconds=1),
                                             key_id=checkpoint.key_id, signature=checkpoint.signature)
    with pytest.raises(Refused) as raised:
        checkpoint_countersign(checkpoint=forged, organization=province.root, actor=board_officer)
    assert codes(raised) == ["checkpoint_signature_invalid"]


# --- the command and the beat task ------------------------------------------------------------------------


def test_the_command_signs_one_on_demand(committee, signing_key):
    entries(committee, 2)
    out = io.StringIO()
    call_command("ledger_checkpoint", stdout=out)
    assert "signed checkpoint" in out.getvalue() and "2 entries" in out.getvalue()
    out = io.StringIO()
    call_command("ledger_checkpoint", stdout=out)
    assert "unchanged since checkpoint" in out.getvalue()
    assert LedgerCheckpoint.objects.count() == 1


def test_the_command_says_the_code_without_a_key(committee, settings, tmp_path):
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "absent.pem")
    entries(committee, 1)
    with pytest.raises(CommandError, match="ledger_key_missing"):
        call_command("ledger_checkpoint", stdout=io.StringIO())


def test_the_daily_task_signs_as_the_portal(committee, signing_key, settings):
    entries(committee, 2)
    result = tasks.ledger_checkpoint.delay().get()
    assert result == {"checkpoint": LedgerCheckpoint.objects.get().pk, "size": 2}
    entry = settings.CELERY_BEAT_SCHEDULE["ledger-checkpoint"]
    assert entry["task"] == tasks.ledger_checkpoint.name == "personnel.ledger_checkpoint"
    assert "personnel.tasks" in settings.CELERY_IMPORTS


def test_the_daily_task_without_a_key_says_so_and_does_not_fail(committee, settings, tmp_path):
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "absent.pem")
    entries(committee, 1)
    result = tasks.ledger_checkpoint.delay().get()
    assert [r["code"] for r in result["refused"]] == ["ledger_key_missing"]


def test_a_key_generated_elsewhere_signs_too(committee, tmp_path, settings):
    path = tmp_path / "other.pem"
    key_id = key_generate(path)
    settings.LEDGER_SIGNING_KEY_FILE = str(path)
    entries(committee, 1)
    assert checkpoint_sign(actor=SYSTEM).key_id == key_id
