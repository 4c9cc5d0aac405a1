"""待审核: every page waiting for the viewer's approval, the full list behind the admin
home's panel: Wagtail's listing (pagination) over `approvals_waiting`. Approving or
sending back happens on the page's own edit screen."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.models import TaskState

from .selectors_home import approvals_waiting


def _requested_by(state) -> str:
    who = state.workflow_state.requested_by
    return (who.get_full_name() or str(who)) if who else ""


class ApprovalIndexView(generic.IndexView):
    model = TaskState
    # Any staff member may open it: it holds only what they may review (the selector).
    permission_policy = None
    any_permission_required = None
    page_title = gettext_lazy("Approvals waiting")
    header_icon = "tasks"
    template_name = "courses/admin/approvals.html"
    index_url_name = "courses_approvals:list"
    index_results_url_name = "courses_approvals:list_results"
    paginate_by = 50
    no_results_message = gettext_lazy("No page is waiting for your approval.")
    list_display = [
        TitleColumn(
            "page_title",
            label=gettext_lazy("Page"),
            get_url=lambda state: reverse("wagtailadmin_pages:edit", args=[state.page_id]),
        ),
        Column("requested_by", label=gettext_lazy("Submitted by"), accessor=_requested_by),
        DateColumn("started_at", label=gettext_lazy("Submitted at")),
        Column("task", label=gettext_lazy("Review task"), accessor="task.name"),
    ]

    def get_base_queryset(self):
        return approvals_waiting(viewer=self.request.user)


app_name = "courses_approvals"
urlpatterns = [
    path("", ApprovalIndexView.as_view(), name="list"),
    path("results/", ApprovalIndexView.as_view(results_only=True), name="list_results"),
]
