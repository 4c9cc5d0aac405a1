"""The scan's one read (attendance/_scan_read.py) gives what the ORM query it replaces
gives: the session, its class, the class's policy or none, and the roster flag."""

import pytest

from attendance._scan_read import session_for_scan
from attendance.models import AttendancePolicy
from attendance.selectors import on_roster
from tests.factories import trainee as make_trainee
from tests.training.factories import EnrolmentFactory
from training.models import ClassSession, Enrolment

from .factories import class_with_roster, running_session

pytestmark = pytest.mark.django_db


def by_orm(pk, trainee):
    return (
        ClassSession.objects.select_related("training_class", "training_class__attendance_policy")
        .annotate(trainee_on_roster=on_roster(trainee))
        .filter(pk=pk)
        .first()
    )


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def same(pk, trainee):
    mine, orm = session_for_scan(pk=pk, trainee=trainee), by_orm(pk, trainee)
    assert fields(mine) == fields(orm)
    assert fields(mine.training_class) == fields(orm.training_class)
    assert mine.trainee_on_roster is orm.trainee_on_roster
    try:
        orm_policy = orm.training_class.attendance_policy
    except AttendancePolicy.DoesNotExist:
        orm_policy = None
    with pytest.raises(AttendancePolicy.DoesNotExist) if orm_policy is None else _nothing():
        mine_policy = mine.training_class.attendance_policy
        assert fields(mine_policy) == fields(orm_policy)
        assert mine_policy.training_class is mine.training_class
    return mine


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_scan_read_is_the_orm_read(world, django_assert_num_queries):
    klass, (on, withdrawn) = class_with_roster(n=2, organising_unit=world.county_a)
    Enrolment.objects.filter(trainee=withdrawn).update(status=Enrolment.Status.WITHDRAWN)
    stranger = make_trainee()
    session = running_session(klass, title="第一讲")
    for person, expected in ((on, True), (withdrawn, False), (stranger, False)):
        assert same(session.pk, person).trainee_on_roster is expected  # no policy row
    AttendancePolicy.objects.create(training_class=klass, grace_minutes=3, opens_minutes_before=7)
    mine = same(session.pk, on)
    with django_assert_num_queries(0):
        assert mine.training_class.attendance_policy.grace_minutes == 3
        assert mine.training_class.name == klass.name
    other_class, _ = class_with_roster(n=0, organising_unit=world.county_a)
    EnrolmentFactory(training_class=other_class, trainee=stranger)
    assert same(running_session(other_class).pk, stranger).trainee_on_roster is True
    assert session_for_scan(pk=session.pk + 1000, trainee=on) is None
