"""What training tells people (notifications.services.notify): a class notice posted.

(The reminder of a session starting lives in attendance/notify.py, which knows who is on
leave for it.)
"""

from django.urls import reverse

from notifications.services import notify

from .models import Enrolment


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
