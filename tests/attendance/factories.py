"""Attendance test data: a running class with sessions around a chosen moment."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from attendance.models import AttendanceRecord, LeaveRequest
from tests.factories import trainee as make_trainee
from tests.training.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    TrainingClassFactory,
)
from training.models import ClassSession


def session_around(training_class, *, start: datetime.datetime, hours: int = 3, **kwargs):
    """A session starting at `start` (aware), lasting `hours`."""
    local = timezone.localtime(start)
    half = ClassSession.HalfDay.MORNING if local.hour < 12 else ClassSession.HalfDay.AFTERNOON
    return ClassSessionFactory(
        training_class=training_class,
        date=local.date(),
        half_day=half,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        **kwargs,
    )


def running_session(training_class, *, started_minutes_ago: int = 2, **kwargs):
    return session_around(
        training_class,
        start=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
        **kwargs,
    )


def class_with_roster(*, n: int = 3, advisers=(), organising_unit, **kwargs):
    klass = TrainingClassFactory(organising_unit=organising_unit, advisers=list(advisers), **kwargs)
    trainees = [make_trainee() for _ in range(n)]
    for t in trainees:
        EnrolmentFactory(training_class=klass, trainee=t)
    return klass, trainees


class AttendanceRecordFactory(DjangoModelFactory):
    class Meta:
        model = AttendanceRecord

    status = AttendanceRecord.Status.PRESENT
    source = AttendanceRecord.Source.QR
    checked_in_at = factory.LazyAttribute(lambda o: o.session.starts_at)


class LeaveRequestFactory(DjangoModelFactory):
    class Meta:
        model = LeaveRequest
        skip_postgeneration_save = True

    reason = "县里开会"
    half_days = 1
    hours = Decimal("3.0")

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if extracted:
            self.sessions.set(extracted)
