"""A prepared query (lms/prepared.py) answers what its ORM queryset answers, for any values,
and is compiled once per process; a value the ORM would transform is refused at once."""

import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.db.models import Exists, OuterRef

from lms.prepared import Prepared, instance_from_row
from people.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def _people_in(unit, level):
    return (
        User.objects.filter(org_unit=unit)
        .annotate(
            unit_is_level=Exists(OrgUnit.objects.filter(pk=OuterRef("org_unit"), level=level))
        )
        .values_list("pk", "full_name", "is_active", "date_joined", "unit_is_level")
        .order_by("pk")
    )


def test_rows_are_the_orms_for_every_value(world):
    prepared = Prepared(_people_in, unit=int, level=str)
    for unit in (world.county_a, world.village_a, world.village_b, world.province):
        for level in OrgUnit.Level.values:
            expected = list(_people_in(unit.pk, level))
            assert prepared.rows(unit=unit.pk, level=level) == expected
    (row,) = prepared.rows(unit=world.trainee_a.org_unit_id, level=world.trainee_a.org_unit.level)
    # Each column converted as the ORM converts it (SQLite's 0/1 and text dates too).
    assert row[2] is True and row[4] is True
    assert isinstance(row[3], datetime.datetime) and row[3].tzinfo is not None


def test_compiled_once_per_process(world, django_assert_num_queries):
    built = []

    def build(unit, level):
        built.append((unit, level))
        return _people_in(unit, level)

    prepared = Prepared(build, unit=int, level=str)
    units = (world.village_a, world.village_b, world.county_a)
    for unit in units:
        with django_assert_num_queries(1):
            prepared.rows(unit=unit.pk, level="village")
    # Built twice on the first run (two sets of markers), never with a value.
    assert len(built) == 2
    assert not {unit for unit, _level in built} & {unit.pk for unit in units}

    # Another thread (its own connection) runs the same SQL without compiling it again.
    # (On SQLite that thread's connection may not see the test's in-memory database: the
    # query may fail there, after the point where it would have been compiled.)
    ran = []

    def in_a_thread():
        try:
            prepared.rows(unit=world.village_a.pk, level="village")
            ran.append("answered")
        except DatabaseError:
            ran.append(connection.vendor)
        finally:
            connection.close()

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert ran in (["answered"], ["sqlite"]) and len(built) == 2


def test_a_constant_equal_to_a_marker_stays_a_constant(world):
    """Markers are small numbers; a constant of the query that happens to equal one is
    told apart by the second set of markers."""
    prepared = Prepared(
        lambda pk: User.objects.filter(pk=pk).exclude(pk=30_000).values_list("full_name"),
        pk=int,
    )
    assert prepared.rows(pk=world.trainee_a.pk) == [(world.trainee_a.full_name,)]


def test_a_value_on_a_small_integer_field_is_a_marker_in_its_range(world):
    """Django answers 'no rows' without asking when a value is outside an integer field's
    range (depth is a PositiveIntegerField): the markers are inside every range."""
    prepared = Prepared(
        lambda depth: OrgUnit.objects.filter(depth=depth).values_list("pk").order_by("pk"),
        depth=int,
    )
    assert prepared.rows(depth=world.county_a.depth) == list(
        OrgUnit.objects.filter(depth=world.county_a.depth).values_list("pk").order_by("pk")
    )


def test_a_value_the_orm_transforms_is_refused():
    prepared = Prepared(
        lambda name: User.objects.filter(full_name__startswith=name).values_list("pk"), name=str
    )
    with pytest.raises(ImproperlyConfigured, match="name: not a plain parameter"):
        prepared.rows(name="学员")


def test_only_rows_of_values():
    with pytest.raises(ImproperlyConfigured, match="values"):
        Prepared(lambda pk: User.objects.filter(pk=pk), pk=int).rows(pk=1)
    with pytest.raises(ImproperlyConfigured, match="an int or a str"):
        Prepared(lambda day: User.objects.values_list("pk"), day=datetime.date)


def test_values_are_taken_as_their_kind(world):
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk).values_list("full_name"), pk=int)
    assert prepared.rows(pk=str(world.trainee_a.pk)) == [(world.trainee_a.full_name,)]
    with pytest.raises(TypeError):
        prepared.rows(pk=world.trainee_a)  # a model instance is not its id


def test_an_instance_from_some_fields_reads_the_rest_when_touched(world, django_assert_num_queries):
    trainee = world.trainee_a
    person = instance_from_row(User, {"id": trainee.pk, "full_name": trainee.full_name})
    with django_assert_num_queries(0):
        assert (person.pk, person.full_name) == (trainee.pk, trainee.full_name)
        assert not person._state.adding
    with django_assert_num_queries(1):
        assert person.phone == trainee.phone
