from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("sw.js", views.service_worker, name="service_worker"),
]
