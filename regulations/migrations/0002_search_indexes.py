"""PostgreSQL search: unaccent for the full-text vector, a GIN index on it, and a
trigram index on the folded text for partial words. SQLite needs none of it."""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX provision_search_vector ON regulations_provision USING gin (search_vector)",
    "CREATE INDEX provision_search_trgm ON regulations_provision USING gin (search_text gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS provision_search_trgm",
    "DROP INDEX IF EXISTS provision_search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("regulations", "0001_initial")]
    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
