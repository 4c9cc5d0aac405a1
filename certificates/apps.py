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


def official_leave_excused(classes) -> dict[int, bool]:
    """Each class's completion rule says whether 公假 counts towards the leave cap; read
    without creating rules (a read never writes). A class with no rule yet is left out:
    the default applies."""
    from .models import CompletionRule

    return dict(
        CompletionRule.objects.filter(training_class__in=[k.pk for k in classes]).values_list(
            "training_class_id", "official_leave_excused"
        )
    )
