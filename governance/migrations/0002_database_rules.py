"""Two adopted versions of one organization's working regulation never share a day."""

from django.db import migrations

from organizations.dbrules import no_overlap


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        no_overlap("governance_workingregulation", "organization_id", "working_regulation_no_overlap"),
    ]
