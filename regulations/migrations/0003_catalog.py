"""The documents of RULES.md with their article skeletons (regulations/catalog.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from common.text import fold
    from regulations import catalog
    from regulations.parser import parse

    Provision = apps.get_model("regulations", "Provision")
    catalog.load(apps.get_model("regulations", "Document"), apps.get_model("regulations", "DocumentVersion"),
                 Provision, fold, parse)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE regulations_provision SET search_vector = "
            "setweight(to_tsvector('simple', unaccent(heading)), 'A') || "
            "setweight(to_tsvector('simple', unaccent(text)), 'B')")


def unload(apps, schema_editor):
    from regulations import catalog

    apps.get_model("regulations", "Document").objects.filter(code__in=[d[0] for d in catalog.DOCUMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("regulations", "0002_search_indexes")]
    operations = [migrations.RunPython(load, unload)]
