import datetime
import itertools

from django.utils import timezone

from notifications.models import Delivery, Notification
from tests.factories import trainee


def at(hour: int, minute: int = 0, days: int = 1) -> datetime.datetime:
    """A moment `days` from today at hour:minute, Beijing time (the site's zone)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


_emails = itertools.count(1)


def people(n: int, **kwargs) -> list:
    """Trainees with a mobile number and an email address."""
    return [trainee(email=f"trainee{next(_emails)}@example.cn", **kwargs) for _ in range(n)]


def inbox(person, key=None):
    qs = Notification.objects.filter(recipient=person)
    return qs.filter(key=key) if key else qs


def deliveries(key=None, **filters):
    qs = Delivery.objects.filter(**filters)
    return qs.filter(key=key) if key else qs
