"""SMS through a pluggable backend, as Django does email: settings.SMS_BACKEND names it.

    notifications.sms.console.SmsBackend    development: prints each message
    notifications.sms.locmem.SmsBackend     tests: keeps them in `notifications.sms.outbox`
    notifications.sms.tencent.SmsBackend    Tencent Cloud SMS through its official SDK
    notifications.sms.disabled.SmsBackend   no SMS at all: deliveries say so, inbox only

A backend takes a list of `SmsMessage` and answers one `SmsResult` per message, in order,
saying whether it was accepted, or failed for good, or may be retried later.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list = []  # the locmem backend's messages, as django.core.mail.outbox


@dataclass(frozen=True)
class SmsMessage:
    phone: str  # 11 digits, mainland
    template_id: str
    params: tuple[str, ...]
    ref: int | None = None  # the Delivery's pk, for the backend's logs
    text: str = ""  # the message in words, for the console backend and tests


@dataclass(frozen=True)
class SmsResult:
    ok: bool
    code: str = ""
    detail: str = ""
    retry: bool = False
    retry_after: datetime.timedelta | None = None
    provider_id: str = ""
    extra: dict = field(default_factory=dict)


def sent(provider_id: str = "") -> SmsResult:
    return SmsResult(ok=True, code="Ok", provider_id=provider_id)


class BaseSmsBackend:
    enabled = True

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        raise NotImplementedError


def get_backend(path: str | None = None) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)()
