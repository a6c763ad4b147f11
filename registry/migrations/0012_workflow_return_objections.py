"""The workflow's second round: return for revision, objections with their responses,
numbered announcements that keep a rename's old name, and the check result as a choice.

Rows written before it are filled in from what they already hold: an objection was
received on the day it was recorded, a proposal whose check found nothing passed, an
announcement's action is its proposal's, and a rename's old name is the name its
approval closed (the place's former name ending the day before the approval).
"""
import datetime
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def fill_in(apps, schema_editor):
    from django.utils import timezone

    Proposal = apps.get_model("registry", "Proposal")
    Objection = apps.get_model("registry", "Objection")
    Announcement = apps.get_model("registry", "Announcement")
    PlaceName = apps.get_model("registry", "PlaceName")
    Proposal.objects.filter(check_level="").update(check_level="ok")
    for objection in Objection.objects.all():
        objection.received_on = timezone.localdate(objection.at)
        objection.save(update_fields=["received_on"])
    for announcement in Announcement.objects.select_related("proposal"):
        announcement.action = announcement.proposal.action
        if announcement.action == "rename":
            closed = (announcement.approved_on - datetime.timedelta(days=1)).isoformat()
            former = PlaceName.objects.filter(place_id=announcement.place_id, kind="former", valid_to=closed).first()
            announcement.old_name = former.name if former else ""
        announcement.save(update_fields=["action", "old_name"])


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0011_unindexed_validity_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalObjection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('objector', models.CharField(blank=True, max_length=100, verbose_name='objector')),
                ('channel', models.CharField(choices=[('letter', 'Letter'), ('phone', 'Telephone'), ('email', 'E-mail'), ('in_person', 'In person'), ('online', 'Online message'), ('other', 'Other')], default='other', max_length=12, verbose_name='received by')),
                ('contact', models.CharField(blank=True, help_text='For the reply only; never shown publicly.', max_length=200, verbose_name='contact')),
                ('received_on', models.DateField(verbose_name='received on')),
                ('text', models.TextField(verbose_name='objection')),
                ('at', models.DateTimeField(blank=True, editable=False, verbose_name='at')),
                ('response', models.TextField(blank=True, verbose_name='response')),
                ('outcome', models.CharField(blank=True, choices=[('accepted', 'Accepted'), ('not_accepted', 'Not accepted')], max_length=12, verbose_name='outcome')),
                ('responded_at', models.DateTimeField(blank=True, null=True, verbose_name='responded at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'objection history',
                'verbose_name_plural': 'historical objections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='announcement',
            name='action',
            field=models.CharField(blank=True, choices=[('name', 'Name a new place'), ('rename', 'Rename'), ('retire', 'Retire'), ('list_heritage', 'List as heritage')], max_length=16, verbose_name='action'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='issued_on',
            field=models.DateField(blank=True, null=True, verbose_name='issued on'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='issuing_authority',
            field=models.CharField(blank=True, max_length=200, verbose_name='issued by'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='number',
            field=models.CharField(blank=True, max_length=60, verbose_name='announcement number'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='old_name',
            field=models.CharField(blank=True, max_length=100, verbose_name='former name'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='serial',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='serial'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year'),
        ),
        migrations.AddField(
            model_name='objection',
            name='channel',
            field=models.CharField(choices=[('letter', 'Letter'), ('phone', 'Telephone'), ('email', 'E-mail'), ('in_person', 'In person'), ('online', 'Online message'), ('other', 'Other')], default='other', max_length=12, verbose_name='received by'),
        ),
        migrations.AddField(
            model_name='objection',
            name='contact',
            field=models.CharField(blank=True, help_text='For the reply only; never shown publicly.', max_length=200, verbose_name='contact'),
        ),
        migrations.AddField(
            model_name='objection',
            name='objector',
            field=models.CharField(blank=True, max_length=100, verbose_name='objector'),
        ),
        migrations.AddField(
            model_name='objection',
            name='outcome',
            field=models.CharField(blank=True, choices=[('accepted', 'Accepted'), ('not_accepted', 'Not accepted')], max_length=12, verbose_name='outcome'),
        ),
        migrations.AddField(
            model_name='objection',
            name='received_on',
            field=models.DateField(default=datetime.date.today, verbose_name='received on'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='objection',
            name='responded_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='responded at'),
        ),
        migrations.AddField(
            model_name='objection',
            name='responded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='objection_responses', to=settings.AUTH_USER_MODEL, verbose_name='responded by'),
        ),
        migrations.AddField(
            model_name='objection',
            name='response',
            field=models.TextField(blank=True, verbose_name='response'),
        ),
        migrations.AlterField(
            model_name='historicalproposal',
            name='check_level',
            field=models.CharField(blank=True, choices=[('ok', 'Passed'), ('warning', 'Has warnings'), ('error', 'Has errors')], max_length=8, verbose_name='check result'),
        ),
        migrations.AlterField(
            model_name='historicalproposal',
            name='heritage',
            field=models.JSONField(blank=True, default=dict, help_text="For “list as heritage”: the listing's scheme, level and evidence.", verbose_name='heritage listing'),
        ),
        migrations.AlterField(
            model_name='proposal',
            name='check_level',
            field=models.CharField(blank=True, choices=[('ok', 'Passed'), ('warning', 'Has warnings'), ('error', 'Has errors')], max_length=8, verbose_name='check result'),
        ),
        migrations.AlterField(
            model_name='proposal',
            name='heritage',
            field=models.JSONField(blank=True, default=dict, help_text="For “list as heritage”: the listing's scheme, level and evidence.", verbose_name='heritage listing'),
        ),
        migrations.AlterField(
            model_name='proposalevent',
            name='transition',
            field=models.CharField(choices=[('draft', 'Draft the proposal'), ('update', 'Correct the draft'), ('submit', 'Submit'), ('start_review', 'Start review'), ('return_for_revision', 'Return for revision'), ('start_notice', 'Open public notice'), ('object', 'Record an objection'), ('respond', 'Answer an objection'), ('approve', 'Approve'), ('reject', 'Reject'), ('withdraw', 'Withdraw')], max_length=32, verbose_name='step'),
        ),
        migrations.AddConstraint(
            model_name='announcement',
            constraint=models.UniqueConstraint(fields=('year', 'serial'), name='announcement_year_serial'),
        ),
        migrations.AddField(
            model_name='historicalobjection',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalobjection',
            name='proposal',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.proposal', verbose_name='proposal'),
        ),
        migrations.AddField(
            model_name='historicalobjection',
            name='recorded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='historicalobjection',
            name='responded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='responded by'),
        ),
        # Last, after every schema change (PostgreSQL refuses ALTER TABLE with pending updates).
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
