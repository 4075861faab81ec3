"""SQLite: the audit table refuses UPDATE and DELETE, as the pgtrigger trigger does on PostgreSQL."""

from django.db import migrations

from audit import sqlite


def forward(apps, schema_editor):
    sqlite.install(schema_editor.connection)


def backward(apps, schema_editor):
    sqlite.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
