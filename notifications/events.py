"""The events people are told about: their words, SMS parameters, defaults and lifetimes.

A service elsewhere calls `notify(event=..., context=...)` with plain values (names,
titles, ISO times); the words are chosen here, when a message is shown or sent, in the
reader's language for the inbox and in the site's language (Chinese) for email and SMS.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .models import Event, EventRule

ON, OFF, MANDATORY = EventRule.Setting.ON, EventRule.Setting.OFF, EventRule.Setting.MANDATORY


@dataclass(frozen=True)
class EventSpec:
    title: str
    body: str
    # The SMS template's parameters, in order, as context keys ("name" is the recipient's).
    sms_params: tuple[str, ...] = ()
    email: str = ON
    sms: str = ON
    # No SMS at night (NOTIFICATIONS_QUIET_HOURS) unless the person is waiting for it.
    quiet_hours: bool = True
    # Past this age a message is worth nothing (a session that has begun): not sent.
    lifetime: datetime.timedelta = datetime.timedelta(days=2)
    extra: dict = field(default_factory=dict)


SPECS: dict[str, EventSpec] = {
    Event.NOTICE_POSTED: EventSpec(
        title=_("New notice: %(title)s"),
        body=_("%(class_name)s: %(excerpt)s"),
        sms_params=("class_name", "title"),
    ),
    Event.SESSION_STARTING: EventSpec(
        title=_("Starts at %(time)s: %(session)s"),
        body=_("%(class_name)s, %(venue)s. Check in there with the code shown on the screen."),
        sms_params=("session", "time"),
        email=OFF,
        sms=MANDATORY,
        lifetime=datetime.timedelta(hours=1),
    ),
    Event.LEAVE_APPROVED: EventSpec(
        title=_("Leave approved"),
        body=_(
            "%(class_name)s: your leave for %(when)s was approved. "
            "Report back (销假) when you return."
        ),
        sms_params=("class_name", "when"),
        sms=MANDATORY,
    ),
    Event.LEAVE_REJECTED: EventSpec(
        title=_("Leave refused"),
        body=_("%(class_name)s: your leave for %(when)s was refused. %(note)s"),
        sms_params=("class_name", "when"),
        sms=MANDATORY,
    ),
    Event.LEAVE_REPORT_BACK_DUE: EventSpec(
        title=_("Please report back from leave"),
        body=_("%(class_name)s: your leave for %(when)s has ended. Report back (销假) now."),
        sms_params=("class_name",),
    ),
    Event.QUIZ_OPEN: EventSpec(
        title=_("Open now: %(quiz)s"),
        body=_("%(class_name)s: %(quiz)s is open until %(closes)s."),
        sms_params=("quiz", "closes"),
    ),
    Event.QUIZ_DUE: EventSpec(
        title=_("Due within 24 hours: %(quiz)s"),
        body=_("%(class_name)s: you have not started %(quiz)s. It closes at %(closes)s."),
        sms_params=("quiz", "closes"),
    ),
    Event.WORK_GRADED: EventSpec(
        title=_("Graded: %(title)s"),
        body=_("Your work “%(title)s” has been graded. Open it to see the grade and comment."),
        sms_params=("title",),
        sms=OFF,
    ),
    Event.CERTIFICATE_ISSUED: EventSpec(
        title=_("Certificate issued: %(class_name)s"),
        body=_("Your completion certificate for %(class_name)s is ready under My certificates."),
        sms_params=("class_name",),
        lifetime=datetime.timedelta(days=3),
    ),
    Event.DECLARATION_APPROVED: EventSpec(
        title=_("Declaration approved: %(title)s"),
        body=_(
            "Your declaration of %(hours)s credit hours for “%(title)s” was approved; "
            "the hours are in your ledger."
        ),
        sms_params=("title", "hours"),
        sms=OFF,
        lifetime=datetime.timedelta(days=7),
    ),
    Event.DECLARATION_REFUSED: EventSpec(
        title=_("Declaration refused: %(title)s"),
        body=_(
            "Your declaration of %(hours)s credit hours for “%(title)s” was refused: %(reason)s"
        ),
        sms_params=("title",),
        sms=OFF,
        lifetime=datetime.timedelta(days=7),
    ),
    Event.ACCOUNT_CREATED: EventSpec(
        title=_("Your account is ready"),
        body=_(
            "%(name)s, your account on the training platform is ready. Log in with your "
            "mobile number %(login)s and the initial password your organiser gives you, "
            "or with a code sent to your phone; you will choose your own password."
        ),
        sms_params=("name", "login"),
        email=MANDATORY,
        sms=MANDATORY,
        lifetime=datetime.timedelta(days=3),
    ),
    Event.PASSWORD_RESET: EventSpec(
        title=_("Your password was reset"),
        body=_(
            "%(name)s, an organiser reset your password. Ask them for the new initial "
            "password, or log in with a code sent to your phone."
        ),
        sms_params=("name",),
        email=MANDATORY,
        sms=MANDATORY,
    ),
    Event.LOGIN_CODE: EventSpec(
        title=_("Login code"),
        body=_("Your login code is %(code)s."),
        sms_params=("code", "minutes"),
        email=OFF,
        sms=MANDATORY,
        quiet_hours=False,
        lifetime=datetime.timedelta(minutes=5),
    ),
}

# Why a message was not sent, or not yet: codes kept in Delivery.reason.
REASONS = {
    "no_phone": _("No mobile number on file: inbox only"),
    "no_email": _("No email address on file: inbox only"),
    "opted_out": _("Switched off by the person"),
    "no_template": _("No SMS template configured for this event"),
    "sms_off": _("SMS is not configured on this site"),
    "quiet_hours": _("Held until the morning (no SMS at night)"),
    "expired": _("Too late to be useful: not sent"),
    "interrupted": _("The worker stopped while sending; not sent again, to avoid a duplicate"),
    "outcome_unknown": _("The provider did not answer in time; not sent again"),
    "network": _("The provider could not be reached; will retry"),
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _when(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return str(value or "")
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _values(context: dict) -> dict:
    values = _Blank(context)
    for key in ("time", "closes"):
        if key in context:
            values[key] = _when(context[key])
    return values


def spec_for(event: str) -> EventSpec:
    return SPECS[event]


def render(event: str, context: dict) -> tuple[str, str]:
    """(title, body) in the active language."""
    spec = SPECS.get(event)
    if spec is None:
        return str(event), ""
    values = _values(context or {})
    return str(spec.title) % values, (str(spec.body) % values).strip()


def render_site(event: str, context: dict) -> tuple[str, str]:
    """(title, body) in the site's language: emails are read outside any request."""
    with translation.override(settings.LANGUAGE_CODE):
        return render(event, context)


def sms_params(event: str, context: dict) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        values = _values(context or {})
        limit = settings.SMS_PARAM_MAX_LENGTH
        return [str(values[name])[:limit] for name in SPECS[event].sms_params]


def reason_label(code: str) -> str:
    if not code:
        return ""
    label = REASONS.get(code)
    return str(label) if label is not None else code


def default_setting(event: str, channel: str) -> str:
    return getattr(SPECS[event], channel)
