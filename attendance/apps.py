from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from portal.selectors import register_home_section
        from training.selectors import register_evaluation_bar

        from .home import home_section
        from .selectors import sessions_missed

        register_home_section(35, home_section)
        register_evaluation_bar(sessions_missed)
