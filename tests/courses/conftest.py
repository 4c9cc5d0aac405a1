import pytest

from tests.courses.factories import make_course, site_indexes


@pytest.fixture
def indexes(db):
    return site_indexes()


@pytest.fixture
def course(indexes, world):
    """A 3-lesson course (5 min each) taught by `instructor`, given to trainee_a directly."""
    from tests.courses.factories import enrol

    course = make_course(indexes[0], lessons=3, minutes=5, instructors=[world.instructor])
    enrol(world.trainee_a, course)
    return course
