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
    # A PermissionDenied with its own code, so the screen can say whose class it is.
    assert error.value.code == "class_out_of_scope"
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


# ---------------------------------------------------------------------------------------
# The organisers' services: refusals with codes, idempotency, audit.


def _entries(action):
    from wagtail.models import ModelLogEntry

    return list(ModelLogEntry.objects.filter(action=action))


def test_a_course_that_is_not_live_cannot_be_assigned(world, indexes):
    from courses.services_assignment import CourseNotLive

    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    course.unpublish()
    with pytest.raises(CourseNotLive) as error:
        services.class_course_add(actor=world.organiser, training_class=klass, course=course)
    assert error.value.code == "course_not_live"
    with pytest.raises(CourseNotLive):
        services.course_enrol(actor=world.organiser, trainee=world.trainee_a, course=course)
    assert not ClassCourse.objects.exists() and not CourseEnrolment.objects.exists()
    assert _entries("courses.class_course_add") == _entries("courses.course_enrol") == []


def test_a_stale_page_object_does_not_pass_as_live(world, indexes):
    """The check reads the database: a page unpublished since it was loaded is refused."""
    from courses.models import CoursePage
    from courses.services_assignment import CourseNotLive

    course = make_course(indexes[0], lessons=1)
    stale = CoursePage.objects.get(pk=course.pk)
    course.unpublish()
    assert stale.live
    with pytest.raises(CourseNotLive):
        services.course_enrol(actor=world.organiser, trainee=world.trainee_a, course=stale)


def test_adding_twice_writes_one_row_and_one_audit_entry(world, indexes):
    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    for _ in range(3):
        services.class_course_add(actor=world.organiser, training_class=klass, course=course)
    assert ClassCourse.objects.count() == 1
    [entry] = _entries("courses.class_course_add")
    assert entry.user_id == world.organiser.pk
    assert entry.data["class"] == klass.pk and entry.data["course"] == course.pk


def test_a_closed_class_keeps_its_courses(world, indexes):
    from courses.services_assignment import ClassClosed
    from training.models import TrainingClass

    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    services.class_course_add(actor=world.organiser, training_class=klass, course=course)
    TrainingClass.objects.filter(pk=klass.pk).update(status=TrainingClass.Status.CLOSED)
    other = make_course(indexes[0], lessons=1)
    with pytest.raises(ClassClosed) as error:
        services.class_course_add(actor=world.organiser, training_class=klass, course=other)
    assert error.value.code == "class_closed"
    with pytest.raises(ClassClosed):
        services.class_course_remove(actor=world.organiser, training_class=klass, course=course)
    assert list(ClassCourse.objects.values_list("course_id", flat=True)) == [course.pk]


def test_removing_a_course_keeps_progress_and_is_idempotent(world, indexes):
    from courses.models import CourseProgress

    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    services.class_course_add(actor=world.organiser, training_class=klass, course=course)
    CourseProgress.objects.create(trainee=world.trainee_a, course=course, seconds_studied=600)

    assert services.class_course_remove(actor=world.organiser, training_class=klass, course=course)
    assert not services.class_course_remove(
        actor=world.organiser, training_class=klass, course=course
    )
    assert not ClassCourse.objects.exists()
    assert list(course_list_for_trainee(trainee=world.trainee_a)) == []
    assert CourseProgress.objects.get(trainee=world.trainee_a).seconds_studied == 600
    [entry] = _entries("courses.class_course_remove")
    assert entry.data["trainees_started"] == 1 and entry.user_id == world.organiser.pk

    # Given back, the trainee picks up where they left off.
    services.class_course_add(actor=world.organiser, training_class=klass, course=course)
    assert list(course_list_for_trainee(trainee=world.trainee_a)) == [course]


@pytest.mark.parametrize("actor", ["organiser_other", "adviser", "instructor"])
def test_others_cannot_remove_courses_from_the_class(world, indexes, actor):
    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    services.class_course_add(actor=world.organiser, training_class=klass, course=course)
    with pytest.raises(PermissionDenied) as error:
        services.class_course_remove(
            actor=getattr(world, actor), training_class=klass, course=course
        )
    assert error.value.code == "class_out_of_scope"
    assert ClassCourse.objects.count() == 1


def test_city_organiser_manages_the_county_class(world, indexes):
    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    _link, created = services.class_course_add(
        actor=world.city_organiser, training_class=klass, course=course
    )
    assert created


def test_a_person_outside_scope_is_refused_by_name(world, indexes):
    from courses.services_assignment import TraineeOutOfScope

    course = make_course(indexes[0], lessons=1)
    with pytest.raises(TraineeOutOfScope) as error:
        services.course_enrol(actor=world.organiser, trainee=world.trainee_b, course=course)
    assert error.value.code == "trainee_out_of_scope"
    assert error.value.detail == str(world.trainee_b.pk)


@pytest.mark.parametrize("actor", ["adviser", "instructor", "trainee_a"])
def test_only_organisers_enrol(world, indexes, actor):
    course = make_course(indexes[0], lessons=1)
    with pytest.raises(PermissionDenied) as error:
        services.course_enrol(actor=getattr(world, actor), trainee=world.trainee_a, course=course)
    assert error.value.code == "permission_denied"


def test_staff_and_inactive_people_are_not_given_courses(world, indexes):
    from courses.services_assignment import NotATrainee
    from tests.factories import UserFactory

    course = make_course(indexes[0], lessons=1)
    staff = UserFactory(org_unit=world.village_a, full_name="无角色")
    world.trainee_a.is_active = False
    world.trainee_a.save(update_fields=["is_active"])
    for person in (staff, world.trainee_a):
        with pytest.raises(NotATrainee) as error:
            services.course_enrol(actor=world.organiser, trainee=person, course=course)
        assert error.value.code == "not_a_trainee"
    assert not CourseEnrolment.objects.exists()


def test_enrol_many_is_all_or_nothing(world, indexes):
    course = make_course(indexes[0], lessons=1)
    with pytest.raises(PermissionDenied):
        services.course_enrol_many(
            actor=world.organiser, trainees=[world.trainee_a, world.trainee_b], course=course
        )
    assert not CourseEnrolment.objects.exists()
    assert _entries("courses.course_enrol") == []
    created = services.course_enrol_many(
        actor=world.city_organiser, trainees=[world.trainee_a, world.trainee_b], course=course
    )
    again = services.course_enrol_many(
        actor=world.city_organiser, trainees=[world.trainee_a, world.trainee_b], course=course
    )
    assert (created, again) == (2, 0)
    assert len(_entries("courses.course_enrol")) == 2


def test_unenrol_is_scoped_idempotent_and_audited(world, indexes):
    course = make_course(indexes[0], lessons=1)
    services.course_enrol(actor=world.organiser, trainee=world.trainee_a, course=course)
    with pytest.raises(PermissionDenied):
        services.course_unenrol(actor=world.organiser_other, trainee=world.trainee_a, course=course)
    assert CourseEnrolment.objects.count() == 1
    assert services.course_unenrol(actor=world.organiser, trainee=world.trainee_a, course=course)
    assert not services.course_unenrol(
        actor=world.organiser, trainee=world.trainee_a, course=course
    )
    assert list(course_list_for_trainee(trainee=world.trainee_a)) == []
    [entry] = _entries("courses.course_unenrol")
    assert entry.data == {"trainee": world.trainee_a.pk, "course": course.pk, "title": course.title}
