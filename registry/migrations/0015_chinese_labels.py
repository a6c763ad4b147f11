"""Chinese labels: verbose names for the code counters, revision counters, derived keys and history models.

Only labels change (the admin index listed "Code counters", history pages "Historical 地名"); no column changes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0013_import_records'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='historicalobjection',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'objection history', 'verbose_name_plural': 'objection history'},
        ),
        migrations.AlterModelOptions(
            name='codecounter',
            options={'verbose_name': 'code counter', 'verbose_name_plural': 'code counters'},
        ),
        migrations.AlterModelOptions(
            name='historicalallowlistentry',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'allow-list history', 'verbose_name_plural': 'allow-list history'},
        ),
        migrations.AlterModelOptions(
            name='historicalheritagelisting',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'heritage listing history', 'verbose_name_plural': 'heritage listing history'},
        ),
        migrations.AlterModelOptions(
            name='historicalplace',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'place history', 'verbose_name_plural': 'place history'},
        ),
        migrations.AlterModelOptions(
            name='historicalplacename',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'name history', 'verbose_name_plural': 'name history'},
        ),
        migrations.AlterModelOptions(
            name='historicalproposal',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'proposal history', 'verbose_name_plural': 'proposal history'},
        ),
        migrations.AlterModelOptions(
            name='historicalwordlistentry',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'word list history', 'verbose_name_plural': 'word list history'},
        ),
        migrations.AlterField(
            model_name='codecounter',
            name='last',
            field=models.PositiveIntegerField(default=0, verbose_name='last serial'),
        ),
        migrations.AlterField(
            model_name='codecounter',
            name='prefix',
            field=models.CharField(max_length=16, primary_key=True, serialize=False, verbose_name='code prefix'),
        ),
        migrations.AlterField(
            model_name='historicalplacename',
            name='valid_from_key',
            field=models.IntegerField(blank=True, editable=False, null=True, verbose_name='valid from (day key)'),
        ),
        migrations.AlterField(
            model_name='historicalplacename',
            name='valid_to_key',
            field=models.IntegerField(blank=True, editable=False, null=True, verbose_name='valid to (day key)'),
        ),
        migrations.AlterField(
            model_name='place',
            name='revision',
            field=models.BigIntegerField(db_index=True, default=0, editable=False, verbose_name='revision'),
        ),
        migrations.AlterField(
            model_name='placename',
            name='revision',
            field=models.BigIntegerField(db_index=True, default=0, editable=False, verbose_name='revision'),
        ),
        migrations.AlterField(
            model_name='placename',
            name='valid_from_key',
            field=models.IntegerField(blank=True, editable=False, null=True, verbose_name='valid from (day key)'),
        ),
        migrations.AlterField(
            model_name='placename',
            name='valid_to_key',
            field=models.IntegerField(blank=True, editable=False, null=True, verbose_name='valid to (day key)'),
        ),
        migrations.AlterField(
            model_name='revision',
            name='name',
            field=models.CharField(max_length=20, primary_key=True, serialize=False, verbose_name='counter'),
        ),
        migrations.AlterField(
            model_name='revision',
            name='value',
            field=models.BigIntegerField(default=0, verbose_name='value'),
        ),
    ]
