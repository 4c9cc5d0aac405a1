"""Demo attendance for the demo class: past sessions mostly present, some late, a couple
of absences, one approved leave, one pending request, and one trainee at risk.

Follows the rules of 《干部教育培训工作条例》 as restated in DOMAIN.md (leave cap 1/7 of
the class's credit hours, 旷课 of 2 days or more means withdrawal). Idempotent: records
go in with ignore_conflicts on the (session, trainee) constraint, leave requests are
looked up before they are made.
"""

import datetime

from django.utils import timezone

from training.models import ClassSession, Enrolment
from training.selectors import can_run_class

from .models import AttendanceRecord, LeaveRequest
from .services import leave_approve, leave_request_create, session_close

ORDER = 60
S = AttendanceRecord.Status


def _decider(context, klass):
    staff = context.get("staff") or {}
    for key in ("adviser", "organiser", "admin"):
        person = staff.get(key)
        if person is not None and can_run_class(person, klass):
            return person
    return None


def _leave(*, trainee, klass, sessions, reason, decider=None):
    existing = LeaveRequest.objects.filter(
        trainee=trainee, training_class=klass, sessions__in=sessions
    ).first()
    if existing is not None:
        return existing
    first = min(s.starts_at for s in sessions)
    asked = first - datetime.timedelta(days=1)
    leave = leave_request_create(
        trainee=trainee, training_class=klass, sessions=sessions, reason=reason, now=asked
    )
    if decider is not None:
        leave_approve(
            actor=decider,
            leave=leave,
            note="同意，返回后及时销假。",
            now=asked + datetime.timedelta(hours=2),
        )
    return leave


def seed(context):
    klass = context.get("demo_class")
    if klass is None:
        return
    now = timezone.now()
    roster = [
        e.trainee
        for e in Enrolment.objects.filter(training_class=klass, status=Enrolment.Status.ENROLLED)
        .select_related("trainee")
        .order_by("trainee__username")
    ]
    if len(roster) < 4:
        return
    sessions = list(ClassSession.objects.filter(training_class=klass).order_by("starts_at"))
    past = [s for s in sessions if s.ends_at <= now]
    future = [s for s in sessions if s.starts_at > now]
    decider = _decider(context, klass)

    at_risk = roster[-1]  # absent from every past session: 2 days after four half-days
    on_leave = roster[1]
    pending = roster[2]
    occasional = {roster[3].pk: 1, roster[4].pk: 2} if len(roster) > 4 else {}

    if past and decider is not None:
        _leave(
            trainee=on_leave,
            klass=klass,
            sessions=[past[0]],
            reason="县委组织部通知参加全县乡村振兴工作推进会，请假半天。",
            decider=decider,
        )
    if future:
        _leave(
            trainee=pending,
            klass=klass,
            sessions=future[:2],
            reason="家中老人住院需陪护，申请请假一天，附医院证明。",
        )

    records = []
    for i, session in enumerate(past):
        for j, trainee in enumerate(roster):
            if trainee.pk == at_risk.pk or occasional.get(trainee.pk) == i:
                status, checked_in = S.ABSENT, None
            elif (i * 7 + j) % 9 == 0:
                status = S.LATE
                checked_in = session.starts_at + datetime.timedelta(minutes=12 + (i + j) % 15)
            else:
                status = S.PRESENT
                checked_in = session.starts_at - datetime.timedelta(minutes=2 + (i * 3 + j) % 20)
            records.append(
                AttendanceRecord(
                    session=session,
                    trainee=trainee,
                    status=status,
                    source=AttendanceRecord.Source.QR
                    if checked_in
                    else AttendanceRecord.Source.AUTO,
                    checked_in_at=checked_in,
                )
            )
    # The leave approved above already holds its record; ignore_conflicts keeps it.
    AttendanceRecord.objects.bulk_create(records, ignore_conflicts=True)
    for session in past:
        session_close(session=session, now=now)
    context["attendance_at_risk"] = at_risk
