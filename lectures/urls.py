from django.urls import path

from . import views

app_name = "lectures"
urlpatterns = [
    path("stream/<str:token>/<str:name>", views.stream_view, name="stream"),
    path("watch/start/", views.watch_start_view, name="watch_start"),
    path("watch/beat/", views.watch_beat_view, name="watch_beat"),
]
