"""The organiser's corner of the admin home: classes that have ended and wait to be closed."""

from django.db.models import Q
from django.utils import timezone

from lms.admin_home import ViewerPanel
from training.models import TrainingClass

from .selectors import class_list_for_organiser


class ClassesToClosePanel(ViewerPanel):
    name = "classes_to_close"
    template_name = "certificates/admin/home_panel.html"
    order = 120

    def get_context_data(self, parent_context=None):
        S = TrainingClass.Status
        over = Q(status=S.ENDED) | Q(
            status__in=[S.ENROLLING, S.RUNNING], end_date__lt=timezone.localdate()
        )
        return {
            "classes": list(
                class_list_for_organiser(viewer=self.viewer)
                .filter(over)
                .select_related("organising_unit")
                .order_by("end_date")[:20]
            )
        }
