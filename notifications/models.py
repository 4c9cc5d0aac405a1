"""What reaches people: an inbox item per event and person, and a delivery per channel.

Other apps never write these rows: they call `notifications.services.notify`. The rows
are written in the caller's transaction (an outbox), so a leave decision and the news of
it commit together, and a task queue or provider outage delays a message, never loses it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Event(models.TextChoices):
    NOTICE_POSTED = "notice_posted", _("Class notice posted")
    SESSION_STARTING = "session_starting", _("Session starts within the hour")
    LEAVE_APPROVED = "leave_approved", _("Leave approved")
    LEAVE_REJECTED = "leave_rejected", _("Leave refused")
    LEAVE_REPORT_BACK_DUE = "leave_report_back_due", _("Report back from leave due")
    QUIZ_OPEN = "quiz_open", _("Quiz or exam open")
    QUIZ_DUE = "quiz_due", _("Quiz or exam due within 24 hours, not started")
    WORK_GRADED = "work_graded", _("Written work graded")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    ACCOUNT_CREATED = "account_created", _("Account created by an organiser")
    PASSWORD_RESET = "password_reset", _("Password reset by an organiser")
    LOGIN_CODE = "login_code", _("Login code")
    DECLARATION_APPROVED = "declaration_approved", _("Credit-hour declaration approved")
    DECLARATION_REFUSED = "declaration_refused", _("Credit-hour declaration refused")


class Channel(models.TextChoices):
    INBOX = "inbox", _("Inbox")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    """One inbox item: what the bell counts. One per (event key, person)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    key = models.CharField(_("event key"), max_length=120)
    context = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient"], name="one_notification_per_event_and_person"
            ),
        ]
        indexes = [
            # The bell's count on every page: a person's unread items, nothing else read.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"

    @property
    def title(self) -> str:
        # Imported here: events.py imports these models.
        from .events import render

        return render(self.event, self.context)[0]

    @property
    def body(self) -> str:
        # Imported here: events.py imports these models.
        from .events import render

        return render(self.event, self.context)[1]


class Delivery(models.Model):
    """One message on one channel (email, SMS) for one event and person.

    The unique (key, recipient, channel) is the guarantee against a second SMS: a retried
    task or a second worker finds the row, and only the worker whose conditional update
    moved it from queued to sending talks to the provider.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("delivery", "Queued")
        SENDING = "sending", pgettext_lazy("delivery", "Sending")
        SENT = "sent", pgettext_lazy("delivery", "Sent")
        FAILED = "failed", pgettext_lazy("delivery", "Failed")
        SKIPPED = "skipped", pgettext_lazy("delivery", "Not sent")

    key = models.CharField(_("event key"), max_length=120)
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(
        pgettext_lazy("notification", "channel"), max_length=8, choices=Channel.choices
    )
    address = models.CharField(
        _("address"), max_length=254, blank=True, help_text=_("Mobile number or email address.")
    )
    context = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    detail = models.CharField(_("provider's answer"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(pgettext_lazy("delivery", "attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # The claiming worker's token: set by the one UPDATE that moves the row to sending.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient", "channel"],
                name="one_delivery_per_event_person_channel",
            ),
        ]
        indexes = [
            # The sweep: queued messages whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="delivery_queued_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.channel} → {self.recipient_id}: {self.status}"

    @property
    def reason_label(self) -> str:
        # Imported here: events.py imports these models.
        from .events import reason_label

        return reason_label(self.reason)


class EventRule(models.Model):
    """Per event, which channels carry it: off, on unless a person opts out, or mandatory.

    Mandatory ones (a session starting, a leave decision) are marked on everyone's
    preferences page and cannot be switched off there. The inbox always carries every event.
    """

    class Setting(models.TextChoices):
        OFF = "off", _("Off")
        ON = "on", _("On (people may switch it off)")
        MANDATORY = "mandatory", _("Mandatory")

    event = models.CharField(_("event"), max_length=32, choices=Event.choices, unique=True)
    email = models.CharField(_("email"), max_length=10, choices=Setting.choices, default=Setting.ON)
    sms = models.CharField(_("SMS"), max_length=10, choices=Setting.choices, default=Setting.ON)

    class Meta:
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")
        ordering = ["event"]

    def __str__(self) -> str:
        return str(self.get_event_display())

    def setting_for(self, channel: str) -> str:
        return getattr(self, channel)


class Preference(models.Model):
    """A person's choice for one event and channel; only choices that differ are stored."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    channel = models.CharField(
        pgettext_lazy("notification", "channel"), max_length=8, choices=Channel.choices
    )
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "event", "channel"], name="one_preference_per_event_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.event} {self.channel}: {self.enabled}"
