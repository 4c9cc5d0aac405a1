from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        try:  # attendance is optional for this app (see completion.class_summaries)
            from attendance.selectors import register_official_leave_rule
        except ImportError:
            return
        register_official_leave_rule(official_leave_excused)


def official_leave_excused(training_class) -> bool | None:
    """The class's completion rule says whether 公假 counts towards the leave cap; read
    without creating the rule (a read never writes). None: no rule yet, the default."""
    from .models import CompletionRule

    return (
        CompletionRule.objects.filter(training_class=training_class)
        .values_list("official_leave_excused", flat=True)
        .first()
    )
