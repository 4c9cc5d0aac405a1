"""What attendance tells people (notifications.services.notify): leave decisions, and the
reminder to report back (销假) when a leave has ended, run by the notifications sweep."""

import datetime

from django.db.models import Max
from django.urls import reverse
from wagtail import hooks

from notifications.services import notify

from .models import LeaveRequest

# A leave that ended longer ago than this is the adviser's business, not a reminder's.
REPORT_BACK_WINDOW = datetime.timedelta(days=2)


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
