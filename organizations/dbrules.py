"""Rules the database enforces beyond Django's portable constraints, for use in migrations.

``no_overlap`` keeps two dated records with the same key from sharing a day
(inclusive ``start``/``end``, ``end`` empty = still running): an exclusion
constraint on PostgreSQL (btree_gist), triggers on SQLite. Rows without a
``start`` (drafts) are left out.
"""

from __future__ import annotations

from django.db import migrations


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


def vendor_sql(*, postgresql: list[str], sqlite: list[str], postgresql_back: list[str],
               sqlite_back: list[str]) -> migrations.RunPython:
    return migrations.RunPython(_run({"postgresql": postgresql, "sqlite": sqlite}),
                                _run({"postgresql": postgresql_back, "sqlite": sqlite_back}))


def no_overlap(table: str, key: str, name: str) -> migrations.RunPython:
    clash = f"""EXISTS (SELECT 1 FROM {table} m
        WHERE m.{key} = NEW.{key} AND m.id IS NOT NEW.id AND m.start IS NOT NULL
          AND m.start <= COALESCE(NEW."end", '9999-12-31')
          AND NEW.start <= COALESCE(m."end", '9999-12-31'))"""
    return vendor_sql(
        postgresql=["CREATE EXTENSION IF NOT EXISTS btree_gist",
                    f"""ALTER TABLE {table} ADD CONSTRAINT {name}
                        EXCLUDE USING gist ({key} WITH =, daterange(start, "end", '[]') WITH &&)
                        WHERE (start IS NOT NULL)"""],
        postgresql_back=[f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"],
        sqlite=[f"""CREATE TRIGGER {name}_insert BEFORE INSERT ON {table}
                    WHEN NEW.start IS NOT NULL AND {clash} BEGIN SELECT RAISE(ABORT, '{name}'); END""",
                f"""CREATE TRIGGER {name}_update BEFORE UPDATE OF {key}, start, "end" ON {table}
                    WHEN NEW.start IS NOT NULL AND {clash} BEGIN SELECT RAISE(ABORT, '{name}'); END"""],
        sqlite_back=[f"DROP TRIGGER IF EXISTS {name}_insert", f"DROP TRIGGER IF EXISTS {name}_update"],
    )
