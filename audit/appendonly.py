"""Append-only tables, declared once on the model, refused by the database itself.

``@append_only`` on a model is the whole declaration:

- PostgreSQL: django-pgtrigger triggers, written into the app's migrations like
  any other schema: a row-level ``Protect`` for UPDATE and DELETE, and a
  statement-level BEFORE TRUNCATE trigger (a TRUNCATE fires no row trigger).
- SQLite: BEFORE UPDATE and BEFORE DELETE triggers (SQLite has no TRUNCATE),
  put in place after every ``migrate`` by the ``post_migrate`` handler in
  ``audit.apps``. The handler is idempotent; a table a later migration remakes
  (SQLite alters a table by copying it) gets its triggers back the same way.

``HashChained`` adds a hash chain to an append-only model: ``append()`` locks
the chain's head row (``ChainHead``) and links the new entry to the last one by
sha256, so two concurrent appends queue on the lock and never fork the chain;
``verify_chain()`` walks it in constant memory and names the first broken link.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import pgtrigger
from django.apps import apps
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=type[models.Model])

MARKER = "_append_only"

# One name per trigger, the same on every model (pgtrigger's identifier adds a hash of the model).
ROW_TRIGGER = "append_only"
TRUNCATE_TRIGGER = "append_only_truncate"


def _triggers() -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Protect(name=ROW_TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete),
        # pgtrigger's Protect needs transition tables at statement level, which TRUNCATE has none of.
        pgtrigger.Trigger(
            name=TRUNCATE_TRIGGER, operation=pgtrigger.Truncate, level=pgtrigger.Statement,
            when=pgtrigger.Before,
            func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: it is append-only', TG_TABLE_NAME;",
        ),
    ]


def append_only(model: M) -> M:
    """Class decorator: the database refuses UPDATE, DELETE and TRUNCATE on this model's table."""
    pgtrigger.register(*_triggers())(model)
    setattr(model, MARKER, True)
    return model


def is_append_only(model: type[models.Model]) -> bool:
    return bool(model.__dict__.get(MARKER))


def declared() -> list[type[models.Model]]:
    """Every installed model declared append-only."""
    return [model for model in apps.get_models() if is_append_only(model)]


# SQLite ------------------------------------------------------------------------------------------------

def _sqlite_trigger_names(model: type[models.Model]) -> dict[str, str]:
    table = model._meta.db_table
    return {op: f"append_only_{table}_{op.lower()}" for op in ("UPDATE", "DELETE")}


def _sqlite_install(connection: BaseDatabaseWrapper, model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        for op, name in _sqlite_trigger_names(model).items():
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def _sqlite_uninstall(connection: BaseDatabaseWrapper, model: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for name in _sqlite_trigger_names(model).values():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


# Both ----------------------------------------------------------------------------------------------

def _declared_tables(connection) -> list[type[models.Model]]:
    """The declared models whose tables exist on this database (a migration may not have made them yet)."""
    tables = set(connection.introspection.table_names())
    return [model for model in declared() if model._meta.db_table in tables]


def install(using: str = "default") -> None:
    """Put the triggers of every declared model in place (idempotent); run after every migrate.

    On PostgreSQL the migrations install them; this puts back a TRUNCATE trigger a test flush took away
    (``uninstall_truncate_for_flush``) and covers a model whose app has no migrations.
    """
    connection = connections[using]
    for model in _declared_tables(connection):
        if connection.vendor == "sqlite":
            _sqlite_install(connection, model)
        elif connection.vendor == "postgresql":
            for trigger in model._meta.triggers:
                if trigger.name in (ROW_TRIGGER, TRUNCATE_TRIGGER):
                    trigger.install(model, database=using)


def uninstall_for_flush(using: str = "default") -> None:
    """Only for emptying a test database, never in the portal.

    Django empties tables with DELETE on SQLite and TRUNCATE on PostgreSQL: the triggers that refuse that
    are dropped just before the flush, and the flush's ``post_migrate`` puts them back (``install``).
    """
    connection = connections[using]
    for model in _declared_tables(connection):
        if connection.vendor == "sqlite":
            _sqlite_uninstall(connection, model)
        elif connection.vendor == "postgresql":
            for trigger in model._meta.triggers:
                if trigger.name == TRUNCATE_TRIGGER:
                    trigger.uninstall(model, database=using)


def installed_protection(model: type[models.Model], using: str = "default") -> set[str]:
    """Which statements the database refuses on this model's table, as read from the database's catalog."""
    connection = connections[using]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            present = {row[0] for row in cursor.fetchall()}
            return {op for op, name in _sqlite_trigger_names(model).items() if name in present}
        cursor.execute(
            "SELECT t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = %s AND NOT t.tgisinternal AND t.tgenabled <> 'D'", [table])
        refused = set()
        # tgtype bits (PostgreSQL's pg_trigger.h): 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE.
        for (tgtype,) in cursor.fetchall():
            refused |= {op for bit, op in ((8, "DELETE"), (16, "UPDATE"), (32, "TRUNCATE")) if tgtype & bit}
        return refused


# Hash chains ---------------------------------------------------------------------------------------

class ChainHead(models.Model):
    """The last link of one hash chain: locked by every append, so appends to a chain are one at a time."""

    name = models.CharField(max_length=100, unique=True)
    size = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "audit"

    def __str__(self) -> str:
        return f"{self.name} ({self.size})"


GENESIS = "0" * 64


def _canonical(field: models.Field, value: Any) -> Any:
    """A value as it reads the same before it is written and after it is read back from either database."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        places = getattr(field, "decimal_places", None)
        return str(value.quantize(decimal.Decimal(1).scaleb(-places)) if places is not None else value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class HashChained(models.Model):
    """An append-only entry linked to the one before by sha256.

    A concrete chain declares ``chained_fields`` (the fields the hash covers; a foreign key is hashed as its
    id) and is decorated with ``@append_only``; it is appended to only through ``append()``.
    """

    seq = models.PositiveBigIntegerField(editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    chained_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["seq"], name="%(app_label)s_%(class)s_seq_unique")]

    @classmethod
    def chain_name(cls) -> str:
        return cls._meta.label_lower

    def chained_values(self) -> dict[str, Any]:
        values = {}
        for name in self.chained_fields:
            field = self._meta.get_field(name)
            values[name] = _canonical(field, field.to_python(getattr(self, field.attname)))
        return values

    def compute_hash(self) -> str:
        payload = {"seq": self.seq, "prev_hash": self.prev_hash, "fields": self.chained_values()}
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def append(cls, **values: Any) -> HashChained:
        """Insert one entry at the end of the chain, under the lock of the chain's head row."""
        if not is_append_only(cls):
            raise TypeError(f"{cls.__name__} must be declared @append_only")
        with transaction.atomic():
            head, _ = ChainHead.objects.select_for_update().get_or_create(name=cls.chain_name())
            entry = cls(**values)
            entry.seq = head.size + 1
            entry.prev_hash = head.head_hash or GENESIS
            entry.hash = entry.compute_hash()
            entry.save(force_insert=True)
            head.size, head.head_hash = entry.seq, entry.hash
            head.save(update_fields=["size", "head_hash"])
        return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first place a chain does not hold: the entry (None when entries are missing at the end)."""

    seq: int
    reason: str  # "seq" (a gap), "prev_hash" (not linked to the one before), "hash" (altered), "head"
    entry: HashChained | None = None


def verify_chain(model: type[HashChained], chunk_size: int = 2000) -> ChainBreak | None:
    """Walk the chain from the start, in constant memory; the first break, or None if it holds."""
    expected_seq, prev = 1, GENESIS
    for entry in model.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, "seq", entry)
        if entry.prev_hash != prev:
            return ChainBreak(entry.seq, "prev_hash", entry)
        if entry.compute_hash() != entry.hash:
            return ChainBreak(entry.seq, "hash", entry)
        expected_seq, prev = expected_seq + 1, entry.hash
    head = ChainHead.objects.filter(name=model.chain_name()).first()
    size = head.size if head else 0
    if size != expected_seq - 1 or (size and head.head_hash != prev):
        return ChainBreak(expected_seq, "head")
    return None
