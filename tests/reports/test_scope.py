"""Whose people a report counts when the scope is the whole tree, and when it is not.

A province organiser on a site with one province holds every unit: the reports then
count "everyone with a unit" without joining the unit table (the province-scale speed-up
of the overview). That shortcut must give the figures the unit filter gives: never a
person without a unit, and never another province's people once there is one.
"""

import pytest
from django.urls import reverse

from people.models import User
from people.roles import Role
from reports.scope import holds_every_unit, person_q
from tests.factories import OrgUnitFactory, UserFactory
from tests.training.factories import TrainingClassFactory

from .factories import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_organiser(world):
    return UserFactory(
        roles=[Role.ORGANISER],
        org_unit=world.province,
        managed_units=[world.province],
        full_name="省组织员",
        position="",
    )


def _in_training(client, viewer) -> int:
    client.force_login(viewer)
    response = client.get(reverse("reports_admin:overview"))
    assert response.status_code == 200
    return response.context["o"].trainees_in_training


def test_the_province_organiser_counts_the_province_and_nobody_without_a_unit(
    client, world, province_organiser
):
    running = TrainingClassFactory(organising_unit=world.county_a)
    unplaced = UserFactory(roles=[Role.TRAINEE], org_unit=None, full_name="无单位学员")
    for person in (world.trainee_a, world.trainee_b, unplaced):
        enrol(running, person, status="enrolled")
    assert holds_every_unit(province_organiser, world.province)
    assert _in_training(client, province_organiser) == 2

    # A second province: the first one's organiser no longer holds every unit, and the
    # other province's trainee on the same class is not theirs to count.
    other = OrgUnitFactory(name="湖北省", level="province", code="420000")
    stranger = UserFactory(roles=[Role.TRAINEE], org_unit=other, full_name="外省学员")
    enrol(running, stranger, status="enrolled")
    assert _in_training(client, province_organiser) == 2
    del province_organiser._report_root_paths  # a new request asks for the roots again
    assert not holds_every_unit(province_organiser, world.province)


def test_only_a_whole_province_in_the_viewer_s_units_holds_every_unit(world, province_organiser):
    assert holds_every_unit(province_organiser, None)
    assert not holds_every_unit(world.city_organiser, None)
    assert not holds_every_unit(world.city_organiser, world.province)  # not theirs
    assert not holds_every_unit(province_organiser, world.city)
    # The administrator's "everything" also counts people without a unit: left as it is.
    assert not holds_every_unit(world.admin, None)
    assert holds_every_unit(world.admin, world.province)


def test_a_unit_above_the_viewer_s_own_still_shows_only_their_people(world):
    """The reports refuse such a unit (404), and the filter holds even if asked."""
    people = set(User.objects.filter(person_q(world.organiser, world.city)))
    assert world.trainee_a in people and world.trainee_b not in people
    people = set(User.objects.filter(person_q(world.organiser, world.county_a)))
    assert world.trainee_a in people and world.trainee_b not in people
