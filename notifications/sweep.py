"""The periodic pass: reminders that depend on the clock, retries that fell due,
messages left behind by a dead worker or a queue outage, and old inbox items.
Idempotent: run it every few minutes (deploy/lms-sweep.timer runs `manage.py send_notifications`).

Reminders belong to the apps that know their subject (a session starting, an exam
closing); each registers a function with the `notification_reminders` Wagtail hook,
taking `now` and calling `notify` itself, so this app imports none of them.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from .models import Notification
from .services import deliveries_pending, deliveries_send, deliveries_unstick
from .services.unread import unread_refresh, unread_refresh_after

logger = logging.getLogger(__name__)


def reminders_run(*, now: datetime.datetime) -> int:
    count = 0
    for reminder in hooks.get_hooks("notification_reminders"):
        try:
            count += reminder(now=now) or 0
        except Exception:
            logger.exception("reminder %s failed", getattr(reminder, "__name__", reminder))
    return count


def inbox_prune(*, now: datetime.datetime) -> int:
    """Inbox items older than NOTIFICATIONS_INBOX_KEEP_DAYS go, read or not: nobody acts
    on a year-old notice. Deliveries stay: they are the record of what was sent."""
    cutoff = now - datetime.timedelta(days=settings.NOTIFICATIONS_INBOX_KEEP_DAYS)
    old = Notification.objects.filter(created_at__lt=cutoff)
    with transaction.atomic():
        counted = set(old.filter(read_at__isnull=True).values_list("recipient_id", flat=True))
        with unread_refresh_after():
            deleted, _ = old.delete()
        unread_refresh(counted)
    return deleted


def sweep(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    result = {
        "reminders": reminders_run(now=now),
        "interrupted": deliveries_unstick(now=now),
        "pruned": inbox_prune(now=now),
    }
    sent = failed = retry = 0
    for key, channel in deliveries_pending(now=now):
        counts = deliveries_send(key=key, channel=channel, now=now)
        sent += counts.get("sent", 0)
        failed += counts.get("failed", 0)
        retry += counts.get("retry", 0)
    result.update(sent=sent, failed=failed, retry=retry)
    return result
