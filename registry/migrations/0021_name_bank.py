"""The name bank (地名储备库): vetted names kept for future use, with its history, and who keeps it.

Clerks and reviewers enter and edit bank entries (the naming office prepares names with
the planners); approvers read them. Permissions are created here to be granted, since
Django creates them only after the last migration.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

KEEP = ["view_namebankentry", "add_namebankentry", "change_namebankentry"]
GRANTS = {"clerk": KEEP, "reviewer": KEEP, "approver": ["view_namebankentry"]}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="registry", codename__in=codenames))


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0020_rounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalNameBankEntry',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('pinyin', models.CharField(blank=True, help_text='Empty: the standard pinyin is filled in.', max_length=300, verbose_name='pinyin')),
                ('category', models.CharField(choices=[('road', 'Road or street'), ('water', 'Water'), ('bridge', 'Bridge'), ('building', 'Building'), ('residential', 'Residential area'), ('town', 'Town or street office'), ('village', 'Village or community')], max_length=12, verbose_name='category')),
                ('series', models.CharField(blank=True, db_index=True, help_text='e.g. 经纬路网, 紫云系列: names prepared together.', max_length=100, verbose_name='theme or series')),
                ('reserved_for', models.CharField(blank=True, help_text='A project, road or developer the name is set aside for; empty: free for any proposal.', max_length=200, verbose_name='reserved for')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='expires on')),
                ('source', models.CharField(help_text='Where the name came from: a plan, a list, a document (required).', max_length=300, verbose_name='source')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('status', models.CharField(choices=[('available', 'Available'), ('reserved', 'Reserved'), ('used', 'Used'), ('expired', 'Expired'), ('flagged', 'Flagged')], db_index=True, default='available', max_length=10, verbose_name='status')),
                ('name_key', models.CharField(blank=True, db_index=True, editable=False, max_length=100, verbose_name='comparison key')),
                ('findings', models.JSONField(blank=True, default=list, editable=False, verbose_name='findings at last check')),
                ('finding_level', models.CharField(blank=True, editable=False, max_length=8, verbose_name='findings')),
                ('checked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last checked')),
                ('override_reason', models.TextField(blank=True, help_text='Only when the name check finds an error and the name is kept all the same.', verbose_name='reason for keeping despite errors')),
                ('accepted_rules', models.CharField(blank=True, editable=False, max_length=300, verbose_name='accepted error rules')),
                ('used_for', models.CharField(blank=True, editable=False, max_length=200, verbose_name='used for')),
                ('used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='used at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('division', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.division', verbose_name='intended division')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'name bank history',
                'verbose_name_plural': 'name bank history',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='NameBankEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('pinyin', models.CharField(blank=True, help_text='Empty: the standard pinyin is filled in.', max_length=300, verbose_name='pinyin')),
                ('category', models.CharField(choices=[('road', 'Road or street'), ('water', 'Water'), ('bridge', 'Bridge'), ('building', 'Building'), ('residential', 'Residential area'), ('town', 'Town or street office'), ('village', 'Village or community')], max_length=12, verbose_name='category')),
                ('series', models.CharField(blank=True, db_index=True, help_text='e.g. 经纬路网, 紫云系列: names prepared together.', max_length=100, verbose_name='theme or series')),
                ('reserved_for', models.CharField(blank=True, help_text='A project, road or developer the name is set aside for; empty: free for any proposal.', max_length=200, verbose_name='reserved for')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='expires on')),
                ('source', models.CharField(help_text='Where the name came from: a plan, a list, a document (required).', max_length=300, verbose_name='source')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('status', models.CharField(choices=[('available', 'Available'), ('reserved', 'Reserved'), ('used', 'Used'), ('expired', 'Expired'), ('flagged', 'Flagged')], db_index=True, default='available', max_length=10, verbose_name='status')),
                ('name_key', models.CharField(blank=True, db_index=True, editable=False, max_length=100, verbose_name='comparison key')),
                ('findings', models.JSONField(blank=True, default=list, editable=False, verbose_name='findings at last check')),
                ('finding_level', models.CharField(blank=True, editable=False, max_length=8, verbose_name='findings')),
                ('checked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last checked')),
                ('override_reason', models.TextField(blank=True, help_text='Only when the name check finds an error and the name is kept all the same.', verbose_name='reason for keeping despite errors')),
                ('accepted_rules', models.CharField(blank=True, editable=False, max_length=300, verbose_name='accepted error rules')),
                ('used_for', models.CharField(blank=True, editable=False, max_length=200, verbose_name='used for')),
                ('used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='used at')),
                ('division', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='bank_entries', to='registry.division', verbose_name='intended division')),
            ],
            options={
                'verbose_name': 'name bank entry',
                'verbose_name_plural': 'name bank',
                'ordering': ['series', 'name', 'pk'],
                'indexes': [models.Index(fields=['status', 'category'], name='bank_status_category')],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
