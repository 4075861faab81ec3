# The owners filled by 0005 become required (a migration of their own: on PostgreSQL the rows updated in
# 0005's transaction would leave pending trigger events that forbid altering the table in the same one).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0005_kinship_discipline_owner'),
    ]

    operations = [
        migrations.AlterField(
            model_name='discipline',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='disciplines_held', to='organizations.organization', verbose_name='Tổ chức quản lý'),
        ),
        migrations.AlterField(
            model_name='kinship',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='kinships', to='organizations.organization', verbose_name='Tổ chức quản lý'),
        ),
    ]
