"""The credit-hour summary now belongs to the ledger (ledger 0008): forget the model here,
keep its table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_credit_year'),
        ('ledger', '0008_credit_year_from_reports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='CreditYear')],
        ),
    ]
