"""What attendance tells people (notifications.services.notify): leave decisions, and the
reminders the notifications sweep runs through the `notification_reminders` hook: a
session starting within the hour (not to those on leave for it), and reporting back
(销假) when a leave has ended."""

import datetime

from django.db.models import Max
from django.urls import reverse
from wagtail import hooks

from notifications.services import notify
from training.models import ClassSession, Enrolment, TrainingClass

from .models import LeaveRequest

# A leave that ended longer ago than this is the adviser's business, not a reminder's.
REPORT_BACK_WINDOW = datetime.timedelta(days=2)
REMIND_BEFORE = datetime.timedelta(hours=1)


def _when(leave) -> str:
    dates = sorted({s.date for s in leave.sessions.all()})
    if not dates:
        return ""
    first, last = dates[0].isoformat(), dates[-1].isoformat()
    return first if first == last else f"{first} – {last}"


def leave_decided(leave) -> None:
    approved = leave.status == LeaveRequest.Status.APPROVED
    notify(
        event="leave_approved" if approved else "leave_rejected",
        recipients=[leave.trainee],
        key=f"leave:{leave.pk}:{leave.status}",
        context={
            "class_name": leave.training_class.name,
            "when": _when(leave),
            "note": leave.decision_note,
        },
        url=reverse("attendance:leave_detail", args=[leave.pk]),
    )


@hooks.register("notification_reminders")
def leave_report_back_due(*, now: datetime.datetime) -> int:
    leaves = (
        LeaveRequest.objects.filter(status=LeaveRequest.Status.APPROVED, reported_back_at=None)
        .annotate(last_end=Max("sessions__ends_at"))
        .filter(last_end__lte=now, last_end__gte=now - REPORT_BACK_WINDOW)
        .select_related("trainee", "training_class")
    )
    count = 0
    for leave in leaves:
        count += notify(
            event="leave_report_back_due",
            recipients=[leave.trainee],
            key=f"leave:{leave.pk}:report_back",
            context={"class_name": leave.training_class.name, "when": _when(leave)},
            url=reverse("attendance:leave_detail", args=[leave.pk]),
            now=now,
        )
    return count


@hooks.register("notification_reminders")
def sessions_starting(*, now: datetime.datetime) -> int:
    """Sessions starting within the hour: the roster is told once per session (the key),
    with the class page link; checking in still needs the code on the screen. Trainees
    with approved leave for the session are not told."""
    sessions = ClassSession.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + REMIND_BEFORE,
        training_class__status__in=[TrainingClass.Status.ENROLLING, TrainingClass.Status.RUNNING],
    ).select_related("training_class")
    count = 0
    for session in sessions:
        klass = session.training_class
        on_leave = LeaveRequest.objects.filter(
            sessions=session, status=LeaveRequest.Status.APPROVED
        ).values("trainee_id")
        count += notify(
            event="session_starting",
            recipients=Enrolment.objects.filter(
                training_class=klass, status=Enrolment.Status.ENROLLED
            )
            .exclude(trainee_id__in=on_leave)
            .values_list("trainee_id", flat=True),
            key=f"session_start:{session.pk}",
            context={
                "class_name": klass.name,
                "session": session.title,
                "time": session.starts_at.isoformat(),
                "venue": session.venue or klass.venue,
            },
            url=reverse("training:class_detail", args=[klass.pk]),
            now=now,
        )
    return count
