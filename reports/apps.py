from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from ledger.models import CreditEntry

        from . import summary

        # The credit-hour summary follows every ledger entry saved or deleted.
        pre_save.connect(summary.credit_entry_saving, sender=CreditEntry, dispatch_uid="reports")
        post_save.connect(summary.credit_entry_saved, sender=CreditEntry, dispatch_uid="reports")
        post_delete.connect(
            summary.credit_entry_deleted, sender=CreditEntry, dispatch_uid="reports"
        )
