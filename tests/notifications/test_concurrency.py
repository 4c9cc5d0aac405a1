"""Never two SMS for one event, under retries and concurrent workers: PostgreSQL only
(`-m postgres`), where row locks and SKIP LOCKED are real."""

import sys
import threading

import pytest
from django.db import connection

from notifications.models import Delivery, Notification
from notifications.services import deliveries_send, notify
from notifications.sweep import sweep

from .factories import deliveries, people

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _queue_holds_tasks(settings):
    """The queue keeps what notify() hands it; the racing workers below do the sending."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _race(n: int, work):
    """Run `work(i)` in n threads released at once; returns (results, errors)."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            connection.ensure_connection()  # connected before the start, not one by one
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_workers_racing_over_one_notice_send_each_sms_once(
    postgres_only, fake_tencent, monkeypatch
):
    # One message per claim: many claims, so the workers meet on the same rows again and
    # again (with whole chunks the first worker would take most of them alone).
    monkeypatch.setattr(sys.modules["notifications.services.deliver"], "CHUNK", 1)
    trainees = people(120)
    notify(
        event="notice_posted",
        recipients=trainees,
        key="notice:race",
        context={"class_name": "班", "title": "通知", "excerpt": ""},
    )
    # Six workers (and the sweep) take the same queued messages at the same moment.
    results, errors = _race(
        6,
        lambda i: sweep() if i == 0 else deliveries_send(key="notice:race", channel="sms"),
    )
    assert errors == []
    phones = [m["phone"] for m in fake_tencent.messages]
    assert len(phones) == 120 and len(set(phones)) == 120
    assert deliveries(channel="sms", status=Delivery.Status.SENT).count() == 120
    assert set(deliveries(channel="sms").values_list("attempts", flat=True)) == {1}


def test_the_same_event_emitted_at_once_makes_one_row_per_person_and_channel(postgres_only):
    trainees = people(30)

    def emit(_i):
        return notify(
            event="notice_posted",
            recipients=trainees,
            key="notice:twice",
            context={"class_name": "班", "title": "通知", "excerpt": ""},
        )

    results, errors = _race(5, emit)
    assert errors == []
    assert Delivery.objects.filter(key="notice:twice").count() == 60
    assert Notification.objects.filter(key="notice:twice").count() == 30
