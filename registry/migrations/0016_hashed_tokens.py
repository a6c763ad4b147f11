"""Hashed, expiring API tokens replace rest_framework.authtoken; the throttle's shared cache table.

Old plain tokens (``authtoken_token``, if the database has it) are not thrown away: a
key is a random secret, so its SHA-256 is as good as one issued now. Each becomes a
hashed token valid for REGISTRY_TOKEN_DAYS days from this migration, so other
departments' systems keep working and then have to log in again; the plain keys are
then deleted from ``authtoken_token`` (the table itself belongs to an app that is no
longer installed and is left, empty). The cache table (``registry_cache``, settings'
DatabaseCache) is created here so that ``migrate`` is the only set-up step.
"""
import hashlib
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def hash_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("registry", "ApiToken")
    now = django.utils.timezone.now()
    expires = now + timedelta(days=int(getattr(settings, "REGISTRY_TOKEN_DAYS", 30)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()

    def issued(created):
        if not isinstance(created, datetime):  # NULL, or text from a driver that does not parse it
            return now
        if django.utils.timezone.is_naive(created):  # stored in UTC (USE_TZ)
            return django.utils.timezone.make_aware(created, dt_timezone.utc)
        return created

    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, key_hash=hashlib.sha256(key.encode("utf-8")).hexdigest(), prefix=key[:8],
                 name="rest_framework.authtoken", created_at=issued(created), expires_at=expires)
        for key, user_id, created in rows
    ], ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


def create_cache_table(apps, schema_editor):
    from django.core.management import call_command

    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0015_chinese_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='key hash (SHA-256)')),
                ('prefix', models.CharField(editable=False, help_text='The first characters of the key, to tell tokens apart.', max_length=8, verbose_name='key prefix')),
                ('name', models.CharField(blank=True, help_text="Who or what uses this token, e.g. the mapping department's system.", max_length=100, verbose_name='purpose')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='issued at')),
                ('expires_at', models.DateTimeField(db_index=True, verbose_name='expires at')),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last used at')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked at')),
                ('revoked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalApiToken',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key_hash', models.CharField(db_index=True, editable=False, max_length=64, verbose_name='key hash (SHA-256)')),
                ('prefix', models.CharField(editable=False, help_text='The first characters of the key, to tell tokens apart.', max_length=8, verbose_name='key prefix')),
                ('name', models.CharField(blank=True, help_text="Who or what uses this token, e.g. the mapping department's system.", max_length=100, verbose_name='purpose')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='issued at')),
                ('expires_at', models.DateTimeField(db_index=True, verbose_name='expires at')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revoked_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token history',
                'verbose_name_plural': 'API token history',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(hash_plain_tokens, migrations.RunPython.noop),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
