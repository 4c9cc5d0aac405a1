"""Course pages for tests: a site with a catalogue and a case library, courses with lessons."""

import datetime
import itertools

from courses.authoring import authoring_index_setup, course_authors_sync
from courses.models import (
    CaseApproach,
    CaseStudyIndexPage,
    CaseStudyPage,
    ClassCourse,
    CourseEnrolment,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Theme,
)

_n = itertools.count(1)


def site_indexes():
    """HomePage (via the portal's seeder), /courses/ and /cases/, with the workflow."""
    from demo import portal as demo

    _restore_migration_data()
    context: dict = {}
    demo.seed(context)
    home = context["home"]
    courses = CourseIndexPage.objects.first()
    if courses is None:
        courses = CourseIndexPage(title="课程", slug="courses")
        home.add_child(instance=courses)
        courses.save_revision().publish()
    cases = CaseStudyIndexPage.objects.first()
    if cases is None:
        cases = CaseStudyIndexPage(title="案例库", slug="cases")
        home.add_child(instance=cases)
        cases.save_revision().publish()
    authoring_index_setup(index=courses)
    authoring_index_setup(index=cases)
    return courses, cases


def _restore_migration_data():
    """Transactional tests flush the rows migrations made; put back what pages need."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    for order, code in enumerate(Theme.Code.values):
        Theme.objects.get_or_create(code=code, defaults={"sort_order": order})
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root")


def make_course(index, *, lessons=3, minutes=5, instructors=(), title=None, **fields):
    n = next(_n)
    course = CoursePage(
        title=title or f"课程{n}",
        slug=f"course-{n}",
        summary=fields.pop("summary", "先导区建设课程"),
        **fields,
    )
    index.add_child(instance=course)
    if instructors:
        course.instructors.set(instructors)
    course.save_revision().publish()
    course_authors_sync(course=course)
    for i in range(lessons):
        lesson = LessonPage(
            title=f"第{i + 1}课",
            slug=f"lesson-{i + 1}",
            min_study_minutes=minutes,
            body=[{"type": "text", "value": {"text": f"<p>课时{i + 1}的正文。</p>"}}],
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def lessons_of(course):
    return list(LessonPage.objects.live().child_of(course).order_by("path"))


def enrol(trainee, course):
    return CourseEnrolment.objects.create(trainee=trainee, course=course)


def link_class(training_class, course, **fields):
    """`fields`: requirement, due_date (the class's terms; compulsory, no date by default)."""
    return ClassCourse.objects.create(training_class=training_class, course=course, **fields)


def make_case(index, *, title, place=None, approach=None, themes=(), background="", **fields):
    n = next(_n)
    if isinstance(approach, str):
        approach, _ = CaseApproach.objects.get_or_create(
            slug=f"approach-{abs(hash(approach)) % 10_000}", defaults={"name": approach}
        )
    case = CaseStudyPage(
        title=title,
        slug=f"case-{n}",
        summary=fields.pop("summary", title),
        place=place,
        approach=approach,
        period=fields.pop("period", "2023年以来"),
        background=background or "<p>背景。</p>",
        source_name=fields.pop("source_name", "测试来源"),
        source_date=fields.pop("source_date", datetime.date(2024, 12, 23)),
        **fields,
    )
    index.add_child(instance=case)
    if themes:
        case.themes.set(Theme.objects.filter(code__in=themes))
    case.save_revision().publish()
    return CaseStudyPage.objects.get(pk=case.pk)
