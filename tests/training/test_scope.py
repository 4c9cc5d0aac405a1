from training.selectors import (
    can_manage_class,
    can_run_class,
    class_list_for_staff,
    class_list_for_trainee,
)

from .factories import ClassSessionFactory, class_for_world


def test_organisers_see_classes_of_their_units_only(world):
    klass = class_for_world(world)
    other = world.extra["class_b"]
    assert list(class_list_for_staff(viewer=world.organiser)) == [klass]
    assert list(class_list_for_staff(viewer=world.organiser_other)) == [other]
    assert set(class_list_for_staff(viewer=world.city_organiser)) == {klass, other}


def test_advisers_see_the_classes_they_advise(world):
    klass = class_for_world(world)
    assert list(class_list_for_staff(viewer=world.adviser)) == [klass]
    assert can_run_class(world.adviser, klass)
    assert not can_run_class(world.adviser_other, klass)
    assert not can_manage_class(world.adviser, klass)


def test_instructors_see_classes_they_teach_in(world):
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    assert list(class_list_for_staff(viewer=world.instructor)) == [klass]
    assert not class_list_for_staff(viewer=world.instructor_other).exists()


def test_trainees_see_their_own_classes(world):
    klass = class_for_world(world)
    assert list(class_list_for_trainee(trainee=world.trainee_a)) == [klass]
    assert klass not in class_list_for_trainee(trainee=world.trainee_b)
    assert not class_list_for_staff(viewer=world.trainee_a).exists()
