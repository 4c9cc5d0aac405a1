"""Courses reach trainees through their class or a direct enrolment, given by organisers."""

import pytest

from courses import services
from courses.models import ClassCourse, CourseEnrolment
from courses.selectors import course_list_for_trainee
from lms.errors import PermissionDenied
from tests.courses.factories import make_course
from tests.training.factories import class_for_world


def test_organiser_of_the_class_adds_a_course_once(world, indexes):
    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    link, created = services.class_course_add(
        actor=world.organiser, training_class=klass, course=course
    )
    again, created_again = services.class_course_add(
        actor=world.organiser, training_class=klass, course=course
    )
    assert created and not created_again and link.pk == again.pk
    assert list(course_list_for_trainee(trainee=world.trainee_a)) == [course]
    assert list(course_list_for_trainee(trainee=world.trainee_b)) == []


@pytest.mark.parametrize("actor", ["organiser_other", "adviser", "instructor", "trainee_a"])
def test_others_cannot_add_courses_to_the_class(world, indexes, actor):
    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    with pytest.raises(PermissionDenied) as error:
        services.class_course_add(actor=getattr(world, actor), training_class=klass, course=course)
    assert error.value.code == "permission_denied"
    assert not ClassCourse.objects.exists()


def test_direct_enrolment_by_the_trainees_organiser_only(world, indexes):
    course = make_course(indexes[0], lessons=1)
    with pytest.raises(PermissionDenied):
        services.course_enrol(actor=world.organiser_other, trainee=world.trainee_a, course=course)
    assert not CourseEnrolment.objects.exists()
    services.course_enrol(actor=world.organiser, trainee=world.trainee_a, course=course)
    services.course_enrol(actor=world.organiser, trainee=world.trainee_a, course=course)
    assert CourseEnrolment.objects.filter(trainee=world.trainee_a).count() == 1
    assert list(course_list_for_trainee(trainee=world.trainee_a)) == [course]


def test_unpublished_course_is_not_listed(world, indexes):
    course = make_course(indexes[0], lessons=1)
    services.course_enrol(actor=world.admin, trainee=world.trainee_a, course=course)
    course.unpublish()
    assert list(course_list_for_trainee(trainee=world.trainee_a)) == []
