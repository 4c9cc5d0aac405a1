"""A course's gradebook: its quizzes and written work (assessments) beside how far each
trainee has studied it (this app). It lives here, above both, so that assessments needs
nothing of courses: assessments only knows that a quiz or assignment may name a page."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from wagtail.models import Page, ReferenceIndex

from assessments.models import Attempt, Quiz, Submission
from assessments.selectors import (
    Gradebook,
    GradebookRow,
    assignment_list_for_staff,
    attempt_scope_q,
    gradebook_build,
    is_grader,
    quiz_list_for_staff,
    submission_scope_q,
)
from people.models import User
from people.roles import Role, has_role

from .models import CoursePage, CourseProgress, LessonPage
from .selectors_assignment import ProgressFigures, course_roster
from .services import lesson_quiz_ids


@dataclass
class CourseGradebookRow(GradebookRow, ProgressFigures):
    progress: CourseProgress | None = None  # the trainee's progress in the course


def gradebook_for_course(*, viewer, page_id: int) -> Gradebook:
    """The course's quizzes and written work, with how far each trainee has studied it.

    Rows: everyone whose work on it is in the viewer's grading scope, and the course's
    roster as the organisers' progress screen scopes it (the course's own instructors see
    all of it), so that a trainee who never opened a quiz shows as such instead of being
    left out. Instructors who do not teach the course get 404, as for a missing course.
    """
    if not is_grader(viewer):
        raise Http404
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not _may_open_course_gradebook(viewer, page.pk):
        raise Http404
    quizzes = list(course_quiz_list(viewer=viewer, page=page).order_by("title"))
    assignments = list(
        assignment_list_for_staff(viewer=viewer).filter(course_page=page).order_by("title")
    )
    course = CoursePage.objects.filter(pk=page.pk).first()
    roster = course_roster(viewer=viewer, course=course) if course else None
    on_roster = [row.trainee.pk for row in roster.rows] if roster else []
    trainees = list(
        User.objects.filter(
            Q(pk__in=on_roster)
            | Q(
                pk__in=Attempt.objects.filter(attempt_scope_q(viewer), quiz__in=quizzes).values(
                    "trainee_id"
                )
            )
            | Q(
                pk__in=Submission.objects.filter(
                    submission_scope_q(viewer), assignment__in=assignments
                ).values("trainee_id")
            )
        )
        .select_related("org_unit")
        .order_by("full_name", "pk")
    )
    book = gradebook_build(page.title, quizzes, assignments, trainees, row=CourseGradebookRow)
    if roster is not None:
        book.lesson_count = roster.lesson_count
        progress = {
            p.trainee_id: p
            for p in CourseProgress.objects.filter(course=course, trainee__in=trainees)
        }
        for row in book.rows:
            row.progress = progress.get(row.trainee.pk)
    return book


def _taught_courses(viewer) -> QuerySet[CoursePage]:
    return CoursePage.objects.filter(instructors=viewer).values("pk")


def _may_open_course_gradebook(viewer, page_id: int) -> bool:
    """Organisers (for the trainees of their units) and the course's own instructors."""
    if viewer.is_superuser or has_role(viewer, Role.ORGANISER):
        return True
    return has_role(viewer, Role.INSTRUCTOR) and _taught_courses(viewer).filter(pk=page_id).exists()


def course_quiz_list(*, viewer, page) -> QuerySet[Quiz]:
    """A course's quizzes: those placed in its live lessons (the `quiz` block) and those
    whose "course" field names it, as far as the viewer may see them."""
    placed = {
        pk for lesson in LessonPage.objects.child_of(page).live() for pk in lesson_quiz_ids(lesson)
    }
    return quiz_list_for_staff(viewer=viewer).filter(Q(course_page=page) | Q(pk__in=placed))


def course_pages_with_assessments(*, viewer):
    """Courses with a gradebook for the viewer: a quiz placed in one of their lessons
    (found through Wagtail's reference index, kept up to date as pages are published), or
    a quiz or assignment whose "course" field names them."""
    quizzes = quiz_list_for_staff(viewer=viewer)
    ids = set(
        quizzes.filter(course_page__isnull=False).values_list("course_page_id", flat=True)
    ) | set(
        assignment_list_for_staff(viewer=viewer)
        .filter(course_page__isnull=False)
        .values_list("course_page_id", flat=True)
    )
    placing = ReferenceIndex.objects.filter(
        content_type=ContentType.objects.get_for_model(LessonPage),
        to_content_type=ContentType.objects.get_for_model(Quiz),
        to_object_id__in=quizzes.annotate(key=Cast("pk", CharField())).values("key"),
    ).annotate(page_id=Cast("object_id", BigIntegerField()))
    lesson_paths = LessonPage.objects.live().filter(pk__in=placing.values("page_id"))
    parents = {path[: -Page.steplen] for path in lesson_paths.values_list("path", flat=True)}
    pages = Page.objects.filter(Q(pk__in=ids) | Q(path__in=parents))
    if not (viewer.is_superuser or has_role(viewer, Role.ORGANISER)):
        pages = pages.filter(pk__in=_taught_courses(viewer))  # as `_may_open_course_gradebook`
    return pages.order_by("title")
