"""Reads: a person's inbox and preferences, and the delivery log within an organiser's units."""

from django.db.models import QuerySet

from people.roles import Role, has_role
from people.selectors import within_units_q

from .events import default_setting
from .forms import CHANNEL_LABELS
from .models import Delivery, Event, EventRule, Notification, Preference
from .services.inbox import preference_events
from .services.notify import DELIVERY_CHANNELS


def unread_count(request) -> int:
    """The bell's number, from the person's row (notifications.services.unread): no query."""
    user = request.user
    return user.unread_notifications if user.is_authenticated else 0


def inbox_list(*, reader) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=reader).order_by("-created_at", "-pk")


def preference_rows(*, person) -> list[dict]:
    """Per event: each channel's setting (off / on / mandatory) and the person's choice."""
    rules = {r.event: r for r in EventRule.objects.all()}
    off = set(
        Preference.objects.filter(person=person, enabled=False).values_list("event", "channel")
    )
    rows = []
    for event in preference_events():
        rule = rules.get(event)
        cells = []
        for channel in DELIVERY_CHANNELS:
            setting = rule.setting_for(channel) if rule else default_setting(event, channel)
            cells.append(
                {
                    "channel": channel,
                    "label": CHANNEL_LABELS[channel],
                    "name": f"{event}__{channel}",
                    "setting": setting,
                    "enabled": (event, channel) not in off,
                }
            )
        rows.append({"event": event, "label": Event(event).label, "cells": cells})
    return rows


def can_see_delivery_log(user) -> bool:
    return user.is_active and (user.is_superuser or has_role(user, Role.ORGANISER))


def delivery_list_for_staff(*, viewer) -> QuerySet[Delivery]:
    """Organisers: messages to people of their units (and below); administrators: all."""
    if not can_see_delivery_log(viewer):
        return Delivery.objects.none()
    return Delivery.objects.filter(within_units_q(viewer, field="recipient__org_unit"))
