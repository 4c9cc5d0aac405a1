"""Issue 18: people management is a Wagtail ModelViewSet scoped by `PersonPolicy`.

A county organiser never lists, opens, edits or deletes a person of another county: every
URL of the viewset carrying a `pk` answers 404 outside their units, whatever the method.
"""

import pytest
from django.urls import reverse

from people.models import User
from tests.permissions.harness import ADMIN_DENIED, check

pytestmark = pytest.mark.django_db


def test_county_organiser_cannot_change_another_countys_person_by_guessing_the_id(client, world):
    other = world.trainee_b
    client.force_login(world.organiser)
    edit = reverse("people_admin:edit", args=[other.pk])
    data = {"full_name": "改名", "phone": other.phone, "org_unit": world.village_a.pk}
    assert client.get(edit).status_code == 404
    assert client.post(edit, data).status_code == 404
    for name in ("delete", "history", "usage"):
        url = reverse(f"people_admin:{name}", args=[other.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code == 404, name
    other.refresh_from_db()
    assert other.full_name == "学员乙" and other.org_unit == world.village_b


def test_nobody_deletes_a_person_from_people_management(client, world):
    client.force_login(world.organiser)
    url = reverse("people_admin:delete", args=[world.trainee_a.pk])
    assert check(client.post(url), ADMIN_DENIED)
    assert User.objects.filter(pk=world.trainee_a.pk).exists()


def test_the_list_searches_by_any_spelling_of_a_mobile_number(client, world):
    client.force_login(world.organiser)
    phone = world.trainee_a.phone
    spelled = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    listed = client.get(reverse("people_admin:index_results"), {"q": spelled})
    assert [p.pk for p in listed.context["object_list"]] == [world.trainee_a.pk]
    listed = client.get(reverse("people_admin:index_results"), {"q": world.trainee_b.phone})
    assert list(listed.context["object_list"]) == []


def test_the_list_filters_by_position(client, world):
    User.objects.filter(pk=world.trainee_a.pk).update(position="township_cadre")
    User.objects.filter(pk=world.trainee_b.pk).update(position="village_cadre")
    client.force_login(world.city_organiser)
    listed = client.get(reverse("people_admin:index"), {"position": "township_cadre"})
    assert [p.pk for p in listed.context["object_list"]] == [world.trainee_a.pk]
