"""The class adviser's corner of the admin home: today's sessions and leave to decide."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from training.models import ClassSession

from . import selectors
from .models import LeaveRequest


class TodayPanel(Component):
    name = "attendance_today"
    template_name = "attendance/admin/home_panel.html"
    order = 100

    def __init__(self, viewer):
        self.viewer = viewer

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
        }
