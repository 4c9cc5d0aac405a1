"""Reads for the trainee's pages. Each page runs a fixed number of queries: lists are
fetched in one go and joined in Python, never per course or per lesson."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex
from wagtail.search.query import PlainText

from lms.prepared import Prepared, instance_from_row
from people.models import OrgUnit
from people.roles import Role, has_role, role_names
from training.models import Enrolment

from .models import (
    CaseApproach,
    CaseStudyPage,
    ClassCourse,
    CourseEnrolment,
    CoursePage,
    CourseProgress,
    LessonPage,
    LessonProgress,
    Theme,
)
from .outlines import CourseOutline, LessonLink, course_outlines
from .search import query_terms

STAFF_ROLES = {Role.INSTRUCTOR, Role.ADVISER, Role.ORGANISER}


def is_staff_reader(user) -> bool:
    """Staff read every course (to teach, advise or check it); they do not study it."""
    return user.is_superuser or bool(role_names(user) & {str(r) for r in STAFF_ROLES})


def assigned_course_q(trainee, *, prefix: str = "") -> Q:
    """Courses given to the trainee: through a class they are on, or directly."""
    return Q(
        **{
            f"{prefix}class_links__training_class__enrolments__trainee": trainee,
            f"{prefix}class_links__training_class__enrolments__status__in": Enrolment.STAYED,
        }
    ) | Q(**{f"{prefix}direct_enrolments__trainee": trainee})


def course_list_for_trainee(*, trainee) -> QuerySet[CoursePage]:
    """The courses assigned to this trainee (live ones, in catalogue order)."""
    ids = CoursePage.objects.filter(assigned_course_q(trainee)).values("pk")
    return CoursePage.objects.live().filter(pk__in=ids).order_by("path")


def course_is_assigned(*, trainee, course) -> bool:
    return (
        CoursePage.objects.filter(pk=course.pk).filter(assigned_course_q(trainee)).exists()
        if trainee.is_authenticated
        else False
    )


def course_is_visible_to(*, viewer, course) -> bool:
    """Staff read every course; trainees the ones given to them, and the course pages of
    the self-selected study catalogue (to decide whether to enrol: lessons stay closed)."""
    if not viewer.is_authenticated:
        return False
    return (
        is_staff_reader(viewer)
        or course_is_assigned(trainee=viewer, course=course)
        or bool(getattr(course, "self_selectable", False) and course.live)
    )


def document_is_visible_to(*, viewer, document) -> bool:
    """Whether `viewer` may download a Wagtail document.

    Staff who work in the admin see every document (they upload and choose them). A
    trainee sees a document only when a live lesson (or course page) of a course they
    may see uses it, found through Wagtail's reference index, the same one behind the
    admin's "Usage" tab. A document no course uses is not for trainees: guessing ids
    in /documents/<id>/ opens nothing. A lesson's document is for the trainees the course
    is given to (assigned or enrolled), as the lesson itself is: an elective's course page
    is open to every trainee deciding whether to enrol, its lessons and their files are not.
    """
    if not viewer.is_authenticated:
        return False
    if viewer.has_perm("wagtailadmin.access_admin") or is_staff_reader(viewer):
        return True
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids]).specific()
    course_pages, lesson_courses = {}, {}
    for page in pages:
        if isinstance(page, CoursePage):
            course_pages[page.pk] = page
        elif isinstance(page, LessonPage):
            course = page.get_parent().specific
            if isinstance(course, CoursePage) and course.live:
                lesson_courses[course.pk] = course
    return any(course_is_visible_to(viewer=viewer, course=c) for c in course_pages.values()) or any(
        course_is_assigned(trainee=viewer, course=c) for c in lesson_courses.values()
    )


_LESSON_COURSE_FIELDS = ("id", "title", "path", "depth", "url_path", "live", "self_selectable")
# A lesson's course and whether it is given to the viewer: read on every lesson view, so
# compiled once (lms.prepared) rather than on each view.
_lesson_course_read = Prepared(
    lambda course_path, viewer: (
        CoursePage.objects.filter(path=course_path)
        .annotate(
            is_assigned=Exists(
                CoursePage.objects.filter(pk=OuterRef("pk")).filter(assigned_course_q(viewer))
            )
        )
        .values_list(*_LESSON_COURSE_FIELDS, "is_assigned")[:2]
    ),
    course_path=str,
    viewer=int,
)


def lesson_course(*, lesson, viewer) -> CoursePage:
    """The course a lesson belongs to, with `is_assigned`: whether it is given to `viewer`.

    One query for both (the lesson page needs the two on every view); the course's other
    fields are deferred."""
    rows = _lesson_course_read.rows(
        course_path=lesson.path[: -lesson.steplen],
        viewer=viewer.pk if viewer.is_authenticated else 0,
    )
    if len(rows) != 1:
        raise CoursePage.DoesNotExist(f"no course above lesson {lesson.pk}")
    *values, is_assigned = rows[0]
    fields = dict(zip(_LESSON_COURSE_FIELDS, values, strict=True))
    course = instance_from_row(CoursePage, {**fields, "page_ptr_id": fields["id"]})
    course.is_assigned = bool(is_assigned) and viewer.is_authenticated
    return course


@dataclass(frozen=True)
class LessonNavigation:
    previous: object | None  # a LessonLink: pk, title, url
    next: object | None


def lesson_navigation(*, lesson, course) -> LessonNavigation:
    """The live lessons before and after `lesson` in its course, in tree order.

    From the course's outline (courses.outlines: kept per process, read again after any
    publish, unpublish, move or reorder), so no query of its own on a lesson view; a
    course that is not live (an instructor's preview) has no outline and is read here."""
    outline = course_outlines(course_ids=[course.pk], routed_page=lesson).get(course.pk)
    if outline is not None:
        links = list(outline.lessons)
    else:
        links = [
            LessonLink(pk=page.pk, title=page.title, url=page.url)
            for page in LessonPage.objects.live().child_of(course).order_by("path")
        ]
    position = next((i for i, link in enumerate(links) if link.pk == lesson.pk), None)
    if position is None:
        return LessonNavigation(previous=None, next=None)
    return LessonNavigation(
        previous=links[position - 1] if position else None,
        next=links[position + 1] if position + 1 < len(links) else None,
    )


def course_enrolment_exists(*, trainee, course) -> bool:
    return CourseEnrolment.objects.filter(trainee=trainee, course=course).exists()


@dataclass
class CourseStatus:
    """One course as the trainee sees it in lists: progress and the next lesson."""

    course: CoursePage
    lessons: list = field(default_factory=list)
    progress: CourseProgress | None = None
    completed_ids: set = field(default_factory=set)
    # Set from the trainee's classes (see `class_terms`): 必修 in any class wins, and the
    # earliest due date of those classes. Empty: the course's own requirement, no date.
    requirement: str = ""
    due_date: datetime.date | None = None
    # 我的学习's statuses carry the course's shared outline (courses.outlines: URL, cover
    # rendition; `lessons` are then its LessonLinks); None: templates ask Wagtail.
    outline: CourseOutline | None = None

    @property
    def effective_requirement(self) -> str:
        return self.requirement or self.course.requirement

    @property
    def is_compulsory(self) -> bool:
        return self.effective_requirement == CoursePage.Requirement.COMPULSORY

    def get_requirement_display(self) -> str:
        return str(CoursePage.Requirement(self.effective_requirement).label)

    @property
    def is_overdue(self) -> bool:
        """Past its due date and not finished; an elective is never overdue, only closed."""
        return bool(
            self.due_date
            and self.due_date < timezone.localdate()
            and not self.is_complete
            and self.is_compulsory
        )

    @property
    def is_past_due(self) -> bool:
        return bool(self.due_date and self.due_date < timezone.localdate())

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def completed_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.completed_ids)

    @property
    def percent(self) -> int:
        if not self.lessons:
            return 0
        return round(100 * self.completed_count / self.lesson_count)

    @property
    def is_complete(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def is_started(self) -> bool:
        return self.progress is not None and self.progress.seconds_studied > 0

    @property
    def minutes_studied(self) -> int:
        return (self.progress.seconds_studied // 60) if self.progress else 0

    @property
    def next_lesson(self):
        for lesson in self.lessons:
            if lesson.pk not in self.completed_ids:
                return lesson
        return None


def _lessons_by_course(courses) -> dict[int, list]:
    """Live lessons of the given courses, in tree order: one query however many courses."""
    if not courses:
        return {}
    q = Q()
    for course in courses:
        q |= Q(path__startswith=course.path, depth=course.depth + 1)
    by_path = {c.path: c.pk for c in courses}
    result: dict[int, list] = defaultdict(list)
    lessons = (
        LessonPage.objects.live()
        .filter(q)
        .only("pk", "title", "path", "depth", "url_path", "min_study_minutes", "summary")
        .order_by("path")
    )
    for lesson in lessons:
        course_pk = by_path.get(lesson.path[: -LessonPage.steplen])
        if course_pk:
            result[course_pk].append(lesson)
    return result


def course_statuses(*, trainee, courses) -> list[CourseStatus]:
    courses = list(courses)
    lessons = _lessons_by_course(courses)
    course_ids = [c.pk for c in courses]
    progress = {}
    completed: dict[int, set] = defaultdict(set)
    if trainee.is_authenticated and course_ids:
        progress = {
            p.course_id: p
            for p in CourseProgress.objects.filter(trainee=trainee, course_id__in=course_ids)
        }
        for course_id, lesson_id in LessonProgress.objects.filter(
            trainee=trainee, course_id__in=course_ids, completed_at__isnull=False
        ).values_list("course_id", "lesson_id"):
            completed[course_id].add(lesson_id)
    return [
        CourseStatus(
            course=c,
            lessons=lessons.get(c.pk, []),
            progress=progress.get(c.pk),
            completed_ids=completed[c.pk],
        )
        for c in courses
    ]


def course_list_for_viewer(*, viewer, index) -> list[CourseStatus]:
    """The catalogue: staff see every live course, trainees the ones assigned to them."""
    if is_staff_reader(viewer):
        courses = CoursePage.objects.live().child_of(index).order_by("path")
    else:
        courses = course_list_for_trainee(trainee=viewer).child_of(index)
    courses = courses.select_related("cover_image").prefetch_related("themes")
    statuses = course_statuses(trainee=viewer, courses=courses)
    return statuses if is_staff_reader(viewer) else _with_class_terms(statuses, trainee=viewer)


def course_detail_for_viewer(*, viewer, course) -> dict:
    status = course_statuses(trainee=viewer, courses=[course])[0]
    progress_by_lesson = {}
    if viewer.is_authenticated:
        progress_by_lesson = {
            p.lesson_id: p for p in LessonProgress.objects.filter(trainee=viewer, course=course)
        }
    for lesson in status.lessons:
        lesson.trainee_progress = progress_by_lesson.get(lesson.pk)
    return {
        "status": status,
        "instructors": list(course.instructors.all()),
        "themes": list(course.themes.all()),
        "tags": list(course.tags.all()),
        "case_studies": list(
            course.case_studies.live().select_related("place", "approach").order_by("title")
        ),
        "is_staff_reader": is_staff_reader(viewer),
        "can_self_enrol": (
            course.self_selectable
            and not is_staff_reader(viewer)
            and not course_is_assigned(trainee=viewer, course=course)
        ),
    }


def class_terms(*, trainee) -> dict[int, tuple[str, datetime.date | None]]:
    """course id → (requirement, due date) over the classes the trainee is on.

    A course compulsory in one class and elective in another is compulsory; its due date
    is the earliest one among the classes that set one with that requirement."""
    terms: dict[int, tuple[str, datetime.date | None]] = {}
    links = ClassCourse.objects.filter(
        training_class__enrolments__trainee=trainee,
        training_class__enrolments__status__in=[
            Enrolment.Status.ENROLLED,
            Enrolment.Status.COMPLETED,
        ],
    ).values_list("course_id", "requirement", "due_date")
    compulsory = CoursePage.Requirement.COMPULSORY

    def rank(requirement, due):  # lower wins: compulsory, then a date, then the earliest
        return (requirement != compulsory, due is None, due or datetime.date.max)

    for course_id, requirement, due in links:
        held = terms.get(course_id)
        if held is None or rank(requirement, due) < rank(*held):
            terms[course_id] = (requirement, due)
    return terms


def _with_class_terms(statuses, *, trainee):
    terms = class_terms(trainee=trainee)
    for status in statuses:
        status.requirement, status.due_date = terms.get(status.course.pk, ("", None))
    return statuses


def my_learning(*, trainee) -> dict:
    """我的学习: every assigned course with its progress, and the one thing to do next.

    The hot path of the year-end rush: the trainee's own rows (class links, direct
    enrolments, course and lesson progress) are read each time, four queries however many
    courses; what every trainee shares (live courses, their lessons, URLs) comes from the
    process's outlines (courses.outlines), one query while the page tree is unchanged."""
    terms, course_ids = _assignments(trainee=trainee)
    outlines = course_outlines(course_ids=course_ids)
    progress = {}
    completed: dict[int, set] = defaultdict(set)
    if outlines:
        progress = {
            p.course_id: p
            for p in CourseProgress.objects.filter(trainee=trainee, course_id__in=list(outlines))
        }
        for course_id, lesson_id in LessonProgress.objects.filter(
            trainee=trainee, course_id__in=list(outlines), completed_at__isnull=False
        ).values_list("course_id", "lesson_id"):
            completed[course_id].add(lesson_id)
    statuses = []
    for outline in sorted(outlines.values(), key=lambda o: o.course.path):
        pk = outline.course.pk
        requirement, due_date = terms.get(pk, ("", None))
        statuses.append(
            CourseStatus(
                course=outline.course,
                lessons=list(outline.lessons),
                progress=progress.get(pk),
                completed_ids=completed[pk],
                requirement=requirement,
                due_date=due_date,
                outline=outline,
            )
        )
    in_progress = [s for s in statuses if not s.is_complete]
    next_up = None
    started = [s for s in in_progress if s.progress and s.progress.last_studied_at]
    if started:
        next_up = max(started, key=lambda s: s.progress.last_studied_at)
    elif in_progress:
        # Compulsory before elective, then the one due first.
        next_up = min(
            in_progress,
            key=lambda s: (not s.is_compulsory, s.due_date or datetime.date.max),
        )
    return {
        "statuses": statuses,
        "next_up": next_up if next_up and next_up.next_lesson else None,
        "completed_count": sum(1 for s in statuses if s.is_complete),
        "credit_hours": sum(
            (s.progress.credit_hours for s in statuses if s.progress and s.progress.credit_hours),
            start=0,
        ),
    }


def _assignments(*, trainee) -> tuple[dict, list[int]]:
    """The class terms (as `class_terms`) and the ids of the courses assigned to the trainee
    (as `assigned_course_q`), from the trainee's class links and direct enrolments: two
    small queries, no join through the page tree."""
    links = ClassCourse.objects.filter(
        training_class__enrolments__trainee=trainee,
        training_class__enrolments__status__in=Enrolment.STAYED,
    ).values_list("course_id", "requirement", "due_date", "training_class__enrolments__status")
    counted = {Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED}
    compulsory = CoursePage.Requirement.COMPULSORY

    def rank(requirement, due):  # lower wins, as in class_terms
        return (requirement != compulsory, due is None, due or datetime.date.max)

    terms: dict[int, tuple[str, datetime.date | None]] = {}
    course_ids = dict.fromkeys(
        CourseEnrolment.objects.filter(trainee=trainee).values_list("course_id", flat=True)
    )
    for course_id, requirement, due, status in links:
        course_ids[course_id] = None
        if status not in counted:  # a trainee marked not completed keeps the course
            continue
        held = terms.get(course_id)
        if held is None or rank(requirement, due) < rank(*held):
            terms[course_id] = (requirement, due)
    return terms, list(course_ids)


@dataclass
class ClassCoursesForTrainee:
    """A class's online courses as one trainee sees them on the class page."""

    statuses: list[CourseStatus]

    @property
    def compulsory(self) -> list[CourseStatus]:
        return [s for s in self.statuses if s.is_compulsory]

    @property
    def compulsory_done(self) -> int:
        return sum(1 for s in self.compulsory if s.is_complete)

    @property
    def compulsory_missing(self) -> int:
        """Compulsory courses not finished; electives are never missing."""
        return len(self.compulsory) - self.compulsory_done

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.statuses if s.is_overdue)


def class_courses_for_trainee(*, training_class, trainee) -> ClassCoursesForTrainee:
    """The class's live courses with this class's 必修/选修 and due dates, compulsory first,
    then by due date; progress is the trainee's own (nothing for staff)."""
    links = list(
        ClassCourse.objects.filter(training_class=training_class, course__live=True)
        .select_related("course")
        .order_by("requirement", "course__title")
    )
    statuses = course_statuses(trainee=trainee, courses=[link.course for link in links])
    for status, link in zip(statuses, links, strict=True):
        status.requirement, status.due_date = link.requirement, link.due_date
    statuses.sort(key=lambda s: (not s.is_compulsory, s.due_date or datetime.date.max))
    return ClassCoursesForTrainee(statuses=statuses)


# ---------------------------------------------------------------------------------------
# Case library


def case_library(*, index, params) -> dict:
    """The live cases of the library, filtered by theme, approach and region; the region
    filter offers the places of every live case, so without filters those come with the
    case list instead of a query of their own."""
    live = CaseStudyPage.objects.live().child_of(index)
    cases = (
        live.select_related("place", "approach")
        .prefetch_related("themes")
        .defer("practices", "figures", "lessons_learnt")  # the cards show none of them
        .order_by("-source_date", "title")
    )
    theme = params.get("theme", "")
    approach = params.get("approach", "")
    region = params.get("region", "")
    if not (theme in Theme.Code.values or approach or region):
        cases = list(cases)
        regions = _regions_of([c.place.path for c in cases if c.place_id])
    else:
        regions = _regions_of(list(live.exclude(place=None).values_list("place__path", flat=True)))
        if theme in Theme.Code.values:
            cases = cases.filter(themes__code=theme).distinct()
        if approach:
            cases = cases.filter(approach__slug=approach)
        region_unit = next((u for u in regions if str(u.pk) == region), None)
        if region_unit is not None:
            cases = cases.filter(place__path__startswith=region_unit.path)
        cases = list(cases)
    return {
        "cases": cases,
        "themes": list(Theme.objects.all()),
        "approaches": list(CaseApproach.objects.filter(case_studies__live=True).distinct()),
        "regions": regions,
        "selected": {"theme": theme, "approach": approach, "region": region},
    }


def _regions_of(place_paths) -> list[OrgUnit]:
    """The cities and counties (and provinces) the cases lie in, for the region filter."""
    steplen = OrgUnit.steplen
    prefixes = {p[:n] for p in place_paths for n in range(steplen, len(p) + 1, steplen)}
    return list(
        OrgUnit.objects.filter(
            path__in=prefixes,
            level__in=[OrgUnit.Level.PROVINCE, OrgUnit.Level.CITY, OrgUnit.Level.COUNTY],
        ).order_by("path")
    )


def case_detail(*, case, viewer) -> dict:
    figures = [b.value for b in case.figures]
    return {
        "figures": figures,
        "themes": list(case.themes.all()),
        "tags": list(case.tags.all()),
        "related_courses": list(case.related_courses.live().order_by("title")),
    }


# ---------------------------------------------------------------------------------------
# Search


def site_search(*, viewer, query: str) -> dict:
    """Case studies (everyone signed in), and the courses and lessons the viewer may read."""
    terms = query_terms(query) if query.strip() else []
    if not terms:
        return {"terms": [], "cases": [], "lessons": [], "courses": []}
    search_query = PlainText(" ".join(terms), operator="or")
    cases = list(
        CaseStudyPage.objects.live()
        .select_related("place", "approach")
        .search(search_query)
        .annotate_score("score")[:20]
    )
    courses = CoursePage.objects.live()
    lessons = LessonPage.objects.live()
    if not is_staff_reader(viewer):
        assigned = list(course_list_for_trainee(trainee=viewer).values_list("path", flat=True))
        courses = courses.filter(path__in=assigned)
        q = Q(pk__in=[])
        for path in assigned:
            q |= Q(path__startswith=path)
        lessons = lessons.filter(q)
    return {
        "terms": terms,
        "cases": cases,
        "courses": list(courses.search(search_query).annotate_score("score")[:10]),
        "lessons": list(lessons.search(search_query).annotate_score("score")[:20]),
    }


def has_instructor_role(user) -> bool:
    return has_role(user, Role.INSTRUCTOR)


# ---------------------------------------------------------------------------------------
# Self-selected study catalogue (自主选学)


@dataclass
class ThemeShelf:
    """One theme of the catalogue and its courses; `theme` is None for courses without one."""

    theme: Theme | None
    statuses: list[CourseStatus]


def elective_catalogue(*, trainee) -> list[ThemeShelf]:
    """Live courses open for self-selected study, by their first theme (five revitalisations
    order, unthemed last), each with its 学时 by the hour rule and whether the trainee has it.

    A fixed number of queries however many courses: themes are prefetched, lessons and
    progress come in one query each (`course_statuses`)."""
    from .services import course_credit_hours  # the hour rule is the one completion uses

    courses = list(
        CoursePage.objects.live()
        .filter(self_selectable=True)
        .select_related("cover_image")
        .prefetch_related("themes")
        .order_by("title")
    )
    statuses = course_statuses(trainee=trainee, courses=courses)
    enrolled = set()
    if trainee.is_authenticated and courses:
        enrolled = set(
            CoursePage.objects.filter(pk__in=[c.pk for c in courses])
            .filter(assigned_course_q(trainee))
            .values_list("pk", flat=True)
        )
    shelves: dict[int | None, ThemeShelf] = {}
    for status in statuses:
        themes = sorted(status.course.themes.all(), key=lambda t: t.sort_order)
        theme = themes[0] if themes else None
        status.credit_hours = course_credit_hours(course=status.course, lessons=status.lessons)
        status.enrolled = status.course.pk in enrolled
        key = theme.pk if theme else None
        shelves.setdefault(key, ThemeShelf(theme, [])).statuses.append(status)
    return sorted(
        shelves.values(),
        key=lambda s: (s.theme is None, s.theme.sort_order if s.theme else 0),
    )
