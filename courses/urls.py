from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.views import placeholder

app_name = "courses"
urlpatterns = [
    path("", placeholder(_("My learning")), name="my_learning"),
]
