"""The grader's corner of the admin home: work waiting to be graded, by quiz and assignment."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.admin_home import PANEL_ROWS, ViewerPanel

from .selectors_home import grading_waiting


class GradingPanel(ViewerPanel):
    name = "grading_waiting"
    template_name = "assessments/admin/home_panel.html"
    order = 110
    icon = "edit"
    heading = _("Grading queue")
    empty = _("Nothing is waiting for your grading.")
    full_label = _("Open the grading queue")

    def full_url(self):
        return reverse("assessments_admin:grading_queue")

    def rows(self):
        items, answers, submissions = grading_waiting(viewer=self.viewer)
        return {
            "items": items[:PANEL_ROWS],
            "total": len(items),
            "answers": answers,
            "submissions": submissions,
        }
