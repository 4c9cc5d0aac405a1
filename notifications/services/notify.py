"""notify(): the one call other apps make. It writes the inbox items and the deliveries.

The rows go into the caller's transaction (a savepoint of it), so they commit with the
change they report and vanish with it if it rolls back; after the commit the task queue
is asked to send. A failure here is logged and never undoes the caller's change: a leave
decision must stand even if its notification cannot be written.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .. import sms
from ..events import MANDATORY, OFF, spec_for
from ..models import Channel, Delivery, Event, EventRule, Notification, Preference
from .deliver import deliveries_send_later
from .timing import _sms_template, quiet_until
from .unread import unread_refresh

logger = logging.getLogger(__name__)

DELIVERY_CHANNELS = (Channel.EMAIL, Channel.SMS)
_PERSON_FIELDS = ("pk", "full_name", "username", "phone", "email", "is_active")


def channel_settings(event: str) -> dict[str, str]:
    """off / on / mandatory per delivery channel: the event's rule, or the code's default."""
    rule = EventRule.objects.filter(event=event).first()
    return {
        channel: (rule.setting_for(channel) if rule else getattr(spec_for(event), channel))
        for channel in DELIVERY_CHANNELS
    }


def _people(recipients) -> list:
    """People from people, a queryset of them, or ids (a list or a values_list)."""
    User = get_user_model()
    if getattr(recipients, "model", None) is User and not getattr(recipients, "_fields", None):
        return list(recipients.only(*_PERSON_FIELDS[1:]))
    people = [r for r in recipients if r is not None]
    if people and isinstance(people[0], int):
        return list(User.objects.filter(pk__in=people).only(*_PERSON_FIELDS[1:]))
    return people


def _address(person, channel: str) -> str:
    return (person.phone or "") if channel == Channel.SMS else (person.email or "").strip()


def notify(
    *,
    event: str,
    recipients,
    key: str,
    context: dict | None = None,
    url: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """Tell `recipients` (people, a queryset of them, or their ids) about `event`.

    `key` names the occurrence ("notice:12"): with the recipient and the channel it is
    unique, so calling again for the same occurrence sends nothing twice. `context` holds
    plain values the event's words need (see events.py). Returns how many inbox items
    were new as this call saw them (0 if it failed; the failure is logged); callers
    racing on one key may each count the same rows, but only one row per person exists.
    """
    event = Event(event)
    try:
        with transaction.atomic():
            created = _write(
                event=event,
                people=_people(recipients),
                key=key,
                context=dict(context or {}),
                url=url,
                now=now or timezone.now(),
            )
    except Exception:
        logger.exception("notification %s (%s) could not be written", key, event)
        return 0
    transaction.on_commit(lambda: _enqueue_send(key), robust=True)
    return created


def _write(*, event, people, key, context, url, now) -> int:
    people = [p for p in people if p.is_active]
    if not people:
        return 0
    spec = spec_for(event)
    before = Notification.objects.filter(key=key).count()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=p, event=event, key=key, url=url, context={**context, "name": str(p)}
            )
            for p in people
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    created = Notification.objects.filter(key=key).count() - before
    if created:
        unread_refresh([p.pk for p in people])

    channels = channel_settings(event)
    opted_out = set(
        Preference.objects.filter(
            event=event, enabled=False, person__in=[p.pk for p in people]
        ).values_list("person_id", "channel")
    )
    sms_backend = sms.get_backend()
    quiet = quiet_until(now) if spec.quiet_hours else None
    rows = []
    for channel in DELIVERY_CHANNELS:
        setting = channels[channel]
        if setting == OFF:
            continue
        for p in people:
            row = Delivery(
                key=key,
                event=event,
                recipient=p,
                channel=channel,
                address=_address(p, channel),
                context={**context, "name": str(p), "login": p.phone or p.username},
                url=url,
                next_attempt_at=now,
                expires_at=now + spec.lifetime,
            )
            if setting != MANDATORY and (p.pk, channel) in opted_out:
                row.status, row.reason = Delivery.Status.SKIPPED, "opted_out"
            elif not row.address:
                row.status = Delivery.Status.SKIPPED
                row.reason = "no_phone" if channel == Channel.SMS else "no_email"
            elif channel == Channel.SMS and not sms_backend.enabled:
                row.status, row.reason = Delivery.Status.SKIPPED, "sms_off"
            elif channel == Channel.SMS and not _sms_template(event):
                row.status, row.reason = Delivery.Status.SKIPPED, "no_template"
            elif channel == Channel.SMS and quiet is not None:
                row.next_attempt_at, row.reason = quiet, "quiet_hours"
                row.expires_at = max(row.expires_at, quiet + spec.lifetime)
            rows.append(row)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return created


def _enqueue_send(key: str) -> None:
    """Ask the worker to send what this occurrence queued; the sweep catches anything a
    queue outage drops (the rows are committed, so nothing is lost)."""
    due = (
        Delivery.objects.filter(
            key=key, status=Delivery.Status.QUEUED, next_attempt_at__lte=timezone.now()
        )
        .order_by()
        .values_list("channel", flat=True)
        .distinct()
    )
    for channel in sorted(set(due)):
        try:
            deliveries_send_later.enqueue(key=key, channel=channel)
        except Exception:
            logger.exception("could not queue sending of %s %s", key, channel)
