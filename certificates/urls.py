from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.views import placeholder

app_name = "certificates"
urlpatterns = [
    path("", placeholder(_("My certificates")), name="my_certificates"),
]
