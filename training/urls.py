from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.my_classes, name="my_classes"),
    path("<int:pk>/", views.class_detail, name="class_detail"),
    path("<int:pk>/calendar.ics", views.class_calendar, name="class_calendar"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("sessions/<int:pk>/evaluate/", views.session_evaluate, name="session_evaluate"),
]
