from django.urls import path

from .views import display, trainee

app_name = "attendance"
urlpatterns = [
    path("", trainee.my_attendance, name="my_attendance"),
    path("checkin/<int:session_pk>/", trainee.checkin, name="checkin"),
    path("display/<int:session_pk>/", display.display, name="display"),
    path("display/<int:session_pk>/feed/", display.display_feed, name="display_feed"),
    path("leave/new/<int:class_pk>/", trainee.leave_create, name="leave_create"),
    path("leave/<int:pk>/", trainee.leave_detail, name="leave_detail"),
    path("leave/<int:pk>/withdraw/", trainee.leave_withdraw, name="leave_withdraw"),
    path("leave/<int:pk>/report-back/", trainee.leave_report_back, name="leave_report_back"),
    path("leave/<int:pk>/attachment/", trainee.leave_attachment, name="leave_attachment"),
]
