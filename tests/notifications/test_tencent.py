"""The Tencent Cloud SMS backend, through the real SDK, against a fake API on loopback.

The fake checks what Tencent checks (the TC3-HMAC-SHA256 signature recomputed with the
secret key, the action and version, +86 numbers, app id, sign name, template, parameters)
and answers with the API's own error codes; each code ends as sent, failed for good, or
queued for a later try.
"""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Delivery
from notifications.services import deliveries_send, notify
from notifications.sms.tencent import classify
from notifications.sweep import sweep

from .factories import deliveries, people

pytestmark = pytest.mark.django_db
S = Delivery.Status
CONTEXT = {"class_name": "乡镇党委书记培训班", "title": "明早7:30集合", "excerpt": ""}


def post(recipients, key="notice:7"):
    notify(event="notice_posted", recipients=recipients, key=key, context=CONTEXT)
    return deliveries_send(channel="sms", key=key)


def test_the_sdk_sends_a_signed_request_with_number_template_and_parameters(fake_tencent, settings):
    person = people(1)[0]
    assert post([person]) == {"sent": 1}
    assert fake_tencent.messages == [
        {
            "phone": f"+86{person.phone}",
            "template_id": settings.SMS_TEMPLATES["notice_posted"],
            "params": ["乡镇党委书记培训班", "明早7:30集合"],
            "sign": "干部培训平台",
            "app_id": "1400000001",
        }
    ]
    row = deliveries(channel="sms").get()
    assert row.status == S.SENT and row.provider_id  # Tencent's SerialNo


def test_the_fake_refuses_a_request_signed_with_the_wrong_key(fake_tencent, settings):
    settings.SMS_TENCENT = {**settings.SMS_TENCENT, "SECRET_KEY": "not-the-key"}
    post(people(1))
    assert fake_tencent.problems == ["signature does not match"]
    assert fake_tencent.messages == []
    row = deliveries(channel="sms").get()
    assert (row.status, row.reason) == (S.QUEUED, "AuthFailure.SignatureFailure")
    fake_tencent.problems.clear()


@pytest.mark.parametrize(
    ("code", "per_number", "status"),
    [
        ("FailedOperation.PhoneNumberInBlacklist", True, S.FAILED),
        ("InvalidParameterValue.IncorrectPhoneNumber", True, S.FAILED),
        ("FailedOperation.TemplateIncorrectOrUnapproved", False, S.FAILED),
        ("LimitExceeded.PhoneNumberDailyLimit", True, S.QUEUED),
        ("LimitExceeded.PhoneNumberOneHourLimit", True, S.QUEUED),
        ("RequestLimitExceeded", False, S.QUEUED),
        ("InternalError.Timeout", False, S.QUEUED),
        ("FailedOperation.InsufficientBalanceInSmsPackage", False, S.QUEUED),
    ],
)
def test_each_provider_error_is_a_final_failure_or_a_later_retry(
    fake_tencent, code, per_number, status
):
    person = people(1)[0]
    if per_number:
        fake_tencent.fail_number(person.phone, code)
    else:
        fake_tencent.fail_next(code)
    post([person])
    row = deliveries(channel="sms").get()
    assert (row.status, row.reason, row.attempts) == (status, code, 1)
    if status == S.QUEUED:
        assert row.next_attempt_at > timezone.now()
    assert fake_tencent.messages == []


def test_a_daily_quota_waits_until_tomorrow_morning():
    wait = classify("LimitExceeded.PhoneNumberDailyLimit").retry_after
    morning = timezone.localtime() + wait
    assert (morning.hour, morning.minute) == (8, 0)
    assert morning.date() == timezone.localdate() + datetime.timedelta(days=1)


def test_a_bad_number_fails_alone_in_a_shared_request(fake_tencent):
    good, bad = people(2)
    fake_tencent.fail_number(bad.phone, "FailedOperation.PhoneNumberInBlacklist")
    assert post([good, bad]) == {"sent": 1, "failed": 1}
    assert len(fake_tencent.requests) == 1
    assert [m["phone"] for m in fake_tencent.messages] == [f"+86{good.phone}"]


def test_a_temporary_failure_is_sent_once_on_the_next_try(fake_tencent):
    person = people(1)[0]
    fake_tencent.fail_next("InternalError.Timeout")
    post([person])
    sweep(now=timezone.now() + datetime.timedelta(minutes=2))
    sweep(now=timezone.now() + datetime.timedelta(minutes=30))
    assert len(fake_tencent.messages) == 1
    row = deliveries(channel="sms").get()
    assert (row.status, row.attempts) == (S.SENT, 2)


def test_a_provider_outage_leaves_messages_queued_not_lost(fake_tencent, settings):
    live = settings.SMS_TENCENT
    settings.SMS_TENCENT = {**live, "ENDPOINT": "127.0.0.1:9"}  # nothing listens there
    trainees = people(3)
    post(trainees)
    rows = deliveries(channel="sms")
    assert {(d.status, d.reason) for d in rows} == {(S.QUEUED, "network")}
    sweep(now=timezone.now() + datetime.timedelta(minutes=2))  # still down
    assert set(rows.values_list("status", "attempts")) == {(S.QUEUED, 2)}
    settings.SMS_TENCENT = live  # back up
    sweep(now=timezone.now() + datetime.timedelta(minutes=10))
    assert set(rows.values_list("status", flat=True)) == {S.SENT}
    assert sorted(m["phone"] for m in fake_tencent.messages) == sorted(
        f"+86{t.phone}" for t in trainees
    )


def test_no_answer_in_time_is_not_sent_again(fake_tencent, settings):
    """The request reached Tencent but the answer did not come back: it may have been
    delivered, so a second try could make two SMS. Failed, with the reason."""
    settings.SMS_TENCENT = {**settings.SMS_TENCENT, "TIMEOUT": 1}
    fake_tencent.hold_seconds = 1.5
    post(people(1))
    row = deliveries(channel="sms").get()
    assert (row.status, row.reason) == (S.FAILED, "outcome_unknown")
    fake_tencent.hold_seconds = 0
    sweep(now=timezone.now() + datetime.timedelta(hours=1))
    assert len(fake_tencent.messages) == 1


def test_two_hundred_numbers_a_request(fake_tencent):
    assert post(people(205)) == {"sent": 205}
    assert sorted(len(r["PhoneNumberSet"]) for r in fake_tencent.requests) == [5, 100, 100]
