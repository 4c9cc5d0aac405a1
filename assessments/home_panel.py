"""The instructor's corner of the admin home: work waiting to be graded."""

from lms.admin_home import ViewerPanel

from .selectors import grading_queue_answers, grading_queue_submissions


class GradingPanel(ViewerPanel):
    name = "grading_waiting"
    template_name = "assessments/admin/home_panel.html"
    order = 110

    def get_context_data(self, parent_context=None):
        return {
            "answers": grading_queue_answers(viewer=self.viewer).count(),
            "submissions": grading_queue_submissions(viewer=self.viewer).count(),
        }
