"""Trainee-facing views: 我的学习, the lesson page with its study clock, heartbeats, search."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from lms.errors import DomainError

from . import services
from .lesson_body import lesson_body_parts
from .models import CoursePage
from .selectors import (
    elective_catalogue,
    is_staff_reader,
    lesson_course,
    lesson_navigation,
    my_learning,
    site_search,
)


@require_GET
@login_required
def my_learning_view(request):
    return TemplateResponse(request, "courses/my_learning.html", my_learning(trainee=request.user))


@require_GET
@login_required
def elective_catalogue_view(request):
    """自主选学: the courses any trainee may take, by theme, with their 学时."""
    return TemplateResponse(
        request,
        "courses/elective_catalogue.html",
        {"shelves": elective_catalogue(trainee=request.user)},
    )


@require_POST
@login_required
def self_enrol_view(request, pk: int):
    course = CoursePage.objects.live().filter(pk=pk, self_selectable=True).first()
    if course is None:
        raise Http404
    try:
        _enrolment, created = services.course_self_enrol(trainee=request.user, course=course)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("courses:electives")
    if created:
        messages.success(
            request,
            gettext("Enrolled in %(title)s. It is now in My learning.") % {"title": course.title},
        )
    return redirect(course.url)


@require_GET
@login_required
def search_view(request):
    query = request.GET.get("q", "").strip()[:100]
    context = {"query": query, **site_search(viewer=request.user, query=query)}
    return TemplateResponse(request, "courses/search.html", context)


def lesson_serve(lesson, request, *, preview: bool = False):
    """Serve a lesson: trainees get a study token and the clock, staff read it as is.

    In preview (Wagtail admin, whose permission checks already ran) nothing is recorded.
    """
    course = lesson_course(lesson=lesson, viewer=request.user)
    assigned = not preview and course.is_assigned
    if not preview and not assigned and not is_staff_reader(request.user):
        raise PermissionDenied
    study_view = None
    if assigned:
        study_view = services.study_view_open(trainee=request.user, lesson=lesson, course=course)
    navigation = lesson_navigation(lesson=lesson, course=course)
    progress = study_view.lesson_progress if study_view is not None else None
    context = lesson.get_context(request)
    context.update(
        {
            "course": course,
            "body_parts": lesson_body_parts(lesson),
            "previous_lesson": navigation.previous,
            "next_lesson": navigation.next,
            "progress": progress,
            "study_view": study_view,
            "heartbeat_interval": services.heartbeat_interval_seconds(),
            "idle_prompt_seconds": services.idle_prompt_seconds(),
            "study_strings": {
                "studied": gettext("Studied %(minutes)s min %(seconds)s s"),
                "completed": gettext("Lesson completed"),
                "course_completed": gettext("Course completed: credit hours recorded"),
                "expired": gettext("Reload the page to keep recording study time."),
                "offline": gettext(
                    "Offline copy: you can read it, but study time is recorded only online."
                ),
            },
        }
    )
    return TemplateResponse(request, lesson.get_template(request), context)


@require_POST
@login_required
def heartbeat_view(request):
    """POST token=<study view token>&seq=<n>[&resumed=1]. Durations from the client are ignored.

    At most COURSES_HEARTBEAT_RATE_PER_MINUTE beats a minute per trainee (429 past it),
    counted by the service on the trainee's study clock.
    """
    try:
        token = uuid.UUID(request.POST.get("token", ""))
        seq = int(request.POST.get("seq", ""))
        if not 0 < seq < 1_000_000:
            raise ValueError
    except ValueError:
        return JsonResponse({"ok": False, "code": "bad_request"}, status=400)
    try:
        result = services.heartbeat_record(
            trainee=request.user,
            token=token,
            seq=seq,
            resumed=request.POST.get("resumed") == "1",
        )
    except services.HeartbeatRateLimited as error:
        return JsonResponse({"ok": False, "code": error.code, "message": str(error)}, status=429)
    except services.HeartbeatRejected as error:
        return JsonResponse({"ok": False, "code": error.code, "message": str(error)}, status=403)
    return JsonResponse(
        {
            "ok": True,
            "credited": result.credited,
            "duplicate": result.duplicate,
            "lesson_seconds": result.lesson_seconds,
            "lesson_complete": result.lesson_complete,
            "course_complete": result.course_complete,
        }
    )
