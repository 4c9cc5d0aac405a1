from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("quiz/<int:pk>/", views.quiz_detail, name="quiz_detail"),
    path("quiz/<int:pk>/start/", views.attempt_start, name="attempt_start"),
    path("attempt/<int:pk>/", views.attempt_take, name="attempt_take"),
    path("attempt/<int:pk>/answer/", views.attempt_answer, name="attempt_answer"),
    path("attempt/<int:pk>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempt/<int:pk>/result/", views.attempt_result, name="attempt_result"),
    path("assignment/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("submission/<int:pk>/file/", views.submission_file, name="submission_file"),
]
