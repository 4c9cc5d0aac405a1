"""Two tabs beating at the same instant, on a real database with row locks."""

import threading

import pytest
from django.db import connection

from courses import services
from courses.models import LessonProgress
from tests.courses.factories import enrol, lessons_of, make_course, site_indexes
from tests.courses.test_study_clock import T0, at, open_view


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_beats_from_two_tabs_credit_the_time_once(world, postgres_only):
    courses, _ = site_indexes()
    course = make_course(courses, lessons=2, minutes=5)
    enrol(world.trainee_a, course)
    first, second = lessons_of(course)
    tabs = [
        open_view(world.trainee_a, course, first, opened=T0),
        open_view(world.trainee_a, course, second, opened=T0),
    ]
    barrier = threading.Barrier(len(tabs))
    results, errors = [], []

    def run(view):
        try:
            barrier.wait()
            results.append(
                services.heartbeat_record(
                    trainee=world.trainee_a, token=view.token, seq=1, now=at(15)
                )
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(view,)) for view in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.credited for r in results) == [0, 15]
    total = sum(
        LessonProgress.objects.filter(trainee=world.trainee_a).values_list(
            "seconds_studied", flat=True
        )
    )
    assert total == 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_beat_sent_twice_at_once_is_credited_once(world, postgres_only):
    courses, _ = site_indexes()
    course = make_course(courses, lessons=1, minutes=5)
    enrol(world.trainee_a, course)
    view = open_view(world.trainee_a, course, opened=T0)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(
                services.heartbeat_record(
                    trainee=world.trainee_a, token=view.token, seq=1, now=at(15)
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.duplicate for r in results) == [False, True]
    assert LessonProgress.objects.get(trainee=world.trainee_a).seconds_studied == 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tabs_opening_a_lesson_first_at_once_make_one_of_each_row(world, postgres_only):
    """The page reads the trainee's rows once and makes only what is missing, by
    get_or_create on each unique constraint: two first openings at once still make one
    clock and one progress row each, and two study views."""
    from courses.models import CourseProgress, StudyClock, StudyView

    courses, _ = site_indexes()
    course = make_course(courses, lessons=1, minutes=5)
    enrol(world.trainee_a, course)
    (lesson,) = lessons_of(course)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            services.study_view_open(trainee=world.trainee_a, lesson=lesson, course=course)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    mine = {"trainee": world.trainee_a}
    assert StudyClock.objects.filter(**mine).count() == 1
    assert LessonProgress.objects.filter(**mine).count() == 1
    assert CourseProgress.objects.filter(**mine).count() == 1
    assert StudyView.objects.filter(**mine).count() == 2
