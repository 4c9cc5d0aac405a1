"""The class adviser's corner of the admin home: today's sessions and leave to decide."""

from django.utils import timezone

from lms.admin_home import ViewerPanel
from training.models import ClassSession, TrainingClass

from . import selectors
from .models import LeaveRequest


class TodayPanel(ViewerPanel):
    name = "attendance_today"
    template_name = "attendance/admin/home_panel.html"
    order = 100

    def get_context_data(self, parent_context=None):
        classes = selectors.runnable_class_list(viewer=self.viewer)
        return {
            "sessions": list(
                ClassSession.objects.filter(training_class__in=classes, date=timezone.localdate())
                .select_related("training_class")
                .order_by("starts_at")[:20]
            ),
            "pending_leave": selectors.leave_list_for_staff(viewer=self.viewer)
            .filter(status=LeaveRequest.Status.PENDING)
            .count(),
            "at_risk": self._at_risk(classes),
        }

    @staticmethod
    def _at_risk(classes) -> list[tuple[TrainingClass, int]]:
        """Classes not yet closed with trainees past the leave cap or the 旷课 limit (four
        queries a class; the ten that started last)."""
        out = []
        live = classes.exclude(status=TrainingClass.Status.CLOSED).order_by("-start_date")
        for klass in live[:10]:
            summaries = selectors.class_attendance_summary(training_class=klass)
            count = sum(1 for s in summaries.values() if s.at_risk)
            if count:
                out.append((klass, count))
        return out
