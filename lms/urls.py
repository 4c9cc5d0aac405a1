import posixpath
import re

from django.conf import settings
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from people import views as people_views

urlpatterns = [
    # Before Wagtail's own login views, which would take a password without allauth's
    # throttle (people/views.py).
    path("admin/login/", people_views.admin_login, name="admin_login"),
    path("_util/login/", people_views.frontend_login, name="frontend_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("learning/", include("courses.urls")),
    path("lectures/", include("lectures.urls")),
    path("assessments/", include("assessments.urls")),
    path("classes/", include("training.urls")),
    path("attendance/", include("attendance.urls")),
    path("certificates/", include("certificates.urls")),
    path("ledger/", include("ledger.urls")),
    path("ledger/declarations/", include("declarations.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("portal.urls")),
]


def media_serve(request, path):
    """The development server's MEDIA_URL, less the documents: those are under
    MEDIA_ROOT but only /documents/<id>/<file> may hand them out, after its permission
    check (deploy/nginx-lms.conf refuses them the same way). The path is normalised
    first, as serve() does, so `x/../documents/` is refused too."""
    if posixpath.normpath(path).lstrip("/").split("/")[0] == "documents":
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG:
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", media_serve)]

# Wagtail serves every other path from the page tree; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
