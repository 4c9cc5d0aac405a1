"""The author's corner of the admin home: pages a reviewer sent back, with the comment."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, WorkflowState

from lms.admin_home import ViewerPanel


class SentBackPanel(ViewerPanel):
    name = "pages_sent_back"
    template_name = "courses/admin/home_panel.html"
    order = 105

    def get_context_data(self, parent_context=None):
        states = list(
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_NEEDS_CHANGES,
                requested_by=self.viewer,
                base_content_type=ContentType.objects.get_for_model(Page),
            )
            .select_related("current_task_state__finished_by")
            .order_by("-created_at")[:20]
        )
        pages = Page.objects.in_bulk([int(s.object_id) for s in states])
        return {
            "sent_back": [
                (pages[int(s.object_id)], s.current_task_state)
                for s in states
                if int(s.object_id) in pages
            ]
        }
