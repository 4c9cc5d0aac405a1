"""The demo seeder: records for past sessions, leave, an at-risk trainee; twice = once."""

import datetime

import pytest
from django.utils import timezone

from attendance.models import AttendanceRecord, LeaveRequest
from attendance.selectors import class_attendance_summary
from demo import attendance as demo
from tests.factories import trainee as make_trainee
from tests.training.factories import EnrolmentFactory, TrainingClassFactory

from .factories import session_around

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(AttendanceRecord.objects.values_list("session_id", "trainee_id", "status")),
        sorted(LeaveRequest.objects.values_list("trainee_id", "status")),
    )


def test_seed_is_idempotent_and_tells_the_story(world):
    klass = TrainingClassFactory(organising_unit=world.county_a, advisers=[world.adviser])
    trainees = [make_trainee() for _ in range(8)]
    for t in trainees:
        EnrolmentFactory(training_class=klass, trainee=t)
    start = timezone.now() - datetime.timedelta(days=3)
    for i in range(9):
        session_around(klass, start=start + datetime.timedelta(hours=12 * i))
    context = {"demo_class": klass, "staff": {"adviser": world.adviser, "admin": world.admin}}
    demo.seed(context)
    first = snapshot()
    demo.seed(context)
    assert snapshot() == first
    statuses = [s for _se, _t, s in first[0]]
    assert statuses.count("present") > statuses.count("late") > 0
    assert {s for _t, s in first[1]} == {"approved", "pending"}
    summary = class_attendance_summary(training_class=klass)
    risky = [tid for tid, s in summary.items() if s.at_risk]
    assert risky == [context["attendance_at_risk"].pk]


def test_seed_without_a_demo_class_does_nothing(db):
    demo.seed({})
    assert not AttendanceRecord.objects.exists()
