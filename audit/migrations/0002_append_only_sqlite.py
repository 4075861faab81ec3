"""Formerly the SQLite triggers of the audit table; they are now put in place after every migrate by
``audit.appendonly`` (for every append-only model), and the old ones are dropped by 0004."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
