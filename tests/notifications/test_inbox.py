"""The inbox: a bell with the unread count in the trainee's header and in the admin, the
list, opening one (read), marking all read; preferences; and the bell's cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Notification, Preference
from notifications.services import notify
from notifications.sweep import sweep
from tests.factories import trainee

from .factories import people

pytestmark = pytest.mark.django_db


def tell(person, n=1, url="/classes/"):
    for i in range(n):
        notify(
            event="notice_posted",
            recipients=[person],
            key=f"notice:{i}",
            context={"class_name": "班", "title": f"通知{i}", "excerpt": "正文"},
            url=url,
        )


def bell_count(response) -> str:
    html = response.content.decode()
    marker = 'class="bell__count" data-count="'
    return html[html.index(marker) + len(marker) :].split('"', 1)[0]


def test_the_header_bell_counts_unread_notifications(client, world):
    tell(world.trainee_a, 3)
    client.force_login(world.trainee_a)
    response = client.get(reverse("portal:profile"))
    assert bell_count(response) == "3"
    Notification.objects.filter(recipient=world.trainee_a).first().delete()
    assert bell_count(client.get(reverse("portal:profile"))) == "2"


def test_the_bell_costs_no_query_a_page(client, world):
    """The count is on the person's row, read with the session's user anyway."""
    tell(world.trainee_a, 2)
    client.force_login(world.trainee_a)
    client.get(reverse("notifications:inbox"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:profile"))
    assert bell_count(response) == "2"
    assert [q["sql"] for q in queries if "notifications_notification" in q["sql"]] == []


def unread_on_row(person) -> int:
    person.refresh_from_db(fields=["unread_notifications"])
    return person.unread_notifications


def test_the_count_on_the_row_follows_every_change_of_the_inbox(world):
    """notify (new and repeated keys), opening one, single saves and deletes, marking all
    read, and the sweep's pruning: each recounts the person's unread items."""
    from notifications.services import notification_open, notifications_mark_all_read

    person, other = world.trainee_a, world.trainee_b
    tell(person, 3)
    assert unread_on_row(person) == 3 and unread_on_row(other) == 0
    tell(person, 3)  # the same keys again: nothing new
    assert unread_on_row(person) == 3
    first, second, third = Notification.objects.filter(recipient=person).order_by("pk")
    notification_open(reader=person, pk=first.pk)
    assert person.unread_notifications == 2 and unread_on_row(person) == 2
    third.delete()
    assert unread_on_row(person) == 1
    first.delete()  # read already: the count stays
    assert unread_on_row(person) == 1
    Notification.objects.create(recipient=person, event="notice_posted", key="by-hand")
    assert unread_on_row(person) == 2
    notifications_mark_all_read(reader=person)
    assert person.unread_notifications == 0 and unread_on_row(person) == 0
    tell(other, 2)
    Notification.objects.filter(recipient=other).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert sweep()["pruned"] == 2
    assert unread_on_row(other) == 0 and unread_on_row(person) == 0


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, world):
    tell(world.trainee_a, 2, url="/classes/")
    client.force_login(world.trainee_a)
    first = Notification.objects.filter(recipient=world.trainee_a).order_by("pk").first()
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response.url == "/classes/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert bell_count(client.get(reverse("notifications:inbox"))) == "1"
    # Opening again keeps the first reading.
    read_at = first.read_at
    client.get(reverse("notifications:open", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at == read_at


def test_a_notification_without_a_link_is_shown_in_place(client, world):
    tell(world.trainee_a, url="")
    client.force_login(world.trainee_a)
    item = Notification.objects.get(recipient=world.trainee_a)
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 200
    assert "通知0" in response.content.decode()


def test_an_outside_link_is_not_followed(client, world):
    tell(world.trainee_a, url="https://evil.example/")
    client.force_login(world.trainee_a)
    item = Notification.objects.get(recipient=world.trainee_a)
    assert client.get(reverse("notifications:open", args=[item.pk])).status_code == 200


def test_nobody_opens_anothers_notification(client, world):
    tell(world.trainee_a)
    item = Notification.objects.get(recipient=world.trainee_a)
    client.force_login(world.trainee_b)
    assert client.get(reverse("notifications:open", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read(client, world):
    tell(world.trainee_a, 3)
    tell(world.trainee_b, 1)
    client.force_login(world.trainee_a)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.trainee_a, read_at=None).exists()
    assert Notification.objects.filter(recipient=world.trainee_b, read_at=None).count() == 1
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_the_inbox_lists_newest_first_with_unread_marked(client, world):
    tell(world.trainee_a, 2)
    Notification.objects.filter(key="notice:0").update(read_at="2026-05-06T08:00:00+08:00")
    client.force_login(world.trainee_a)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert html.index("通知1") < html.index("通知0")
    assert html.count("is-unread") == 1


def test_the_admin_menu_shows_the_count(client, world, rf):
    from notifications.wagtail_hooks import register_inbox_menu_item

    tell(world.adviser, 2)
    request = rf.get("/admin/")
    world.adviser.refresh_from_db()  # as a request loads its user
    request.user = world.adviser
    item = register_inbox_menu_item().render_component(request)
    assert item.label == "通知（2 条未读）"
    assert item.url == reverse("notifications:inbox")
    client.force_login(world.adviser)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_preferences_switch_a_channel_off_but_not_a_mandatory_one(client, world):
    person = people(1)[0]
    client.force_login(person)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    # Keep notices by email only; try to switch off the mandatory SMS of leave decisions.
    response = client.post(reverse("notifications:preferences"), {"notice_posted__email": "on"})
    assert response.status_code == 302
    off = set(Preference.objects.filter(person=person).values_list("event", "channel"))
    assert ("notice_posted", "sms") in off
    assert ("notice_posted", "email") not in off
    assert ("leave_approved", "sms") not in off  # mandatory: not theirs to change
    assert ("work_graded", "sms") not in off  # off for everyone: nothing to store
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="leave_approved__sms"' in html and "disabled" in html


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/login/" in response.url
    assert trainee()  # a person exists, yet nothing is shown


def test_the_sweep_drops_inbox_items_older_than_a_year_but_keeps_the_delivery_log(world):
    person = trainee()
    tell(person, n=3)
    now = timezone.now()
    old, oldish = Notification.objects.order_by("pk")[:2]
    Notification.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=366))
    Notification.objects.filter(pk=oldish.pk).update(created_at=now - datetime.timedelta(days=364))
    deliveries = Delivery.objects.count()
    assert sweep(now=now)["pruned"] == 1
    assert not Notification.objects.filter(pk=old.pk).exists()
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == deliveries
