import pytest
from django.http import Http404

from people.selectors import org_unit_list, person_get, person_list
from people.services import UnitOutOfScope, person_create


def test_county_organiser_lists_only_people_of_their_county(world):
    visible = set(person_list(viewer=world.organiser))
    assert world.trainee_a in visible
    assert world.trainee_b not in visible


def test_county_organiser_cannot_open_a_person_of_another_county(world):
    with pytest.raises(Http404):
        person_get(viewer=world.organiser, pk=world.trainee_b.pk)
    assert person_get(viewer=world.organiser, pk=world.trainee_a.pk) == world.trainee_a


def test_city_organiser_sees_every_county_below(world):
    visible = set(person_list(viewer=world.city_organiser))
    assert {world.trainee_a, world.trainee_b} <= visible


def test_units_visible_to_a_county_organiser(world):
    units = set(org_unit_list(viewer=world.organiser))
    assert world.village_a in units and world.county_a in units
    assert world.county_b not in units and world.city not in units


def test_person_without_managed_units_sees_nobody(world):
    assert not person_list(viewer=world.trainee_a).exists()


def test_organiser_creates_trainee_with_forced_password_change(world):
    person, password = person_create(
        actor=world.organiser,
        full_name="新学员",
        phone="+86 138 0000 1111",
        org_unit=world.village_a,
    )
    assert person.phone == "13800001111"
    assert person.must_change_password
    assert person.check_password(password)
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(action="people.person_create").count() == 1


def test_organiser_cannot_create_a_person_outside_their_units(world):
    with pytest.raises(UnitOutOfScope) as excinfo:
        person_create(
            actor=world.organiser, full_name="越界", phone="13800002222", org_unit=world.village_b
        )
    assert excinfo.value.code == "unit_out_of_scope"
    from people.models import User

    assert not User.objects.filter(phone="13800002222").exists()


def test_phone_already_used_is_refused(world):
    from people.services import PhoneTaken

    with pytest.raises(PhoneTaken):
        person_create(
            actor=world.organiser,
            full_name="重复",
            phone=world.trainee_a.phone,
            org_unit=world.village_a,
        )
