"""Reads for the organisers' assignment screens: a class's courses, a course's trainees.

Scope comes from `people.selectors`/`training.selectors`: an organiser sees the trainees
of the units it manages and the rosters of the classes it organises. Each screen runs a
fixed number of queries whatever the number of trainees or courses.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from people.roles import Role, has_role
from people.selectors import person_list, within_units_q
from training.models import Enrolment, TrainingClass

from .models import ClassCourse, CourseEnrolment, CoursePage, CourseProgress, LessonPage

ACTIVE = Enrolment.STAYED
SEARCH_LIMIT = 20


def is_assignment_manager(user) -> bool:
    """Organisers (and system administrators) assign courses; nobody else does."""
    return user.is_superuser or has_role(user, Role.ORGANISER)


# ---------------------------------------------------------------------------------------
# A class's courses


@dataclass
class ClassCourseRow:
    link: ClassCourse
    started: int = 0
    completed: int = 0


def class_course_rows(*, training_class: TrainingClass) -> tuple[list[ClassCourseRow], int]:
    """The class's courses with how many of its trainees started and completed each."""
    links = list(
        ClassCourse.objects.filter(training_class=training_class)
        .select_related("course", "added_by")
        .order_by("requirement", "due_date", "course__title")
    )
    roster = Enrolment.objects.filter(training_class=training_class, status__in=ACTIVE)
    roster_size = roster.count()
    counts = {}
    if links:
        counts = {
            row["course_id"]: row
            for row in CourseProgress.objects.filter(
                course_id__in=[link.course_id for link in links],
                trainee_id__in=roster.values("trainee_id"),
            )
            .values("course_id")
            .annotate(
                started=Count("pk", filter=Q(seconds_studied__gt=0)),
                completed=Count("pk", filter=Q(completed_at__isnull=False)),
            )
        }
    rows = [
        ClassCourseRow(
            link=link,
            started=counts.get(link.course_id, {}).get("started", 0),
            completed=counts.get(link.course_id, {}).get("completed", 0),
        )
        for link in links
    ]
    return rows, roster_size


def compulsory_finished_count(*, training_class: TrainingClass) -> int | None:
    """Trainees on the roster who finished every compulsory course of the class (electives
    left unfinished do not count against them); None when the class has no compulsory
    course."""
    compulsory = list(
        ClassCourse.objects.filter(
            training_class=training_class,
            requirement=CoursePage.Requirement.COMPULSORY,
            course__live=True,
        ).values_list("course_id", flat=True)
    )
    if not compulsory:
        return None
    roster = Enrolment.objects.filter(training_class=training_class, status__in=ACTIVE)
    return (
        CourseProgress.objects.filter(
            course_id__in=compulsory,
            completed_at__isnull=False,
            trainee_id__in=roster.values("trainee_id"),
        )
        .values("trainee_id")
        .annotate(n=Count("course_id", distinct=True))
        .filter(n=len(compulsory))
        .count()
    )


def assignable_courses(*, training_class: TrainingClass) -> QuerySet[CoursePage]:
    """Live courses the class does not have yet: the add chooser's choices."""
    return (
        CoursePage.objects.live()
        .exclude(class_links__training_class=training_class)
        .order_by("requirement", "title")
    )


# ---------------------------------------------------------------------------------------
# A course's trainees and their progress


def course_list_for_manager(*, viewer) -> QuerySet[CoursePage]:
    """Every course (live first), with the viewer's direct enrolments and classes counted."""
    if not is_assignment_manager(viewer):
        raise Http404
    direct = CourseEnrolment.objects.filter(within_units_q(viewer, field="trainee__org_unit"))
    classes = ClassCourse.objects.filter(
        within_units_q(viewer, field="training_class__organising_unit")
    )
    return CoursePage.objects.annotate(
        direct_count=Count(
            "direct_enrolments", filter=Q(direct_enrolments__in=direct.values("pk")), distinct=True
        ),
        class_count=Count(
            "class_links", filter=Q(class_links__in=classes.values("pk")), distinct=True
        ),
    ).order_by("-live", "path")


def course_is_taught_by(course: CoursePage, viewer) -> bool:
    return viewer.is_superuser or course.instructors.filter(pk=viewer.pk).exists()


def course_get_for_manager(*, viewer, pk: int) -> CoursePage:
    if not is_assignment_manager(viewer):
        raise Http404
    course = CoursePage.objects.filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


class ProgressFigures:
    """What a row shows of a trainee's progress in one course (`progress` may be None)."""

    progress: CourseProgress | None

    @property
    def lessons_completed(self) -> int:
        return self.progress.lessons_completed if self.progress else 0

    @property
    def minutes_studied(self) -> int:
        return self.progress.seconds_studied // 60 if self.progress else 0

    @property
    def credit_hours(self) -> Decimal | None:
        return self.progress.credit_hours if self.progress else None

    @property
    def completed_at(self):
        return self.progress.completed_at if self.progress else None

    @property
    def last_studied_at(self):
        return self.progress.last_studied_at if self.progress else None


@dataclass
class TraineeProgressRow(ProgressFigures):
    trainee: object
    direct: bool = False
    classes: list = field(default_factory=list)
    progress: CourseProgress | None = None


@dataclass
class CourseRoster:
    course: CoursePage
    lesson_count: int
    rows: list[TraineeProgressRow]
    training_class: TrainingClass | None = None

    @property
    def completed_count(self) -> int:
        return sum(1 for r in self.rows if r.completed_at)

    @property
    def started_count(self) -> int:
        return sum(1 for r in self.rows if r.minutes_studied or r.lessons_completed)


def course_roster(*, viewer, course: CoursePage, training_class=None) -> CourseRoster:
    """Who has the course (directly or through a class) and how far each has got.

    Without a class: the direct enrolments of trainees in the viewer's units plus the
    rosters of the viewer's classes that have the course; the course's own instructors
    teach it across the province and see all of them. With a class: its roster only
    (the caller has checked the viewer may see that class).
    """
    rows: dict[int, TraineeProgressRow] = {}
    if training_class is None:
        everyone = course_is_taught_by(course, viewer)
        direct = (
            CourseEnrolment.objects.filter(course=course)
            .filter(Q() if everyone else within_units_q(viewer, field="trainee__org_unit"))
            .select_related("trainee__org_unit")
        )
        for enrolment in direct:
            rows[enrolment.trainee_id] = TraineeProgressRow(trainee=enrolment.trainee, direct=True)
        class_enrolments = Enrolment.objects.filter(
            Q() if everyone else within_units_q(viewer, field="training_class__organising_unit"),
            training_class__course_links__course=course,
        )
    else:
        class_enrolments = Enrolment.objects.filter(
            training_class=training_class, training_class__course_links__course=course
        )
    class_enrolments = class_enrolments.filter(status__in=ACTIVE).select_related(
        "trainee__org_unit", "training_class"
    )
    for enrolment in class_enrolments.order_by("training_class__start_date"):
        row = rows.setdefault(enrolment.trainee_id, TraineeProgressRow(trainee=enrolment.trainee))
        row.classes.append(enrolment.training_class)
    if rows:
        for progress in CourseProgress.objects.filter(course=course, trainee_id__in=list(rows)):
            rows[progress.trainee_id].progress = progress
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            r.trainee.org_unit.path if r.trainee.org_unit else "",
            r.trainee.full_name,
            r.trainee.pk,
        ),
    )
    return CourseRoster(
        course=course,
        lesson_count=LessonPage.objects.live().child_of(course).count(),
        rows=ordered,
        training_class=training_class,
    )


# ---------------------------------------------------------------------------------------
# Finding people to enrol


def _digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


def trainee_search(*, viewer, query: str) -> list:
    """Active trainees in the viewer's units whose name or phone matches; a short list."""
    query = unicodedata.normalize("NFKC", query or "").strip()
    if not query:
        return []
    q = Q(full_name__icontains=query)
    digits = _digits(query)
    if len(digits) >= 3:
        q |= Q(phone__contains=digits[-11:])
    people = (
        person_list(viewer=viewer)
        .filter(q, is_active=True, groups__name=Role.TRAINEE)
        .distinct()
        .order_by("full_name", "pk")
    )
    return list(people[:SEARCH_LIMIT])
