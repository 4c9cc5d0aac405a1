"""Recompute the credit-hour summary (`ledger.CreditYear`) from the ledger.

    python manage.py rebuild_credit_summary

Run after writing entries other than through the ledger's services (fixtures, a restore,
a bulk import); day to day those services keep the summary equal to the ledger.
"""

import time

from django.core.management.base import BaseCommand

from ledger.summary import credit_summary_rebuild


class Command(BaseCommand):
    help = "Recompute the per-person, per-year credit-hour summary from the ledger."

    def handle(self, *args, **opts):
        start = time.monotonic()
        rows = credit_summary_rebuild()
        self.stdout.write(f"credit-hour summary: {rows} rows in {time.monotonic() - start:.1f} s")
