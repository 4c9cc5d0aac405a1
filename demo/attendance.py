"""Demo attendance for the demo class: past sessions mostly present, some late, a couple
of absences, one approved leave, one pending request, and one trainee at risk.

Follows the rules of 《干部教育培训工作条例》 as restated in DOMAIN.md (leave cap 1/7 of
the class's credit hours, 旷课 of 2 days or more means withdrawal). Idempotent: records
go in with ignore_conflicts on the (session, trainee) constraint, leave requests are
looked up before they are made.
"""

import datetime

from django.utils import timezone

from attendance.models import AttendanceRecord, LeaveRequest
from attendance.services import leave_approve, leave_request_create, session_close
from training.models import ClassSession, Enrolment
from training.selectors import can_run_class

ORDER = 60
S = AttendanceRecord.Status


def _decider(context, klass):
    staff = context.get("staff") or {}
    for key in ("adviser", "organiser", "admin"):
        person = staff.get(key)
        if person is not None and can_run_class(person, klass):
            return person
    return None


def _notice_image():
    """A small PNG standing for the scanned notice a 公假 request attaches."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (250, 248, 240)).save(buffer, "PNG")
    return SimpleUploadedFile("会议通知.png", buffer.getvalue(), content_type="image/png")


def _leave(*, trainee, klass, sessions, reason, decider=None, kind=None):
    existing = LeaveRequest.objects.filter(
        trainee=trainee, training_class=klass, sessions__in=sessions
    ).first()
    if existing is not None:
        return existing
    first = min(s.starts_at for s in sessions)
    asked = first - datetime.timedelta(days=1)
    kind = kind or LeaveRequest.Kind.PERSONAL
    leave = leave_request_create(
        trainee=trainee,
        training_class=klass,
        sessions=sessions,
        reason=reason,
        kind=kind,
        attachment=_notice_image() if kind == LeaveRequest.Kind.OFFICIAL else None,
        now=asked,
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
            kind=LeaveRequest.Kind.OFFICIAL,
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
    seed_calendar(context)


def _checked_in(sessions, roster, *, skip=(), late_every=9):
    records = []
    for i, session in enumerate(sessions):
        for j, trainee in enumerate(roster):
            if (trainee.pk, i) in skip or trainee.pk in skip:
                continue
            late = (i * 5 + j) % late_every == 0
            at = session.starts_at + datetime.timedelta(minutes=(12 if late else -5) + j % 4)
            records.append(
                AttendanceRecord(
                    session=session,
                    trainee=trainee,
                    status=S.LATE if late else S.PRESENT,
                    source=AttendanceRecord.Source.QR,
                    checked_in_at=at,
                )
            )
    AttendanceRecord.objects.bulk_create(records, ignore_conflicts=True)


def seed_calendar(context):
    """Attendance of the classes dated from today (demo.training.seed_calendar_classes).

    Running class: yesterday's two sessions held (one trainee late now and then); today's
    session is on now, for the check-in screen. Class that ended yesterday: every session
    held; one trainee on approved 公假 for a session (excused: it earns its 学时), one
    absent two days (退学 at the close), the rest present.
    """
    now = timezone.now()
    for key in ("running_class", "ended_class"):
        klass = context.get(key)
        if klass is None or klass.status == klass.Status.CLOSED:
            continue
        roster = [
            e.trainee
            for e in Enrolment.objects.filter(training_class=klass)
            .select_related("trainee")
            .order_by("trainee__username")
        ]
        past = list(
            ClassSession.objects.filter(training_class=klass, ends_at__lte=now).order_by(
                "starts_at"
            )
        )
        if not roster or not past:
            continue
        decider = _decider(context, klass)
        skip = set()
        if key == "ended_class" and len(roster) > 2:
            on_duty, absent = roster[1], roster[-1]
            skip.add(absent.pk)
            if decider is not None:
                _leave(
                    trainee=on_duty,
                    klass=klass,
                    sessions=[past[2]],
                    reason="乡党委通知参加汛后水毁工程复工现场会，请公假半天，附会议通知。",
                    decider=decider,
                    kind=LeaveRequest.Kind.OFFICIAL,
                )
            skip.add((on_duty.pk, 2))
        _checked_in(past, roster, skip=skip)
        for session in past:
            session_close(session=session, now=now)
