"""A person's own inbox and preferences: only ever their own rows."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from lms.audit import log

from ..events import MANDATORY, OFF
from ..models import Event, Notification, Preference
from .notify import DELIVERY_CHANNELS, channel_settings
from .unread import unread_refresh_reader


def notification_open(*, reader, pk: int) -> Notification:
    """Mark one of the reader's notifications read (the first time) and return it."""
    notification = Notification.objects.filter(pk=pk, recipient=reader).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=now)
            unread_refresh_reader(reader)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, reader) -> int:
    with transaction.atomic():
        count = Notification.objects.filter(recipient=reader, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        unread_refresh_reader(reader)
    return count


def preference_events() -> list[str]:
    """Events a person can have a say on: all but login codes (asked for, not pushed)."""
    return [e for e in Event.values if e != Event.LOGIN_CODE]


@transaction.atomic
def preferences_update(*, person, enabled: set[tuple[str, str]]) -> int:
    """Store the person's choices: `enabled` holds (event, channel) pairs they keep on.

    Mandatory and switched-off channels are not theirs to change and are ignored; only
    choices that differ from "on" are stored. Returns how many rows changed.
    """
    changed = 0
    rows = Preference.objects.select_for_update().filter(person=person)
    existing = {(p.event, p.channel): p for p in rows}
    for event in preference_events():
        settings = channel_settings(event)
        for channel in DELIVERY_CHANNELS:
            if settings[channel] in (OFF, MANDATORY):
                continue
            want = (event, channel) in enabled
            row = existing.get((event, channel))
            if want and row is not None:
                row.delete()
                changed += 1
            elif not want and row is None:
                Preference.objects.create(
                    person=person, event=event, channel=channel, enabled=False
                )
                changed += 1
    if changed:
        log(person, "notifications.preferences_update", user=person, data={"changed": changed})
    return changed
