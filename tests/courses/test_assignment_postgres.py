"""Two organisers (or two clicks) assigning the same course at the same instant."""

import threading

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from courses import services
from courses.models import ClassCourse, CourseEnrolment
from tests.courses.factories import make_course, site_indexes
from tests.training.factories import class_for_world


def _at_once(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_adds_to_a_class_make_one_link_and_one_entry(world, postgres_only):
    courses, _ = site_indexes()
    course = make_course(courses, lessons=1)
    klass = class_for_world(world)
    results, errors = _at_once(
        4,
        lambda: services.class_course_add(
            actor=world.organiser, training_class=klass, course=course
        )[1],
    )
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert ClassCourse.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="courses.class_course_add").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_enrolments_make_one_row_and_one_entry(world, postgres_only):
    courses, _ = site_indexes()
    course = make_course(courses, lessons=1)
    results, errors = _at_once(
        4,
        lambda: services.course_enrol(
            actor=world.organiser, trainee=world.trainee_a, course=course
        )[1],
    )
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert CourseEnrolment.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="courses.course_enrol").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_withdrawals_remove_once(world, postgres_only):
    courses, _ = site_indexes()
    course = make_course(courses, lessons=1)
    services.course_enrol(actor=world.organiser, trainee=world.trainee_a, course=course)
    results, errors = _at_once(
        3,
        lambda: services.course_unenrol(
            actor=world.organiser, trainee=world.trainee_a, course=course
        ),
    )
    assert errors == []
    assert sorted(results) == [False, False, True]
    assert ModelLogEntry.objects.filter(action="courses.course_unenrol").count() == 1
