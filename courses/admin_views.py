"""Organisers' screens in the Wagtail admin: a class's online courses, a course's trainees.

Classes are found through `training.selectors` (another county's class is a 404, not a
form); changes go through `services_assignment`, whose domain errors become messages.
Advisers and instructors of a class see its courses read-only; the course-wide screens
(individual enrolment, progress across the organiser's units) are for organisers.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from lms.errors import DomainError
from lms.spreadsheets import Book
from people.selectors import person_list
from training.admin_classes import DatesColumn
from training.models import TrainingClass
from training.selectors import (
    can_manage_class,
    can_run_class,
    class_get_for_staff,
    class_list_for_staff,
)

from . import selectors_assignment as sel
from . import services_assignment as services
from .forms import ClassCourseAddForm, ClassCourseTermsForm
from .models import CourseEnrolment, CoursePage
from .selectors import is_staff_reader


def _require_staff(request) -> None:
    if not is_staff_reader(request.user):
        raise DjangoPermissionDenied


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


# ---------------------------------------------------------------------------------------
# Classes


class ClassListView(generic.IndexView):
    """The classes the viewer works on, each leading to its online courses: Wagtail's
    listing (search by name or class code, pagination) over `class_list_for_staff`."""

    model = TrainingClass
    # Whoever reads courses (staff) lists the classes they work on: asked in dispatch.
    permission_policy = None
    any_permission_required = None
    page_title = gettext_lazy("Courses of classes")
    header_icon = "group"
    index_url_name = "courses_admin:class_list"
    index_results_url_name = "courses_admin:class_list_results"
    search_fields = ["name", "code"]
    paginate_by = 50
    list_display = [
        TitleColumn(
            "name",
            label=gettext_lazy("Training class"),
            get_url=lambda klass: reverse("courses_admin:class_courses", args=[klass.pk]),
        ),
        Column("organising_unit", label=gettext_lazy("Organising unit")),
        DatesColumn("start_date", label=gettext_lazy("Dates")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("course_count", label=gettext_lazy("Online courses")),
    ]

    def dispatch(self, request, *args, **kwargs):
        _require_staff(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            class_list_for_staff(viewer=self.request.user)
            .select_related("organising_unit")
            .annotate(course_count=Count("course_links", distinct=True))
            .order_by("-start_date", "name")
        )


def _class_context(request, klass, **context):
    return {
        "klass": klass,
        "page_title": klass.name,
        "page_subtitle": _("Online courses"),
        "header_icon": "group",
        "can_manage": can_manage_class(request.user, klass),
        "can_run": can_run_class(request.user, klass),
        "is_closed": klass.status == TrainingClass.Status.CLOSED,
        **context,
    }


@require_GET
def class_courses(request, pk):
    klass = class_get_for_staff(viewer=request.user, pk=pk)
    rows, roster_size = sel.class_course_rows(training_class=klass)
    context = _class_context(
        request,
        klass,
        rows=rows,
        roster_size=roster_size,
        compulsory_finished=sel.compulsory_finished_count(training_class=klass),
        requirements=CoursePage.Requirement.choices,
        today=timezone.localdate(),
    )
    if context["can_manage"] and not context["is_closed"]:
        context["choices"] = list(sel.assignable_courses(training_class=klass))
        context["add_form"] = ClassCourseAddForm()
    return render(request, "courses/admin/class_courses.html", context)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
def class_course_add(request, pk):
    klass = class_get_for_staff(viewer=request.user, pk=pk)
    form = ClassCourseAddForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("courses_admin:class_courses", klass.pk)
    course = form.cleaned_data["course"]
    try:
        _link, created = services.class_course_add(
            actor=request.user,
            training_class=klass,
            course=course,
            requirement=form.cleaned_data["requirement"],
            due_date=form.cleaned_data["due_date"],
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        if created:
            messages.success(
                request,
                _("“%(course)s” added: every trainee of the class now has it under My learning.")
                % {"course": course.title},
            )
        else:
            messages.info(request, _("The class already has this course."))
    return redirect("courses_admin:class_courses", klass.pk)


@require_POST
def class_course_terms(request, pk, course_pk):
    """Change whether the class's course is 必修 or 选修, and its due date."""
    klass = class_get_for_staff(viewer=request.user, pk=pk)
    course = get_object_or_404(CoursePage, pk=course_pk)
    form = ClassCourseTermsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("courses_admin:class_courses", klass.pk)
    try:
        _link, changed = services.class_course_update(
            actor=request.user, training_class=klass, course=course, **form.cleaned_data
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        if changed:
            messages.success(request, _("“%(course)s” saved.") % {"course": course.title})
        else:
            messages.info(request, _("Nothing changed."))
    return redirect(reverse("courses_admin:class_courses", args=[klass.pk]) + f"#c{course.pk}")


def class_course_remove(request, pk, course_pk):
    """GET asks for confirmation (saying how many have started); POST removes."""
    klass = class_get_for_staff(viewer=request.user, pk=pk)
    if not can_manage_class(request.user, klass):
        raise DjangoPermissionDenied
    course = get_object_or_404(CoursePage, pk=course_pk)
    if request.method == "POST":
        try:
            removed = services.class_course_remove(
                actor=request.user, training_class=klass, course=course
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            if removed:
                messages.success(
                    request,
                    _("“%(course)s” removed from the class.") % {"course": course.title},
                )
            else:
                messages.info(request, _("The class no longer had this course."))
        return redirect("courses_admin:class_courses", klass.pk)
    roster = sel.course_roster(viewer=request.user, course=course, training_class=klass)
    return render(
        request,
        "courses/admin/class_course_remove.html",
        _class_context(request, klass, course=course, roster=roster),
    )


def _class_for_progress(request, pk):
    klass = class_get_for_staff(viewer=request.user, pk=pk)
    if not can_run_class(request.user, klass):
        raise DjangoPermissionDenied
    return klass


@require_GET
def class_course_progress(request, pk, course_pk):
    klass = _class_for_progress(request, pk)
    course = get_object_or_404(CoursePage, pk=course_pk, class_links__training_class=klass)
    roster = sel.course_roster(viewer=request.user, course=course, training_class=klass)
    return render(
        request,
        "courses/admin/course_progress.html",
        _class_context(
            request,
            klass,
            course=course,
            roster=roster,
            page_title=course.title,
            page_subtitle=klass.name,
            export_url=reverse("courses_admin:class_course_export", args=[klass.pk, course.pk]),
        ),
    )


@require_GET
def class_course_export(request, pk, course_pk):
    klass = _class_for_progress(request, pk)
    course = get_object_or_404(CoursePage, pk=course_pk, class_links__training_class=klass)
    roster = sel.course_roster(viewer=request.user, course=course, training_class=klass)
    return _xlsx(roster, f"{klass.name}-{course.title}-学习进度.xlsx")


# ---------------------------------------------------------------------------------------
# Courses: individual enrolment and progress across the organiser's units


class CourseTitleColumn(TitleColumn):
    cell_template_name = "courses/admin/course_title_cell.html"


class CourseListView(generic.IndexView):
    """Every course with the viewer's direct enrolments and classes counted, each leading
    to its enrolment and progress screen (organisers only; others 404)."""

    model = CoursePage
    permission_policy = None
    any_permission_required = None
    page_title = gettext_lazy("Course enrolment and progress")
    header_icon = "doc-full-inverse"
    index_url_name = "courses_admin:course_list"
    index_results_url_name = "courses_admin:course_list_results"
    search_fields = ["title"]
    paginate_by = 50
    list_display = [
        CourseTitleColumn(
            "title",
            label=gettext_lazy("Course"),
            get_url=lambda course: reverse("courses_admin:course_progress", args=[course.pk]),
        ),
        Column(
            "requirement",
            label=gettext_lazy("Compulsory or elective"),
            accessor="get_requirement_display",
        ),
        Column("direct_count", label=gettext_lazy("Given directly")),
        Column("class_count", label=gettext_lazy("Classes")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not sel.is_assignment_manager(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return sel.course_list_for_manager(viewer=self.request.user)

    def search_queryset(self, queryset):
        # The database, not the page search index: a part of a title is enough.
        if not self.is_searching:
            return queryset
        return queryset.filter(title__icontains=self.search_query)


@require_GET
def course_progress(request, pk):
    course = sel.course_get_for_manager(viewer=request.user, pk=pk)
    roster = sel.course_roster(viewer=request.user, course=course)
    query = request.GET.get("q", "").strip()
    found = sel.trainee_search(viewer=request.user, query=query) if query else []
    enrolled = set(
        CourseEnrolment.objects.filter(
            course=course, trainee_id__in=[p.pk for p in found]
        ).values_list("trainee_id", flat=True)
    )
    via_class = {row.trainee.pk: row.classes for row in roster.rows if row.classes}
    return render(
        request,
        "courses/admin/course_progress.html",
        {
            "course": course,
            "roster": roster,
            "page_title": course.title,
            "page_subtitle": _("Enrolment and progress"),
            "header_icon": "doc-full-inverse",
            "can_enrol": course.live,
            "query": query,
            "found": [
                (person, person.pk in enrolled, via_class.get(person.pk, [])) for person in found
            ],
            "search_limit": sel.SEARCH_LIMIT,
            "export_url": reverse("courses_admin:course_export", args=[course.pk]),
        },
    )


@require_POST
def course_enrol(request, pk):
    course = sel.course_get_for_manager(viewer=request.user, pk=pk)
    ids = request.POST.getlist("trainee")
    back = reverse("courses_admin:course_progress", args=[course.pk])
    query = request.POST.get("q", "").strip()
    if query:
        back += "?" + urlencode({"q": query})
    if not ids:
        messages.error(request, _("Tick at least one person to enrol."))
        return redirect(back)
    people = []
    try:
        people = services.trainees_for_enrolment(actor=request.user, ids=ids)
        created = services.course_enrol_many(actor=request.user, trainees=people, course=course)
    except DomainError as exc:
        # Only people in the viewer's units are ever named: `people` holds no one else.
        who = getattr(exc, "detail", "")
        person = next((p for p in people if str(p.pk) == who), None)
        message = str(exc.message)
        if person is not None and not isinstance(exc, services.TraineeOutOfScope):
            message = f"{person.full_name or person.phone}：{message}"
        messages.error(request, message + " " + _("Nobody was enrolled."))
        return redirect(back)
    names = "、".join(p.full_name or p.phone for p in people)
    if created:
        messages.success(
            request,
            _("Enrolled %(count)s: %(names)s.") % {"count": created, "names": names},
        )
    else:
        messages.info(request, _("Already enrolled: %(names)s.") % {"names": names})
    return redirect(back)


@require_POST
def course_unenrol(request, pk, user_pk):
    course = sel.course_get_for_manager(viewer=request.user, pk=pk)
    trainee = get_object_or_404(person_list(viewer=request.user), pk=user_pk)
    try:
        removed = services.course_unenrol(actor=request.user, trainee=trainee, course=course)
    except DomainError as exc:
        _error(request, exc)
    else:
        if removed:
            messages.success(
                request,
                _("%(name)s no longer has this course (their progress is kept).")
                % {"name": trainee.full_name or trainee.phone},
            )
        else:
            messages.info(request, _("This person was not enrolled directly."))
    return redirect("courses_admin:course_progress", course.pk)


@require_GET
def course_export(request, pk):
    course = sel.course_get_for_manager(viewer=request.user, pk=pk)
    roster = sel.course_roster(viewer=request.user, course=course)
    return _xlsx(roster, f"{course.title}-学习进度.xlsx")


# ---------------------------------------------------------------------------------------


def roster_workbook(roster) -> Book:
    """The progress table as a sheet of plain values (numbers as numbers, dates as dates)."""
    with Book() as book:
        sheet = book.sheet(
            "学习进度",
            [
                "姓名",
                "手机号",
                "单位",
                "分配方式",
                f"完成课时（共{roster.lesson_count}）",
                "学习分钟",
                "获得学时",
                "完成时间",
                "最近学习",
            ],
        )
        for row in roster.rows:
            sources = (["直接分配"] if row.direct else []) + [c.name for c in row.classes]
            sheet.row(
                [
                    row.trainee.full_name,
                    row.trainee.phone,
                    row.trainee.org_unit.name if row.trainee.org_unit else "",
                    "；".join(sources),
                    row.lessons_completed,
                    row.minutes_studied,
                    float(row.credit_hours) if row.credit_hours is not None else None,
                    row.completed_at,  # aware: written in local time
                    row.last_studied_at,
                ],
            )
    return book


def _xlsx(roster, filename: str):
    return roster_workbook(roster).response(filename)
