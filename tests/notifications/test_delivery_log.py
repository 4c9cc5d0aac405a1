"""The delivery log in the admin: what was sent, what failed and why, within the
organiser's units; read-only for everyone."""

import pytest
from django.urls import reverse

from notifications.models import Delivery
from notifications.services import notify
from tests.factories import trainee

pytestmark = pytest.mark.django_db
LIST = reverse("wagtailsnippets_notifications_delivery:list")


@pytest.fixture
def log(world):
    bare = trainee(org_unit=world.village_a, phone=None, full_name="无手机学员")
    world.trainee_a.email = "a@example.cn"
    world.trainee_a.save(update_fields=["email"])
    for person in (world.trainee_a, world.trainee_b, bare):
        notify(
            event="notice_posted",
            recipients=[person],
            key="notice:log",
            context={"class_name": "班", "title": "通知", "excerpt": ""},
        )
    return bare


def test_an_organiser_sees_messages_to_people_of_its_units_only(client, world, log):
    client.force_login(world.organiser)
    html = client.get(LIST).content.decode()
    assert world.trainee_a.full_name in html and "无手机学员" in html
    assert world.trainee_b.full_name not in html
    client.force_login(world.city_organiser)
    html = client.get(LIST).content.decode()
    assert world.trainee_b.full_name in html


def test_the_log_says_why_a_message_was_not_sent_and_filters_by_status(client, world, log):
    client.force_login(world.organiser)
    html = client.get(LIST + "?status=skipped").content.decode()
    assert "没有手机号码" in html or "No mobile number" in html
    assert world.trainee_a.full_name not in html  # theirs are queued, not skipped


def test_nobody_changes_the_log(client, world, log):
    row = Delivery.objects.filter(recipient=world.trainee_a).first()
    client.force_login(world.admin)
    assert client.get(reverse("wagtailsnippets_notifications_delivery:add")).status_code in (
        302,
        403,
    )
    client.post(reverse("wagtailsnippets_notifications_delivery:delete", args=[row.pk]))
    assert Delivery.objects.filter(pk=row.pk).exists()
    inspect = reverse("wagtailsnippets_notifications_delivery:inspect", args=[row.pk])
    assert client.get(inspect).status_code == 200


def test_instructors_and_advisers_have_no_log(client, world, log):
    for person in (world.instructor, world.adviser):
        client.force_login(person)
        assert client.get(LIST).status_code in (302, 403)
