from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning_view, name="my_learning"),
    path("search/", views.search_view, name="search"),
    path("heartbeat/", views.heartbeat_view, name="heartbeat"),
    path("electives/", views.elective_catalogue_view, name="electives"),
    path("electives/<int:pk>/enrol/", views.self_enrol_view, name="self_enrol"),
]
