"""Sending: claim queued deliveries, hand them to the email or SMS backend, record the answer.

A delivery is sent by whoever moves it from queued to sending: one UPDATE whose WHERE
says `status = 'queued'`, stamped with the claimer's token. Rows are first picked with
FOR UPDATE SKIP LOCKED (PostgreSQL), so concurrent workers take different rows instead of
queueing on the same ones; the conditional UPDATE is what makes a second send impossible,
on any database. A worker that dies while sending leaves the row `sending`; the sweep
marks it failed ("interrupted") instead of sending it again, since the provider may
already have delivered it.
"""

import datetime
import logging
import smtplib
import uuid
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .. import sms
from ..events import render_site, sms_params, spec_for
from ..models import Channel, Delivery, Event
from .timing import _sms_template, quiet_until

logger = logging.getLogger(__name__)

CHUNK = 100
STALE_CLAIM = datetime.timedelta(minutes=10)
MAX_BACKOFF = datetime.timedelta(hours=1)
S = Delivery.Status
_QUIET_EVENTS = [e for e in Event.values if spec_for(e).quiet_hours]


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … failure, at most an hour."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _due(*, key, channel, now):
    qs = Delivery.objects.filter(status=S.QUEUED, channel=channel, next_attempt_at__lte=now)
    return qs.filter(key=key) if key else qs


def _hold_for_the_night(*, key, channel, now) -> None:
    morning = quiet_until(now)
    if channel == Channel.SMS and morning is not None:
        _due(key=key, channel=channel, now=now).filter(event__in=_QUIET_EVENTS).update(
            next_attempt_at=morning, reason="quiet_hours"
        )


def _expire(*, key, channel, now) -> int:
    return (
        _due(key=key, channel=channel, now=now)
        .filter(expires_at__lt=now)
        .update(status=S.FAILED, reason="expired", updated_at=now)
    )


def _claim(*, key, channel, now) -> list[Delivery]:
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            _due(key=key, channel=channel, now=now)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=S.QUEUED).update(
            status=S.SENDING,
            claim=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    return list(Delivery.objects.filter(claim=token, status=S.SENDING).order_by("pk"))


def deliveries_send(*, channel: str, key: str = "", now: datetime.datetime | None = None) -> dict:
    """Send every due queued delivery on `channel` (of one occurrence `key`, or all).

    Safe to run any number of times, at once, from any number of workers. Returns counts
    of sent, failed and retry (queued again for later).
    """
    counts = Counter()
    fixed_now = now
    while True:
        now = fixed_now or timezone.now()
        _hold_for_the_night(key=key, channel=channel, now=now)
        counts["failed"] += _expire(key=key, channel=channel, now=now)
        batch = _claim(key=key, channel=channel, now=now)
        if not batch:
            break
        results = _send_sms(batch) if channel == Channel.SMS else _send_email(batch)
        for outcome in _record(batch, results, now=timezone.now() if fixed_now is None else now):
            counts[outcome] += 1
    return {outcome: n for outcome, n in counts.items() if n}


# --- the channels ---------------------------------------------------------------------------


def _sms_message(d: Delivery, extra: dict | None = None) -> sms.SmsMessage:
    context = {**d.context, **(extra or {})}
    return sms.SmsMessage(
        phone=d.address,
        template_id=_sms_template(d.event),
        params=tuple(sms_params(d.event, context)),
        ref=d.pk,
        text=render_site(d.event, context)[1],
    )


def _send_sms(batch: list[Delivery], extra: dict | None = None) -> list[sms.SmsResult]:
    backend = sms.get_backend()
    messages = [_sms_message(d, extra) for d in batch]
    missing = sms.SmsResult(ok=False, code="no_template")
    if not backend.enabled:
        return [sms.SmsResult(ok=False, code="sms_off")] * len(batch)
    to_send = [m for m in messages if m.template_id]
    try:
        answers = iter(backend.send_messages(to_send))
    except Exception as exc:
        # A backend that raised may have sent some: no second try for any of them.
        logger.exception("SMS backend failed")
        failure = sms.SmsResult(ok=False, code="outcome_unknown", detail=str(exc)[:300])
        return [failure if m.template_id else missing for m in messages]
    return [next(answers) if m.template_id else missing for m in messages]


def _absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def _send_email(batch: list[Delivery]) -> list[sms.SmsResult]:
    try:
        connection = get_connection()
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        failure = sms.SmsResult(ok=False, code="network", detail=str(exc)[:300], retry=True)
        return [failure] * len(batch)
    results = []
    site = str(settings.WAGTAIL_SITE_NAME)
    try:
        for d in batch:
            subject, body = render_site(d.event, d.context)
            if d.url:
                body = f"{body}\n\n{_absolute(d.url)}"
            message = EmailMessage(
                subject=f"【{site}】{subject}",
                body=body,
                to=[d.address],
                connection=connection,
            )
            try:
                message.send()
                results.append(sms.sent())
            except (smtplib.SMTPRecipientsRefused, ValueError) as exc:
                results.append(sms.SmsResult(ok=False, code="refused", detail=str(exc)[:300]))
            except (smtplib.SMTPException, OSError) as exc:
                results.append(
                    sms.SmsResult(ok=False, code="network", detail=str(exc)[:300], retry=True)
                )
    finally:
        connection.close()
    return results


# --- the answers ----------------------------------------------------------------------------


def _record(batch: list[Delivery], results: list[sms.SmsResult], *, now) -> list[str]:
    outcomes = []
    retry_at: dict[tuple, datetime.datetime] = {}
    for d, result in zip(batch, results, strict=True):
        d.claim = ""
        d.detail = (result.detail or "")[:300]
        if result.ok:
            d.status, d.sent_at, d.reason = S.SENT, now, ""
            d.provider_id = (result.provider_id or "")[:100]
            outcomes.append("sent")
        elif result.retry:
            d.next_attempt_at = now + (result.retry_after or backoff(d.attempts))
            if d.expires_at and d.next_attempt_at > d.expires_at:
                d.status, d.reason = S.FAILED, "expired"
                outcomes.append("failed")
            else:
                d.status, d.reason = S.QUEUED, result.code
                slot = (d.key, d.channel)
                retry_at[slot] = min(retry_at.get(slot, d.next_attempt_at), d.next_attempt_at)
                outcomes.append("retry")
        else:
            d.status, d.reason = S.FAILED, result.code[:64]
            outcomes.append("failed")
        d.updated_at = now
    Delivery.objects.bulk_update(
        batch,
        [
            "status",
            "claim",
            "reason",
            "detail",
            "sent_at",
            "provider_id",
            "next_attempt_at",
            "updated_at",
        ],
    )
    for (key, channel), when in retry_at.items():
        _schedule(key=key, channel=channel, when=when)
    return outcomes


def _schedule(*, key: str, channel: str, when: datetime.datetime) -> None:
    """A task at the retry time where the queue can defer; the sweep otherwise."""
    try:
        if deliveries_send_later.get_backend().supports_defer:
            deliveries_send_later.using(run_after=when).enqueue(key=key, channel=channel)
    except Exception:
        logger.exception("could not schedule the retry of %s %s", key, channel)


def deliveries_unstick(*, now: datetime.datetime | None = None) -> int:
    """Claims older than STALE_CLAIM belong to a worker that died mid-send: failed, not
    resent (the provider may have delivered them)."""
    now = now or timezone.now()
    return Delivery.objects.filter(status=S.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=S.FAILED, reason="interrupted", claim="", updated_at=now
    )


def deliveries_pending(*, now: datetime.datetime | None = None) -> list[tuple[str, str]]:
    """(key, channel) of everything queued and due: what the sweep sends."""
    now = now or timezone.now()
    return sorted(
        set(
            Delivery.objects.filter(status=S.QUEUED, next_attempt_at__lte=now)
            .order_by()
            .values_list("key", "channel")
            .distinct()
        )
    )


def login_code_send(*, user, phone: str, code: str, now=None) -> Delivery:
    """The SMS with a login code, sent now, in the request: the person is waiting for it.

    Logged like any delivery, without the code. Never held for quiet hours, never retried
    (the person asks for another code).
    """
    now = now or timezone.now()
    spec = spec_for(Event.LOGIN_CODE)
    minutes = max(1, int(getattr(settings, "ACCOUNT_LOGIN_BY_CODE_TIMEOUT", 180)) // 60)
    delivery = Delivery.objects.create(
        key=f"login_code:{uuid.uuid4().hex}",
        event=Event.LOGIN_CODE,
        recipient=user,
        channel=Channel.SMS,
        address=phone,
        context={"minutes": minutes},
        status=S.SENDING,
        attempts=1,
        claimed_at=now,
        next_attempt_at=now,
        expires_at=now + spec.lifetime,
    )
    result = _send_sms([delivery], extra={"code": code})[0]
    if result.retry:  # no later try for a code: say it failed now
        result = sms.SmsResult(ok=False, code=result.code, detail=result.detail)
    _record([delivery], [result], now=now)
    return delivery


@task()
def deliveries_send_later(key: str = "", channel: str = "sms") -> dict:
    """`deliveries_send` in the task worker (tasks.py names it `deliveries_send`)."""
    return deliveries_send(key=key, channel=channel)
