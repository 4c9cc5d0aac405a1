from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning_view, name="my_learning"),
    path("search/", views.search_view, name="search"),
    path("heartbeat/", views.heartbeat_view, name="heartbeat"),
]
