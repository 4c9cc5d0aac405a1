"""待审核: every page waiting for the viewer's approval, the full list behind the admin
home's panel. Approving or sending back happens on the page's own edit screen."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .selectors_home import approvals_waiting


@require_GET
def approval_list(request):
    page = Paginator(approvals_waiting(viewer=request.user), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "courses/admin/approvals.html",
        {
            "page_title": _("Approvals waiting"),
            "header_icon": "tasks",
            "page_obj": page,
            "states": page.object_list,
        },
    )


app_name = "courses_approvals"
urlpatterns = [path("", approval_list, name="list")]
