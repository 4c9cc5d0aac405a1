"""What training tells people (notifications.services.notify): notices and sessions.

The services call these after their change; the session reminder runs from the
notifications sweep through the `notification_reminders` hook (wagtail_hooks.py).
"""

import datetime

from django.urls import reverse
from wagtail import hooks

from notifications.services import notify

from .models import ClassSession, Enrolment, TrainingClass

REMIND_BEFORE = datetime.timedelta(hours=1)


def _roster(training_class_id: int):
    return Enrolment.objects.filter(
        training_class_id=training_class_id, status=Enrolment.Status.ENROLLED
    ).values_list("trainee_id", flat=True)


def notice_posted(notice) -> None:
    klass = notice.training_class
    notify(
        event="notice_posted",
        recipients=_roster(klass.pk),
        key=f"notice:{notice.pk}",
        context={"class_name": klass.name, "title": notice.title, "excerpt": notice.body[:80]},
        url=reverse("training:notice_detail", args=[notice.pk]),
    )


@hooks.register("notification_reminders")
def sessions_starting(*, now: datetime.datetime) -> int:
    """Sessions starting within the hour: the roster is told once per session (the key),
    with the class page link; checking in still needs the code on the screen."""
    sessions = ClassSession.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + REMIND_BEFORE,
        training_class__status__in=[TrainingClass.Status.ENROLLING, TrainingClass.Status.RUNNING],
    ).select_related("training_class")
    count = 0
    for session in sessions:
        klass = session.training_class
        count += notify(
            event="session_starting",
            recipients=_roster(klass.pk),
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
