from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from portal.selectors import register_home_section

        from .home import home_section

        register_home_section(35, home_section)
