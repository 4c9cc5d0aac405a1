from django.urls import path

from . import admin_views as v

app_name = "courses_admin"
urlpatterns = [
    path("classes/", v.ClassListView.as_view(), name="class_list"),
    path(
        "classes/results/",
        v.ClassListView.as_view(results_only=True),
        name="class_list_results",
    ),
    path("classes/<int:pk>/", v.class_courses, name="class_courses"),
    path("classes/<int:pk>/add/", v.class_course_add, name="class_course_add"),
    path(
        "classes/<int:pk>/<int:course_pk>/terms/",
        v.class_course_terms,
        name="class_course_terms",
    ),
    path(
        "classes/<int:pk>/<int:course_pk>/remove/",
        v.class_course_remove,
        name="class_course_remove",
    ),
    path(
        "classes/<int:pk>/<int:course_pk>/progress/",
        v.class_course_progress,
        name="class_course_progress",
    ),
    path(
        "classes/<int:pk>/<int:course_pk>/progress.xlsx",
        v.class_course_export,
        name="class_course_export",
    ),
    path("courses/", v.CourseListView.as_view(), name="course_list"),
    path(
        "courses/results/",
        v.CourseListView.as_view(results_only=True),
        name="course_list_results",
    ),
    path("courses/<int:pk>/", v.course_progress, name="course_progress"),
    path("courses/<int:pk>/enrol/", v.course_enrol, name="course_enrol"),
    path("courses/<int:pk>/<int:user_pk>/unenrol/", v.course_unenrol, name="course_unenrol"),
    path("courses/<int:pk>/progress.xlsx", v.course_export, name="course_export"),
]
