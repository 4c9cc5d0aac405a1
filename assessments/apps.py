from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from portal.selectors import register_home_section

        from .home import home_section

        register_home_section(50, home_section)
