import pytest

from tests.training.factories import class_for_world

from .factories import running_session


@pytest.fixture
def klass(world):
    """罗山县's running class: trainee_a on the roster, `adviser` advising."""
    return class_for_world(world)


@pytest.fixture
def live_session(klass):
    return running_session(klass)
