"""Recompute the credit-hour summary (`reports.CreditYear`) from the ledger.

    python manage.py rebuild_credit_summary

Run after loading entries in bulk (fixtures, a restore, an import that skips model
signals); day to day the summary follows each saved or deleted entry by itself.
"""

import time

from django.core.management.base import BaseCommand

from reports.summary import credit_summary_rebuild


class Command(BaseCommand):
    help = "Recompute the per-person, per-year credit-hour summary from the ledger."

    def handle(self, *args, **opts):
        start = time.monotonic()
        rows = credit_summary_rebuild()
        self.stdout.write(f"credit-hour summary: {rows} rows in {time.monotonic() - start:.1f} s")
