"""After the session: missing trainees become 旷课 (or 请假 with approved leave), and the
adviser corrects mistakes, each correction kept with who, when, old → new and why."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from attendance import errors
from attendance.models import AttendanceCorrection, AttendanceRecord, SessionClosure
from attendance.services import record_correct, session_close, sessions_close_ended
from attendance.tasks import close_ended_sessions
from lms.errors import PermissionDenied
from tests.factories import trainee as make_trainee
from tests.training.factories import EnrolmentFactory, TrainingClassFactory
from training.models import TrainingClass

from .factories import AttendanceRecordFactory, LeaveRequestFactory, session_around

S = AttendanceRecord.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(klass):
    return session_around(klass, start=timezone.now() - datetime.timedelta(hours=4))


@pytest.fixture
def roster(world, klass):
    """trainee_a plus three more: one checked in, one on approved leave, two missing."""
    more = [make_trainee() for _ in range(3)]
    for t in more:
        EnrolmentFactory(training_class=klass, trainee=t)
    return [world.trainee_a, *more]


def statuses(session):
    return dict(
        AttendanceRecord.objects.filter(session=session).values_list("trainee_id", "status")
    )


def test_closing_marks_the_missing_absent_and_approved_leave_on_leave(world, klass, ended, roster):
    came, on_leave, missing1, missing2 = roster
    AttendanceRecordFactory(session=ended, trainee=came)
    LeaveRequestFactory(trainee=on_leave, training_class=klass, status="approved", sessions=[ended])
    LeaveRequestFactory(trainee=missing2, training_class=klass, status="pending", sessions=[ended])
    closure = session_close(session=ended, actor=world.adviser)
    assert statuses(ended) == {
        came.pk: S.PRESENT,
        on_leave.pk: S.ON_LEAVE,
        missing1.pk: S.ABSENT,
        missing2.pk: S.ABSENT,  # a request nobody approved is no excuse
    }
    assert (closure.marked_absent, closure.marked_on_leave, closure.closed_by) == (
        2,
        1,
        world.adviser,
    )
    assert AttendanceRecord.objects.get(trainee=missing1).source == "auto"
    entry = ModelLogEntry.objects.get(action="attendance.session_close")
    assert entry.data["absent"] == sorted([missing1.pk, missing2.pk])


def test_closing_twice_changes_nothing(world, ended, roster):
    session_close(session=ended)
    before = list(AttendanceRecord.objects.values_list("pk", "status", "updated_at"))
    closure = session_close(session=ended, actor=world.adviser)
    assert list(AttendanceRecord.objects.values_list("pk", "status", "updated_at")) == before
    assert closure.marked_absent == 4 and SessionClosure.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="attendance.session_close").count() == 1


def test_session_cannot_be_closed_before_its_end(world, live_session):
    with pytest.raises(errors.SessionNotEnded):
        session_close(session=live_session, actor=world.adviser)
    assert not AttendanceRecord.objects.exists()


def test_only_those_who_run_the_class_close_it(world, ended):
    for outsider in (world.adviser_other, world.organiser_other, world.trainee_a):
        with pytest.raises(PermissionDenied):
            session_close(session=ended, actor=outsider)
    session_close(session=ended, actor=world.organiser)


def test_worker_task_and_command_close_ended_sessions_once(world, klass, ended, live_session):
    classmate = make_trainee()
    EnrolmentFactory(training_class=klass, trainee=classmate)
    AttendanceRecordFactory(session=ended, trainee=classmate)
    AttendanceRecordFactory(session=live_session, trainee=classmate)
    assert close_ended_sessions.enqueue().return_value == 1
    assert statuses(ended) == {world.trainee_a.pk: S.ABSENT, classmate.pk: S.PRESENT}
    assert not AttendanceRecord.objects.filter(session=live_session, trainee=world.trainee_a)
    out = io.StringIO()
    call_command("close_sessions", stdout=out)
    assert out.getvalue().strip() == "closed 0 sessions, ended 0 classes"
    assert sessions_close_ended(now=live_session.ends_at) == 1
    assert AttendanceRecord.objects.count() == 4


def test_sweep_leaves_sessions_where_attendance_was_not_taken(world, klass, ended, roster):
    """Paper sign-in, a QR outage, leave only, an online class: nobody becomes 旷课."""
    came, on_leave, *_rest = roster
    start = ended.starts_at
    paper = session_around(klass, start=start - datetime.timedelta(days=1))
    leave_only = session_around(klass, start=start - datetime.timedelta(days=2))
    LeaveRequestFactory(
        trainee=on_leave, training_class=klass, status="approved", sessions=[leave_only]
    )
    AttendanceRecordFactory(
        session=leave_only,
        trainee=on_leave,
        status=S.ON_LEAVE,
        source=AttendanceRecord.Source.LEAVE,
        checked_in_at=None,
    )
    online = TrainingClassFactory(organising_unit=world.county_a, kind=TrainingClass.Kind.ONLINE)
    EnrolmentFactory(training_class=online, trainee=came)
    EnrolmentFactory(training_class=online, trainee=on_leave)
    online_session = session_around(online, start=start)
    AttendanceRecordFactory(session=online_session, trainee=came)
    AttendanceRecordFactory(session=ended, trainee=came)  # the only session really taken

    out = io.StringIO()
    call_command("close_sessions", stdout=out)

    assert out.getvalue().strip().startswith("closed 1 sessions, ended ")
    assert set(SessionClosure.objects.values_list("session", flat=True)) == {ended.pk}
    assert statuses(paper) == {}
    assert statuses(leave_only) == {on_leave.pk: S.ON_LEAVE}
    assert statuses(online_session) == {came.pk: S.PRESENT}
    assert list(statuses(ended).values()).count(S.ABSENT) == 3
    # The adviser, who knows the paper sheet, still closes by hand.
    closure = session_close(session=paper, actor=world.adviser)
    assert closure.marked_absent == 4 and set(statuses(paper).values()) == {S.ABSENT}


def test_correction_needs_a_reason_and_is_kept_in_the_history(world, ended):
    record = AttendanceRecordFactory(session=ended, trainee=world.trainee_a, status=S.ABSENT)
    with pytest.raises(errors.ReasonRequired):
        record_correct(
            actor=world.adviser, session=ended, trainee=world.trainee_a, status=S.LATE, reason=" "
        )
    record_correct(
        actor=world.adviser,
        session=ended,
        trainee=world.trainee_a,
        status=S.LATE,
        reason="手机没电，到场后由班主任登记",
    )
    record.refresh_from_db()
    assert (record.status, record.source) == (S.LATE, "adviser")
    correction = AttendanceCorrection.objects.get()
    assert (correction.actor, correction.old_status, correction.new_status) == (
        world.adviser,
        S.ABSENT,
        S.LATE,
    )
    entry = ModelLogEntry.objects.get(action="attendance.record_correct")
    assert entry.data == {
        "session": ended.pk,
        "old": "absent",
        "new": "late",
        "reason": "手机没电，到场后由班主任登记",
    }


def test_correction_creates_a_missing_record(world, live_session):
    record = record_correct(
        actor=world.organiser,
        session=live_session,
        trainee=world.trainee_a,
        status=S.PRESENT,
        reason="扫码失败，人工签到",
    )
    assert record.status == S.PRESENT and record.corrections.get().old_status == ""


def test_correction_rules(world, ended):
    AttendanceRecordFactory(session=ended, trainee=world.trainee_a, status=S.ABSENT)
    with pytest.raises(errors.StatusUnchanged):
        record_correct(
            actor=world.adviser, session=ended, trainee=world.trainee_a, status=S.ABSENT, reason="x"
        )
    with pytest.raises(errors.InvalidStatus):
        record_correct(
            actor=world.adviser, session=ended, trainee=world.trainee_a, status="gone", reason="x"
        )
    with pytest.raises(errors.NotOnRoster):
        record_correct(
            actor=world.adviser, session=ended, trainee=world.trainee_b, status=S.LATE, reason="x"
        )
    for outsider in (world.adviser_other, world.organiser_other, world.instructor):
        with pytest.raises(PermissionDenied):
            record_correct(
                actor=outsider, session=ended, trainee=world.trainee_a, status=S.LATE, reason="x"
            )
    assert not AttendanceCorrection.objects.exists()
