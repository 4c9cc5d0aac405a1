from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoadtestConfig(AppConfig):
    name = "loadtest"
    verbose_name = _("Load tests")
