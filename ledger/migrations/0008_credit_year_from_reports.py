"""The credit-hour summary (`CreditYear`) moves from the reports app to the ledger, whose
services now keep it up to date. Only Django's idea of the model moves: the table
`reports_credityear` and its rows stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0007_field_verbose_names'),
        ('reports', '0001_credit_year'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='CreditYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('in_person', models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name='in-person hours')),
                ('online', models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name='online hours')),
                ('self_selected', models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name='self-selected hours')),
                ('five_in_person', models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name='in-person hours in five years')),
                ('five_online', models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name='online hours in five years')),
                ('five_self_selected', models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name='self-selected hours in five years')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='credit_years', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'credit-hour summary',
                'verbose_name_plural': 'credit-hour summaries',
                'db_table': 'reports_credityear',
                'indexes': [models.Index(fields=['year', 'person'], name='reports_credityear_year')],
                'constraints': [models.UniqueConstraint(fields=('person', 'year'), name='one_credit_year_per_person')],
            },
        ),
            ],
        ),
    ]
