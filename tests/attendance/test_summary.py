"""At risk: leave over 1/7 of the class's credit hours, or 旷课 of 2 days (4 half-days)."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceRecord
from attendance.selectors import AttendanceSummary, class_attendance_summary
from attendance.services import policy_save, session_close
from tests.factories import trainee as make_trainee
from tests.training.factories import EnrolmentFactory, TrainingClassFactory
from training.models import TrainingClass

from .factories import AttendanceRecordFactory, class_with_roster, session_around

S = AttendanceRecord.Status
pytestmark = pytest.mark.django_db


def past_sessions(klass, n, hours="3.0"):
    start = timezone.now() - datetime.timedelta(days=n + 1)
    return [
        session_around(klass, start=start + datetime.timedelta(days=i), credit_hours=Decimal(hours))
        for i in range(n)
    ]


def test_leave_over_a_seventh_flags_the_trainee(world, klass):
    # 42 credit hours: 6 h of leave is exactly 1/7 (fine), 9 h is over.
    sessions = past_sessions(klass, 3)
    AttendanceRecordFactory(session=sessions[0], trainee=world.trainee_a, status=S.ON_LEAVE)
    AttendanceRecordFactory(session=sessions[1], trainee=world.trainee_a, status=S.ON_LEAVE)
    AttendanceRecordFactory(session=sessions[2], trainee=world.trainee_a)
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert (s.on_leave, s.leave_hours, s.leave_share, s.at_risk) == (
        2,
        Decimal("6.0"),
        Decimal("0.1429"),
        False,
    )
    AttendanceRecord.objects.filter(session=sessions[2]).update(status=S.ON_LEAVE)
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert s.leave_hours == Decimal("9.0") and s.reasons == ["leave_over_cap"] and s.at_risk


def test_two_days_of_unexcused_absence_flags_the_trainee(world, klass):
    sessions = past_sessions(klass, 4)
    classmate = make_trainee()
    EnrolmentFactory(training_class=klass, trainee=classmate)
    for session in sessions:
        AttendanceRecordFactory(session=session, trainee=classmate)
    for session in sessions[:3]:
        AttendanceRecordFactory(
            session=session, trainee=world.trainee_a, status=S.ABSENT, checked_in_at=None
        )
    before_fourth = sessions[2].ends_at + datetime.timedelta(minutes=1)
    s = class_attendance_summary(training_class=klass, now=before_fourth)[world.trainee_a.pk]
    assert (s.absent, s.absent_days, s.at_risk) == (3, Decimal("1.5"), False)
    # The fourth half-day has no record yet (close_sessions has not run): still absent.
    s = class_attendance_summary(
        training_class=klass, now=sessions[3].ends_at + datetime.timedelta(minutes=1)
    )[world.trainee_a.pk]
    assert (s.absent, s.absent_days, s.reasons) == (4, Decimal("2"), ["absence_over_limit"])


def test_summary_counts_each_status_and_thresholds_follow_the_policy(world, klass):
    sessions = past_sessions(klass, 5)
    for session, status in zip(
        sessions, [S.PRESENT, S.LATE, S.LEFT_EARLY, S.ON_LEAVE, S.ABSENT], strict=True
    ):
        AttendanceRecordFactory(session=session, trainee=world.trainee_a, status=status)
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert isinstance(s, AttendanceSummary)
    assert (s.present, s.late, s.left_early, s.on_leave, s.absent) == (1, 1, 1, 1, 1)
    assert not s.at_risk
    policy_save(
        actor=world.organiser,
        training_class=klass,
        values={"absence_limit_days": Decimal("0.5"), "leave_cap_denominator": 20},
    )
    klass.refresh_from_db()
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert s.reasons == ["leave_over_cap", "absence_over_limit"]
    # Completion (certificates) reads this verdict and this cap: the policy's is the one.
    assert s.leave_over_cap and s.leave_cap == Fraction(1, 20)


def test_sessions_without_any_attendance_taken_flag_nobody(world, klass):
    past_sessions(klass, 6)  # history imported without scans
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert (s.absent, s.at_risk, s.sessions_held) == (0, False, 0)


def test_query_count_does_not_grow_with_the_roster(world):
    def count_for(n):
        klass, trainees = class_with_roster(n=n, organising_unit=world.county_a)
        sessions = past_sessions(klass, 3)
        for t in trainees:
            for session in sessions:
                AttendanceRecordFactory(session=session, trainee=t, status=S.LATE)
        with CaptureQueriesContext(connection) as ctx:
            result = class_attendance_summary(training_class=klass)
        assert len(result) == n and all(s.late == 3 for s in result.values())
        return len(ctx.captured_queries)

    # Policy, whether the class excuses 公假 (its completion rule), timetable, roster, records.
    assert count_for(2) == count_for(25) <= 5


def test_adviser_sees_the_flag_on_the_class_screen(client, world, klass):
    late_joiner = make_trainee(full_name="缺课学员")
    EnrolmentFactory(training_class=klass, trainee=late_joiner)
    monitor = make_trainee(full_name="班长")
    EnrolmentFactory(training_class=klass, trainee=monitor)
    for session in past_sessions(klass, 4):  # only the monitor came: 2 days for the others
        AttendanceRecordFactory(session=session, trainee=monitor)
    client.force_login(world.adviser)
    html = client.get(reverse("attendance_admin:class", args=[klass.pk])).content.decode()
    assert html.count('data-reason="absence_over_limit"') == 2
    client.force_login(world.trainee_a)
    html = client.get(reverse("attendance:my_attendance")).content.decode()
    assert 'class="risk"' in html


def test_leave_alone_or_an_online_class_does_not_make_a_session_held(world, klass):
    sessions = past_sessions(klass, 3)
    classmate = make_trainee()
    EnrolmentFactory(training_class=klass, trainee=classmate)
    AttendanceRecordFactory(
        session=sessions[0],
        trainee=classmate,
        status=S.ON_LEAVE,
        source=AttendanceRecord.Source.LEAVE,
        checked_in_at=None,
    )
    # An automatic close by the old sweep of a session nobody scanned: not held either.
    AttendanceRecordFactory(
        session=sessions[1],
        trainee=world.trainee_a,
        status=S.ABSENT,
        source=AttendanceRecord.Source.AUTO,
        checked_in_at=None,
    )
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert (s.sessions_held, s.absent) == (0, 0)
    assert class_attendance_summary(training_class=klass)[classmate.pk].on_leave == 1
    # A paper sign-in closed by the adviser by hand is held.
    session_close(session=sessions[2], actor=world.adviser)
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert (s.sessions_held, s.absent) == (1, 1)

    online = TrainingClassFactory(organising_unit=world.county_a, kind=TrainingClass.Kind.ONLINE)
    EnrolmentFactory(training_class=online, trainee=world.trainee_a)
    EnrolmentFactory(training_class=online, trainee=classmate)
    for session in past_sessions(online, 4):
        AttendanceRecordFactory(session=session, trainee=classmate)
    s = class_attendance_summary(training_class=online)[world.trainee_a.pk]
    assert (s.sessions_held, s.absent, s.at_risk) == (0, 0, False)


def test_a_trainee_enrolled_mid_class_misses_only_later_sessions(world, klass):
    sessions = past_sessions(klass, 5)
    for session in sessions:
        AttendanceRecordFactory(session=session, trainee=world.trainee_a)
    newcomer = make_trainee()
    EnrolmentFactory(
        training_class=klass,
        trainee=newcomer,
        enrolled_at=sessions[3].starts_at - datetime.timedelta(hours=1),
    )
    for session in sessions:  # the sweep has run over the whole timetable
        session_close(session=session)
    absent = AttendanceRecord.objects.filter(trainee=newcomer, status=S.ABSENT)
    assert list(absent.values_list("session", flat=True)) == [sessions[3].pk, sessions[4].pk]
    s = class_attendance_summary(training_class=klass)[newcomer.pk]
    assert (s.absent, s.absent_days, s.at_risk) == (2, Decimal("1"), False)
    # Before any close ran, the summary already agrees.
    AttendanceRecord.objects.filter(trainee=newcomer).delete()
    s = class_attendance_summary(training_class=klass)[newcomer.pk]
    assert (s.absent, s.at_risk) == (2, False)


def test_absent_days_count_per_date_at_most_one_day_each(world, klass):
    """上午、下午、晚上 of one day missed is one day of 旷课, not one and a half."""
    from tests.training.factories import ClassSessionFactory
    from training.models import ClassSession

    H = ClassSession.HalfDay
    slots = [
        (datetime.date(2026, 7, 2), H.MORNING),
        (datetime.date(2026, 7, 2), H.AFTERNOON),
        (datetime.date(2026, 7, 2), H.EVENING),
        (datetime.date(2026, 7, 3), H.MORNING),
    ]
    classmate = make_trainee()
    EnrolmentFactory(training_class=klass, trainee=classmate)
    for date, half in slots:
        session = ClassSessionFactory(training_class=klass, date=date, half_day=half)
        AttendanceRecordFactory(session=session, trainee=classmate)
    now = datetime.datetime(2026, 7, 4, tzinfo=datetime.UTC)
    s = class_attendance_summary(training_class=klass, now=now)[world.trainee_a.pk]
    assert (s.absent, s.absent_days, s.at_risk) == (4, Decimal("1.5"), False)
    afternoon = ClassSessionFactory(training_class=klass, date=slots[3][0], half_day=H.AFTERNOON)
    AttendanceRecordFactory(session=afternoon, trainee=classmate)
    s = class_attendance_summary(training_class=klass, now=now)[world.trainee_a.pk]
    assert (s.absent, s.absent_days, s.reasons) == (5, Decimal("2"), ["absence_over_limit"])
