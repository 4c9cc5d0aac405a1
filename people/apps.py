from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # Imported here: apps.py is imported before the app registry is ready.
    from .services import roles_sync

    roles_sync()


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and org units")

    def ready(self):
        # Groups need the permissions every app creates, so sync once all have migrated.
        post_migrate.connect(_sync_roles, dispatch_uid="people.roles_sync")
        # Imported here: apps.py is imported before the app registry is ready.
        from lms import wagtail_chinese

        from . import signals, wagtail_account

        signals.connect()

        wagtail_account.apply()
        wagtail_chinese.apply()
