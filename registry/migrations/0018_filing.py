"""The filing (备案) of an approved name: when, and by whom (地名管理条例 Art. 13).

Proposals approved before this migration stay unfiled (no date is invented); the
dashboard lists them until an approver marks them filed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0017_import_lock'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalproposal',
            name='filed_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='filed by'),
        ),
        migrations.AddField(
            model_name='historicalproposal',
            name='filed_on',
            field=models.DateField(blank=True, null=True, verbose_name='filed on (备案)'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='filed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='filed_proposals', to=settings.AUTH_USER_MODEL, verbose_name='filed by'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='filed_on',
            field=models.DateField(blank=True, null=True, verbose_name='filed on (备案)'),
        ),
    ]
