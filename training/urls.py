from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.views import placeholder

app_name = "training"
urlpatterns = [
    path("", placeholder(_("My classes")), name="my_classes"),
]
