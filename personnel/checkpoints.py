"""Signed checkpoints of the responsibility ledger, the board's countersignatures, and verifying the ledger.

A checkpoint is the chain's size and head hash at a moment, signed with the deployment's Ed25519 key (a PEM
file outside the database, ``settings.LEDGER_SIGNING_KEY_FILE``; ``manage.py ledger_keygen`` writes one). Who
can write the tables can recompute every hash after changing an entry, but cannot sign the new head; who
restores an older backup leaves the chain shorter than the last checkpoint. ``verify_ledger`` streams the
chain once, in constant memory, recomputing every hash, and checks every checkpoint against it.

The statement signed is canonical JSON of ``{chain, size, head_hash, signed_at}`` (``signed_at`` in UTC, ISO
8601, as the row reads back from either database); the key id is the sha256 of the raw public key.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.appendonly import GENESIS, ChainHead
from audit.services import audit_record
from common.actors import is_system
from common.reasons import Refused
from organizations.access import authorize, top_organizations_for
from organizations.models import Organization

from .models import LedgerCheckpoint, LedgerCountersignature, ResponsibilityEntry
from .permissions import COUNTERSIGN

__all__ = [
    "CHAIN",
    "key_file",
    "key_generate",
    "private_key",
    "public_key",
    "key_id_of",
    "statement",
    "statement_hash",
    "signature_valid",
    "checkpoint_sign",
    "checkpoint_countersign",
    "Problem",
    "LedgerReport",
    "verify_ledger",
]

CHAIN = ResponsibilityEntry.chain_name()


# --- the key --------------------------------------------------------------------------------------------


def key_file() -> Path:
    return Path(settings.LEDGER_SIGNING_KEY_FILE)


def public_key_file(path: Path | None = None) -> Path:
    """Where ``ledger_keygen`` puts the public half, for whoever verifies without the private key."""
    path = path or key_file()
    return path.with_name(path.name + ".pub")


def private_key(path: Path | None = None) -> Ed25519PrivateKey | None:
    """The signing key, or None when its file is missing or holds no Ed25519 private key."""
    path = path or key_file()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PrivateKey) else None


def public_key(path: Path | None = None) -> Ed25519PublicKey | None:
    """The verifying key: from the signing key's file, or from a file holding only a public key."""
    path = path or key_file()
    key = private_key(path)
    if key is not None:
        return key.public_key()
    try:
        loaded = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError):
        return None
    return loaded if isinstance(loaded, Ed25519PublicKey) else None


def key_id_of(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def _write_private(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` readable by the owner only (0600), whole or not at all; never over a key unless ``force``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # refuses an existing file, atomically
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def key_generate(path: Path | None = None, *, force: bool = False) -> str:
    """A new signing key in ``path`` (mode 0600) and its public half beside it; returns the key id.

    Raises ``FileExistsError`` when a key is there and ``force`` is not given: a new key leaves the earlier
    checkpoints verifiable only with the old public key.
    """
    path = path or key_file()
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    _write_private(path, pem, force=force)
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    public_key_file(path).write_bytes(pub)
    return key_id_of(key.public_key())


# --- the statement ------------------------------------------------------------------------------------


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def statement(size: int, head_hash: str, signed_at: dt.datetime) -> bytes:
    """The bytes a checkpoint signs: canonical JSON, the same before the row is written and after it is read."""
    payload = {"chain": CHAIN, "size": int(size), "head_hash": head_hash, "signed_at": _utc(signed_at)}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def statement_of(checkpoint: LedgerCheckpoint) -> bytes:
    return statement(checkpoint.size, checkpoint.head_hash, checkpoint.signed_at)


def statement_hash(checkpoint: LedgerCheckpoint) -> str:
    """What a countersignature attests: the sha256 of the statement the board read on the page."""
    return hashlib.sha256(statement_of(checkpoint)).hexdigest()


def _signature_ok(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def signature_valid(checkpoint: LedgerCheckpoint, key: Ed25519PublicKey | None = None) -> bool | None:
    """Whether the checkpoint's signature verifies with the deployment's key; None when there is no key."""
    key = key or public_key()
    if key is None:
        return None
    return checkpoint.key_id == key_id_of(key) and _signature_ok(key, checkpoint.signature, statement_of(checkpoint))


# --- signing and countersigning -----------------------------------------------------------------------


def _now() -> dt.datetime:
    # Whole microseconds in UTC read back the same from either database, so the signature verifies.
    return timezone.now().astimezone(dt.UTC)


def checkpoint_sign(*, actor, organization: Organization | None = None) -> LedgerCheckpoint:
    """Sign the ledger's size and head as they stand, under the head's lock (appends wait meanwhile).

    The daily beat chore signs as ``SYSTEM``; the organization board signs on demand from the ledger page,
    authorized at ``organization`` (where the board sits). Nothing appended since the last checkpoint: the
    last one is returned, nothing is signed. A chain shorter than a checkpoint already signed is refused: it
    lost entries, and signing it would make the loss look regular.
    """
    with transaction.atomic():
        if not is_system(actor):
            if organization is None:
                raise Refused.because("not_permitted")
            authorize(actor, COUNTERSIGN, organization)
        key = private_key()
        if key is None:
            raise Refused.because("ledger_key_missing")
        head, _ = ChainHead.objects.select_for_update().get_or_create(name=CHAIN)
        last = LedgerCheckpoint.objects.order_by("-size", "-pk").first()
        if head.size == 0:
            raise Refused.because("ledger_empty")
        if last is not None and head.size < last.size:
            raise Refused.because("ledger_shorter_than_checkpoint", size=head.size, signed=last.size)
        if last is not None and (last.size, last.head_hash) == (head.size, head.head_hash):
            return last
        # Two cheap looks before signing (the full check is ``verify_ledger``): the head row is the chain's
        # last entry, and the entry the last checkpoint signed still has the hash it signed.
        tail = ResponsibilityEntry.objects.filter(seq=head.size).first()
        if tail is None or tail.hash != head.head_hash or tail.compute_hash() != tail.hash:
            raise Refused.because("ledger_head_mismatch", size=head.size)
        if last is not None and not ResponsibilityEntry.objects.filter(seq=last.size, hash=last.head_hash).exists():
            raise Refused.because("ledger_changed_since_checkpoint", signed=last.size)
        signed_at = _now()
        signature = key.sign(statement(head.size, head.head_hash, signed_at))
        checkpoint = LedgerCheckpoint.objects.create(
            size=head.size, head_hash=head.head_hash, signed_at=signed_at, key_id=key_id_of(key.public_key()),
            signature=base64.b64encode(signature).decode())
        audit_record(actor=actor, action="ledger.checkpoint", obj=checkpoint,
                     summary=f"{checkpoint.size} · {checkpoint.head_hash[:12]}",
                     data={"size": checkpoint.size, "head_hash": checkpoint.head_hash, "key_id": checkpoint.key_id})
    return checkpoint


def board_organizations(user) -> list[Organization]:
    """Where ``user``'s organization board sits: the highest organizations they hold COUNTERSIGN on (the
    province at the root for the provincial board)."""
    return list(top_organizations_for(user, COUNTERSIGN))


def checkpoint_countersign(*, checkpoint: LedgerCheckpoint, organization: Organization, actor,
                           read_hash: str | None = None) -> LedgerCountersignature:
    """The organization board at ``organization`` countersigns ``checkpoint``, once.

    ``read_hash`` is the statement hash the page showed the board: a statement that differs from it is
    refused. Only a checkpoint whose signature verifies with the deployment's key is countersigned.
    """
    with transaction.atomic():
        # One countersignature of the board at a time: the second waits, then finds the first.
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if is_system(actor) or not getattr(actor, "pk", None):
            raise Refused.because("countersign_needs_person")
        authorize(actor, COUNTERSIGN, organization)
        if organization.pk not in {o.pk for o in board_organizations(actor)}:
            raise Refused.because("countersign_not_board", org=organization.name)
        checkpoint = LedgerCheckpoint.objects.get(pk=checkpoint.pk)
        expected = statement_hash(checkpoint)
        if read_hash is not None and read_hash != expected:
            raise Refused.because("countersign_statement_changed")
        valid = signature_valid(checkpoint)
        if valid is None:
            raise Refused.because("ledger_key_missing")
        if not valid:
            raise Refused.because("checkpoint_signature_invalid", size=checkpoint.size)
        if LedgerCountersignature.objects.filter(checkpoint=checkpoint, organization=organization).exists():
            raise Refused.because("countersign_twice", org=organization.name, size=checkpoint.size)
        try:
            with transaction.atomic():
                signature = LedgerCountersignature.objects.create(
                    checkpoint=checkpoint, organization=organization, signed_by=actor, signed_at=_now(),
                    statement_hash=expected)
        except IntegrityError:
            raise Refused.because("countersign_twice", org=organization.name, size=checkpoint.size) from None
        audit_record(actor=actor, action="ledger.countersign", obj=signature,
                     summary=f"{checkpoint.size} · {checkpoint.head_hash[:12]} · {organization.name}",
                     data={"checkpoint": checkpoint.pk, "statement_hash": expected})
    return signature


# --- verification ---------------------------------------------------------------------------------------

# What a problem's code means, for the command's output (the page shows no problem: it runs no verification).
PROBLEMS = {
    "seq": "an entry is missing: the sequence jumps here",
    "prev_hash": "not linked to the entry before it",
    "hash": "its content does not match its hash: changed after it was written",
    "head": "the chain's head row does not match the chain's last entry",
    "truncated": "the chain is shorter than a signed checkpoint: entries were removed after it "
                 "(a restore rolled back?)",
    "checkpoint_signature": "the checkpoint's signature does not verify",
    "checkpoint_key": "the checkpoint was signed by a key this verification does not know",
    "checkpoint_head": "the chain has another hash at the checkpoint's size: an entry was changed (and the "
                       "hashes after it recomputed) since the checkpoint was signed",
    "checkpoint_order": "a checkpoint signed later is shorter than one signed before it",
}


@dataclass(frozen=True)
class Problem:
    """One thing that does not hold: a code of ``PROBLEMS``, the entry's seq, the checkpoint if one is concerned."""

    reason: str
    seq: int
    checkpoint: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"entry #{self.seq}"
        if self.checkpoint is not None:
            where += f" (checkpoint {self.checkpoint})"
        extra = "".join(f", {k} {v}" for k, v in self.detail.items())
        return f"{where}: {self.reason}: {PROBLEMS.get(self.reason, self.reason)}{extra}"


@dataclass
class LedgerReport:
    entries: int = 0
    seconds: float = 0.0
    checkpoints: int = 0
    signatures_checked: int = 0
    unverifiable: bool = False  # checkpoints exist but no key to check their signatures
    problems: list[Problem] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        """The first broken place: the lowest entry a problem names."""
        return min(self.problems, key=lambda p: (p.seq, p.checkpoint or 0), default=None)

    @property
    def entries_per_second(self) -> float:
        return self.entries / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class _Signed:
    pk: int
    size: int
    head_hash: str
    signed_at: dt.datetime
    key_id: str
    signature: str


def _check_signatures(signed: list[_Signed], keys: dict[str, Ed25519PublicKey], report: LedgerReport) -> None:
    for cp in signed:
        if not keys:
            continue
        key = keys.get(cp.key_id)
        if key is None:
            report.problems.append(Problem("checkpoint_key", cp.size, cp.pk, {"key_id": cp.key_id[:16]}))
        elif not _signature_ok(key, cp.signature, statement(cp.size, cp.head_hash, cp.signed_at)):
            report.problems.append(Problem("checkpoint_signature", cp.size, cp.pk))
        else:
            report.signatures_checked += 1
    # Later checkpoints extend earlier ones: in the order they were signed, the size never goes down.
    largest: _Signed | None = None
    for cp in sorted(signed, key=lambda c: (c.signed_at, c.pk)):
        if largest is not None and cp.size < largest.size:
            report.problems.append(Problem("checkpoint_order", cp.size, cp.pk, {"earlier_size": largest.size}))
        if largest is None or cp.size > largest.size:
            largest = cp


def verify_ledger(*, chunk_size: int = 2000, public_keys: Iterable[Ed25519PublicKey] | None = None,
                  progress: Callable[[int], None] | None = None, every: int = 100_000) -> LedgerReport:
    """Walk the whole chain once, in constant memory, and check every checkpoint against it.

    Recomputes every entry's hash, checks the sequence and the links; checks each checkpoint's signature
    (with ``public_keys``, by default the deployment's key), that the chain at the checkpoint's size has the
    checkpoint's head, that checkpoints signed later are not shorter, and that the chain is at least as long
    as every checkpoint. The entries come through a database cursor ``chunk_size`` rows at a time; only the
    checkpoints' few fields are held (one row a day). The chain's walk stops at its first broken entry.
    """
    started = time.perf_counter()
    report = LedgerReport()
    keys_given = list(public_keys) if public_keys is not None else [k for k in [public_key()] if k is not None]
    keys = {key_id_of(k): k for k in keys_given}
    signed = [_Signed(*row) for row in LedgerCheckpoint.objects.order_by("size", "signed_at", "pk").values_list(
        "pk", "size", "head_hash", "signed_at", "key_id", "signature")]
    report.checkpoints = len(signed)
    report.unverifiable = bool(signed) and not keys
    _check_signatures(signed, keys, report)

    expected, prev, next_cp, matched = 1, GENESIS, 0, 0
    while next_cp < len(signed) and signed[next_cp].size == 0:  # a checkpoint of the empty chain
        if signed[next_cp].head_hash not in ("", GENESIS):
            report.problems.append(Problem("checkpoint_head", 0, signed[next_cp].pk))
        next_cp += 1
    broken = False
    for entry in ResponsibilityEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected:
            report.problems.append(Problem("seq", expected, detail={"found": entry.seq}))
            broken = True
            break
        if entry.prev_hash != prev:
            report.problems.append(Problem("prev_hash", entry.seq))
            broken = True
            break
        if entry.compute_hash() != entry.hash:
            report.problems.append(Problem("hash", entry.seq))
            broken = True
            break
        while next_cp < len(signed) and signed[next_cp].size == expected:
            cp = signed[next_cp]
            if cp.head_hash != entry.hash:
                # Every entry up to the last checkpoint that matched is as signed: the change is after it.
                report.problems.append(Problem("checkpoint_head", expected, cp.pk, {"after": matched}))
            else:
                matched = expected
            next_cp += 1
        prev = entry.hash
        if progress is not None and expected % every == 0:
            progress(expected)
        expected += 1
    report.entries = expected - 1
    if not broken:
        if next_cp < len(signed):
            longest = signed[-1]
            report.problems.append(Problem("truncated", report.entries + 1, longest.pk,
                                           {"signed_size": longest.size}))
        head = ChainHead.objects.filter(name=CHAIN).first()
        size, head_hash = (head.size, head.head_hash) if head else (0, "")
        if size != report.entries or (size and head_hash != prev):
            report.problems.append(Problem("head", report.entries + 1, detail={"head_size": size}))
    report.seconds = time.perf_counter() - started
    return report
