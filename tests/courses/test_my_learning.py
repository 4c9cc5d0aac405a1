"""我的学习 at province scale: a fixed, small number of queries however many courses and
classes a trainee has; what every trainee shares (courses, lessons, URLs, covers) kept per
process (courses.outlines), what is the trainee's own read each time; a publish shows at
once."""

import re

from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from courses.models import CoursePage, CourseProgress, LessonPage, LessonProgress
from tests.courses.factories import enrol, lessons_of, link_class, make_course
from tests.factories import trainee as make_trainee
from tests.training.factories import EnrolmentFactory, TrainingClassFactory

URL = reverse("courses:my_learning")

# session, user; class links, direct enrolments, page log version, course progress,
# completed lessons (the header's role names and unread count are on the user's row).
MY_LEARNING_QUERIES = 7


def _cover(title):
    return get_image_model().objects.create(title=title, file=get_test_image_file())


def _page(client, trainee):
    client.force_login(trainee)
    response = client.get(URL)
    assert response.status_code == 200
    return response


def _queries(client, trainee, django_assert_num_queries):
    client.force_login(trainee)
    client.get(URL)  # the process reads the outlines once
    with django_assert_num_queries(MY_LEARNING_QUERIES) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return response, ctx.captured_queries


def test_my_learning_runs_the_same_queries_for_one_course_and_for_many(
    client, world, indexes, django_assert_num_queries
):
    """One class with one course, or three classes and direct enrolments with seven
    courses with covers: the same queries, and none reads the page tree."""
    one = make_trainee(org_unit=world.village_a)
    klass = TrainingClassFactory(organising_unit=world.county_a)
    EnrolmentFactory(training_class=klass, trainee=one)
    link_class(klass, make_course(indexes[0], lessons=2))

    many = make_trainee(org_unit=world.village_a)
    shared = make_course(indexes[0], lessons=3, cover_image=_cover("共同封面"))
    for c in range(3):
        k = TrainingClassFactory(organising_unit=world.county_a)
        EnrolmentFactory(training_class=k, trainee=many)
        link_class(k, shared)
        for _ in range(2):
            link_class(k, make_course(indexes[0], lessons=4, cover_image=_cover(f"封面{c}")))
    enrol(many, make_course(indexes[0], lessons=1))

    small, small_sql = _queries(client, one, django_assert_num_queries)
    large, large_sql = _queries(client, many, django_assert_num_queries)
    assert len(small.context["statuses"]) == 1 and len(large.context["statuses"]) == 8
    covers = re.findall(r"<img[^>]*course-card__cover[^>]*>", large.content.decode())
    catalogue = re.findall(
        r"<img[^>]*course-card__cover[^>]*>", client.get("/courses/").content.decode()
    )
    assert len(covers) == 7 and sorted(covers) == sorted(catalogue)  # as {% image %} renders them
    for sql in small_sql + large_sql:
        assert '"wagtailcore_page"' not in sql["sql"] and "wagtailimages" not in sql["sql"]


def test_each_trainee_sees_their_own_progress(client, world, course):
    """The outline is shared; the progress on it never is, whoever asked first."""
    enrol(world.trainee_b, course)
    first = lessons_of(course)[0]
    LessonProgress.objects.create(
        trainee=world.trainee_a,
        lesson=first,
        course=course,
        seconds_studied=300,
        completed_at=timezone.now(),
    )
    CourseProgress.objects.create(
        trainee=world.trainee_a,
        course=course,
        seconds_studied=300,
        last_studied_at=timezone.now(),
    )
    for _ in range(2):
        a = _page(client, world.trainee_a).context["statuses"][0]
        b = _page(client, world.trainee_b).context["statuses"][0]
        assert (a.completed_count, a.minutes_studied, a.next_lesson.pk) == (
            1,
            5,
            lessons_of(course)[1].pk,
        )
        assert (b.completed_count, b.minutes_studied, b.next_lesson.pk) == (0, 0, first.pk)
        assert b.progress is None


def test_a_publish_shows_in_my_learning_at_once(client, world, course):
    """Unpublish, publish, rename and reorder lessons, unpublish the course: the next
    request shows it, though the outlines are kept between requests."""
    lessons = lessons_of(course)

    def card():
        statuses = _page(client, world.trainee_a).context["statuses"]
        return [(lesson.title, lesson.url) for lesson in statuses[0].lessons] if statuses else None

    assert [title for title, _ in card()] == ["第1课", "第2课", "第3课"]
    lessons[1].unpublish()
    assert [title for title, _ in card()] == ["第1课", "第3课"]

    lessons[0].title = "第一课（修订）"
    lessons[0].save_revision().publish()
    new = LessonPage(title="第4课", slug="lesson-4", min_study_minutes=5)
    course.add_child(instance=new)
    new.save_revision().publish()
    assert card() == [
        ("第一课（修订）", lessons[0].url),
        ("第3课", lessons[2].url),
        ("第4课", new.url),
    ]

    LessonPage.objects.get(pk=new.pk).move(lessons[0], pos="left")
    page = _page(client, world.trainee_a)
    assert page.context["statuses"][0].next_lesson.title == "第4课"
    assert f'href="{LessonPage.objects.get(pk=new.pk).url}"' in page.content.decode()

    CoursePage.objects.get(pk=course.pk).unpublish()
    assert card() is None
    CoursePage.objects.get(pk=course.pk).save_revision().publish()
    assert card() is not None
