"""The bell's count on each person's row (`User.unread_notifications`), so no page counts.

Every write that adds, reads or removes inbox items calls `unread_refresh` for the people
concerned, in its own transaction: the count is recomputed from the inbox (never added
to or taken from, so it cannot drift), after locking the people's rows in a fixed order.
Two transactions touching one person's inbox at once thus serialise on that row, and the
second recounts in a statement that sees what the first committed. A Notification saved
through the ORM one by one (`.save()`, `.create()`, `.delete()`) is recounted by the
signals below.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from ..models import Notification


def unread_refresh(user_ids) -> None:
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return
    User = get_user_model()
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        User.objects.filter(pk__in=ids).update(unread_notifications=Coalesce(Subquery(unread), 0))


def unread_refresh_reader(reader) -> None:
    """Recount one person's and update the instance in hand (the page drawn next shows it)."""
    unread_refresh([reader.pk])
    reader.unread_notifications = (
        get_user_model()
        .objects.filter(pk=reader.pk)
        .values_list("unread_notifications", flat=True)
        .first()
        or 0
    )


# Set while a caller deletes many items and recounts their people once afterwards.
_bulk = ContextVar("notifications_unread_bulk", default=False)


@contextmanager
def unread_refresh_after():
    """Delete many inbox items without a recount for each; the caller recounts."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def _saved(sender, instance, raw=False, **kwargs):
    unread_refresh([instance.recipient_id])


def _deleted(sender, instance, **kwargs):
    if instance.read_at is None and not _bulk.get():
        unread_refresh([instance.recipient_id])


def connect() -> None:
    post_save.connect(_saved, sender=Notification, dispatch_uid="notifications.unread")
    post_delete.connect(_deleted, sender=Notification, dispatch_uid="notifications.unread_del")
