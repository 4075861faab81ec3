"""SQLite: the audit table refuses UPDATE and DELETE (PostgreSQL has the pgtrigger trigger)."""

from __future__ import annotations

TRIGGERS = {
    "audit_append_only_update": """CREATE TRIGGER IF NOT EXISTS audit_append_only_update
        BEFORE UPDATE ON audit_auditentry BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    "audit_append_only_delete": """CREATE TRIGGER IF NOT EXISTS audit_append_only_delete
        BEFORE DELETE ON audit_auditentry BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
}


def install(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for sql in TRIGGERS.values():
            cursor.execute(sql)


def uninstall(connection) -> None:
    """Only for emptying a test database (SQLite flushes with DELETE); never in the portal."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
