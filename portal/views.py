import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# Bump to drop every kept page on the phones (the worker deletes older caches).
SERVICE_WORKER_VERSION = "v1"
# Pages a trainee reads: courses and lessons, the case library (Wagtail page paths).
OFFLINE_PAGE_PREFIXES = ["/courses/", "/cases/"]


@require_GET
@login_required
def profile(request):
    return render(request, "portal/profile.html", {"person": request.user})


def placeholder(title):
    """A nav target whose feature has not landed yet: says so instead of a 404."""

    @require_GET
    @login_required
    def view(request):
        return render(request, "portal/placeholder.html", {"title": title})

    return view


@require_GET
def service_worker(request):
    """/sw.js at the site root, so its scope covers the trainee pages. Public: the browser
    fetches it on its own; it holds no data, only which paths to keep."""
    response = render(
        request,
        "portal/sw.js",
        {
            "version": SERVICE_WORKER_VERSION,
            "page_prefixes": json.dumps(OFFLINE_PAGE_PREFIXES),
            "static_prefix": static(""),
            "logout_path": reverse("account_logout"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
