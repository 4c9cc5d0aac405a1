"""The admin home's workflow panels: an author's pages sent back with the reviewer's
comment, and a reviewer's pages waiting for approval."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.admin_home import ViewerPanel, first_rows

from . import selectors_home


class SentBackPanel(ViewerPanel):
    name = "pages_sent_back"
    template_name = "courses/admin/home_sent_back.html"
    order = 105
    icon = "edit"
    heading = _("Sent back for changes")
    empty = _("No page of yours was sent back.")

    def rows(self):
        items, total = selectors_home.pages_sent_back(viewer=self.viewer)
        return {"items": items, "total": total}


class ApprovalsPanel(ViewerPanel):
    name = "approvals_waiting"
    template_name = "courses/admin/home_approvals.html"
    order = 125
    icon = "tasks"
    heading = _("Approvals waiting")
    empty = _("No page is waiting for your approval.")
    full_label = _("All pages waiting")

    def full_url(self):
        return reverse("courses_approvals:list")

    def rows(self):
        items, total = first_rows(selectors_home.approvals_waiting(viewer=self.viewer))
        return {"items": items, "total": total}
