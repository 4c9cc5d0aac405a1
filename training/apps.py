from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training classes")

    def ready(self):
        from portal.selectors import register_home_section

        from .home import notices_section, today_section

        register_home_section(14, notices_section)
        register_home_section(12, today_section)
