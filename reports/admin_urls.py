from django.urls import path

from . import views

app_name = "reports_admin"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("coverage/people/", views.MissingListView.as_view(), name="missing"),
    path("classes/", views.ClassListView.as_view(), name="classes"),
    path("classes/<int:pk>/", views.ClassReportView.as_view(), name="class"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
]
