"""Import records (each completed import: the file's SHA-256, who, when, counts) and who may export.

Schema and the grant of its permissions together, since the grant only concerns the
permissions this migration creates: ``registry.export_registry`` (a full export is a
copy of the whole registry) goes to reviewers and approvers, who answer for the
registry's content; clerks import and edit but do not take the whole registry away.
Every role may read the import records (``view_importrecord``).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {
    "clerk": ["view_importrecord"],
    "reviewer": ["view_importrecord", "export_registry"],
    "approver": ["view_importrecord", "export_registry"],
}


def grant(apps, schema_editor):
    # Django creates permissions only after the last migration: create them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="registry", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="registry",
                              codename__in=["view_importrecord", "export_registry"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0012_workflow_return_objections'),
        ('registry', '0007_workflow_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256 of the file')),
                ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                ('kind', models.CharField(choices=[('places', 'places'), ('heritage', 'heritage listings')], default='places', max_length=10, verbose_name='records')),
                ('format', models.CharField(blank=True, max_length=10, verbose_name='format')),
                ('size', models.BigIntegerField(default=0, verbose_name='size (bytes)')),
                ('imported_by_name', models.CharField(blank=True, max_length=150, verbose_name='imported by (name)')),
                ('imported_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='imported at')),
                ('via', models.CharField(choices=[('admin', 'admin form'), ('command', 'command')], max_length=10, verbose_name='imported through')),
                ('update', models.BooleanField(default=False, verbose_name='update existing')),
                ('legacy', models.BooleanField(default=False, verbose_name='legacy names recorded')),
                ('repeat_allowed', models.BooleanField(default=False, verbose_name='repeat allowed')),
                ('rows', models.IntegerField(default=0, verbose_name='rows')),
                ('created', models.IntegerField(default=0, verbose_name='created')),
                ('updated', models.IntegerField(default=0, verbose_name='updated')),
                ('unchanged', models.IntegerField(default=0, verbose_name='unchanged')),
                ('findings', models.JSONField(blank=True, default=dict, verbose_name='name check (counts per rule)')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
            ],
            options={
                'verbose_name': 'import record',
                'verbose_name_plural': 'import records',
                'ordering': ['-imported_at', '-id'],
                'permissions': [('export_registry', 'Can export the whole registry')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
