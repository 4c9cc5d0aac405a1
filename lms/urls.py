from django.conf import settings
from django.urls import include, path
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
    path("assessments/", include("assessments.urls")),
    path("classes/", include("training.urls")),
    path("attendance/", include("attendance.urls")),
    path("certificates/", include("certificates.urls")),
    path("ledger/", include("ledger.urls")),
    path("reports/", include("reports.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
