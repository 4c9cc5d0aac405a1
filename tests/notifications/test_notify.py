"""notify(): one inbox item per person and event, one delivery per channel; never twice.

Sending happens after the commit (the task queue); these tests run the commit callbacks
(`django_capture_on_commit_callbacks(execute=True)`) or call the sender with a chosen time.
"""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Delivery, EventRule
from notifications.services import (
    deliveries_send,
    login_code_send,
    notify,
    preferences_update,
    quiet_until,
)
from notifications.sweep import sweep
from tests.factories import trainee

from .factories import at, deliveries, inbox, people

pytestmark = pytest.mark.django_db
S = Delivery.Status


@pytest.fixture
def nights(settings):
    settings.NOTIFICATIONS_QUIET_HOURS = (22, 7)


NOTICE = {"class_name": "乡镇党委书记培训班", "title": "明早7:30集合", "excerpt": "带好笔记本"}


def post(recipients, key="notice:1", **kwargs):
    kwargs.setdefault("context", NOTICE)
    return notify(event="notice_posted", recipients=recipients, key=key, url="/classes/", **kwargs)


def test_a_notice_reaches_everyone_in_the_inbox_by_email_and_by_sms(
    django_capture_on_commit_callbacks, sms_outbox, settings
):
    trainees = people(3)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(trainees) == 3
    for t in trainees:
        item = inbox(t).get()
        assert item.title == "新通知：明早7:30集合"
        assert item.read_at is None
    assert deliveries(channel="email", status=S.SENT).count() == 3
    assert deliveries(channel="sms", status=S.SENT).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(t.email for t in trainees)
    assert "明早7:30集合" in mail.outbox[0].subject
    assert "http://testserver/classes/" in mail.outbox[0].body
    assert sorted(m.phone for m in sms_outbox) == sorted(t.phone for t in trainees)
    assert {m.template_id for m in sms_outbox} == {settings.SMS_TEMPLATES["notice_posted"]}
    assert sms_outbox[0].params == ("乡镇党委书记培训班", "明早7:30集合")


def test_the_same_occurrence_twice_sends_nothing_twice(
    django_capture_on_commit_callbacks, sms_outbox
):
    trainees = people(2)
    with django_capture_on_commit_callbacks(execute=True):
        post(trainees)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(trainees) == 0
        post(trainees + people(1))  # a newcomer on the roster gets it, the others not again
    assert inbox(trainees[0]).count() == 1
    assert deliveries().count() == 6
    assert len(sms_outbox) == 3 and len(mail.outbox) == 3


def test_a_person_without_phone_or_email_gets_the_inbox_only_and_the_log_says_why(
    django_capture_on_commit_callbacks, sms_outbox
):
    bare = trainee(phone=None, email="")
    with django_capture_on_commit_callbacks(execute=True):
        post([bare])
    assert inbox(bare).count() == 1
    log = {d.channel: (d.status, d.reason, d.reason_label) for d in deliveries(recipient=bare)}
    assert log == {
        "email": (S.SKIPPED, "no_email", "没有电子邮箱：仅站内通知"),
        "sms": (S.SKIPPED, "no_phone", "没有手机号码：仅站内通知"),
    }
    assert sms_outbox == [] and mail.outbox == []


def test_opting_out_stops_a_channel_but_not_a_mandatory_one(django_capture_on_commit_callbacks):
    person = people(1)[0]
    preferences_update(person=person, enabled=set())  # everything off that may be
    with django_capture_on_commit_callbacks(execute=True):
        post([person])
        notify(
            event="leave_approved",
            recipients=[person],
            key="leave:1:approved",
            context={"class_name": "班", "when": "2026-05-06"},
        )
    got = {(d.event, d.channel): (d.status, d.reason) for d in deliveries(recipient=person)}
    assert got == {
        ("notice_posted", "email"): (S.SKIPPED, "opted_out"),
        ("notice_posted", "sms"): (S.SKIPPED, "opted_out"),
        ("leave_approved", "email"): (S.SKIPPED, "opted_out"),
        ("leave_approved", "sms"): (S.SENT, ""),  # mandatory (the organisers' rule)
    }
    assert inbox(person).count() == 2  # the inbox always carries every event


def test_a_channel_switched_off_for_an_event_queues_nothing_there(
    django_capture_on_commit_callbacks,
):
    EventRule.objects.filter(event="notice_posted").update(sms=EventRule.Setting.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        post(people(2))
    assert set(deliveries().values_list("channel", flat=True)) == {"email"}


def test_quiet_hours_run_from_ten_at_night_to_seven_in_the_morning(nights):
    assert quiet_until(at(21, 59)) is None
    assert quiet_until(at(22, 0)) == at(7, 0, days=2)
    assert quiet_until(at(3, 30)) == at(7, 0)
    assert quiet_until(at(7, 0)) is None


def test_no_sms_at_night_it_waits_for_seven_while_email_goes(nights, sms_outbox):
    trainees = people(2)
    post(trainees, now=at(23, 10))
    sms_rows = deliveries(channel="sms")
    assert {(d.status, d.reason, d.next_attempt_at) for d in sms_rows} == {
        (S.QUEUED, "quiet_hours", at(7, 0, days=2))
    }
    deliveries_send(channel="email", key="notice:1", now=at(23, 10))
    deliveries_send(channel="sms", key="notice:1", now=at(23, 40))
    assert len(mail.outbox) == 2 and sms_outbox == []
    sweep(now=at(7, 1, days=2))
    assert len(sms_outbox) == 2
    assert deliveries(channel="sms", status=S.SENT).count() == 2


def test_a_retry_that_falls_in_the_night_is_held_again(nights, sms_outbox):
    post(people(1), now=at(21, 0))
    deliveries_send(channel="sms", now=at(22, 30))
    row = deliveries(channel="sms").get()
    assert (row.status, row.reason, row.next_attempt_at) == (
        S.QUEUED,
        "quiet_hours",
        at(7, 0, days=2),
    )
    assert sms_outbox == []


def test_login_codes_go_out_at_night_and_the_log_keeps_no_code(nights, sms_outbox, settings):
    person = trainee()
    delivery = login_code_send(user=person, phone=person.phone, code="493817", now=at(23, 30))
    assert delivery.status == S.SENT
    assert [(m.phone, m.template_id, m.params) for m in sms_outbox] == [
        (person.phone, settings.SMS_TEMPLATES["login_code"], ("493817", "5"))
    ]
    assert "493817" not in str(delivery.context)


def test_a_message_too_late_to_matter_is_not_sent(sms_outbox):
    notify(
        event="session_starting",
        recipients=people(1),
        key="session_start:1",
        context={"class_name": "班", "session": "开班式", "time": at(9, 0).isoformat()},
        now=at(8, 10),
    )
    deliveries_send(channel="sms", now=at(9, 30))
    row = deliveries(channel="sms").get()
    assert (row.status, row.reason) == (S.FAILED, "expired")
    assert sms_outbox == []


def test_a_rolled_back_change_announces_nothing(sms_outbox):
    trainees = people(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        post(trainees)
        raise RuntimeError("the leave decision failed")
    assert not deliveries().exists() and not inbox(trainees[0]).exists()


def test_a_failing_notification_never_undoes_the_change(monkeypatch):
    import sys

    module = sys.modules["notifications.services.notify"]

    def broken(**kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(module, "_write", broken)
    person = people(1)[0]
    with transaction.atomic():
        person.full_name = "改名"
        person.save()
        assert post([person]) == 0
    person.refresh_from_db()
    assert person.full_name == "改名"


def test_inactive_people_are_not_told():
    gone = trainee(is_active=False)
    assert post([gone]) == 0
    assert not deliveries().exists()


def test_backoff_doubles_up_to_an_hour():
    from notifications.services import backoff

    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 8, 20)] == [
        1,
        2,
        4,
        8,
        60,
        60,
        60,
    ]
    assert backoff(1) == datetime.timedelta(minutes=1)
