"""Writes of the notifications app. Other apps call `notify` and nothing else."""

from .deliver import (
    backoff,
    deliveries_pending,
    deliveries_send,
    deliveries_unstick,
    login_code_send,
)
from .inbox import (
    notification_open,
    notifications_mark_all_read,
    preference_events,
    preferences_update,
)
from .notify import channel_settings, notify, quiet_until

__all__ = [
    "backoff",
    "channel_settings",
    "deliveries_pending",
    "deliveries_send",
    "deliveries_unstick",
    "login_code_send",
    "notification_open",
    "notifications_mark_all_read",
    "notify",
    "preference_events",
    "preferences_update",
    "quiet_until",
]
