"""The gradebooks' admin screens: the index of classes and courses, and a course's
gradebook with its export. A class's gradebook is assessments' own (assessments_admin)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from assessments.admin_views import gradebook_workbook
from assessments.selectors import is_assessment_staff, is_grader
from training.selectors import class_list_for_staff

from .gradebook import course_pages_with_assessments, gradebook_for_course


def _require_staff(request):
    if not is_assessment_staff(request.user):
        raise PermissionDenied


@require_GET
def gradebook_index(request):
    _require_staff(request)
    return render(
        request,
        "courses/admin/gradebook_index.html",
        {
            "classes": class_list_for_staff(viewer=request.user).order_by("-start_date"),
            "courses": course_pages_with_assessments(viewer=request.user),
        },
    )


@require_GET
def gradebook_course(request, pk):
    _require_staff(request)
    book = gradebook_for_course(viewer=request.user, page_id=pk)
    return render(
        request,
        "assessments/admin/gradebook.html",
        {
            "book": book,
            "export_url": reverse("gradebooks:course_export", args=[pk]),
            # Advisers read the gradebook; only graders get a link into grading.
            "can_grade": is_grader(request.user),
        },
    )


@require_GET
def gradebook_course_export(request, pk):
    _require_staff(request)
    book = gradebook_for_course(viewer=request.user, page_id=pk)
    return gradebook_workbook(book).response(f"{book.title}-成绩册.xlsx")


app_name = "gradebooks"
urlpatterns = [
    path("", gradebook_index, name="index"),
    path("course/<int:pk>/", gradebook_course, name="course"),
    path("course/<int:pk>/export.xlsx", gradebook_course_export, name="course_export"),
]
