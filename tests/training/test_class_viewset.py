"""Issue 18: the class list, add and edit are a Wagtail ModelViewSet scoped by
`TrainingClassPolicy`. Another county's class answers 404 on every URL with its pk,
whatever the method; the class's adviser sees it listed but does not edit it; nobody
deletes a class."""

import pytest
from django.urls import reverse

from tests.permissions.harness import ADMIN_DENIED, check
from tests.training.factories import class_for_world
from training.models import TrainingClass

pytestmark = pytest.mark.django_db


def _data(klass, **changes):
    return {
        "name": klass.name,
        "code": klass.code,
        "organising_unit": klass.organising_unit_id,
        "provider": klass.provider,
        "kind": klass.kind,
        "level": klass.level,
        "start_date": klass.start_date.isoformat(),
        "end_date": klass.end_date.isoformat(),
        "credit_hours": str(klass.credit_hours),
        **changes,
    }


def test_county_organiser_cannot_change_another_countys_class_by_guessing_the_id(client, world):
    class_for_world(world)
    other = world.extra["class_b"]
    name = other.name
    client.force_login(world.organiser)
    edit = reverse("training_class:edit", args=[other.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _data(other, name="改名")).status_code == 404
    for url_name in ("delete", "history", "usage"):
        url = reverse(f"training_class:{url_name}", args=[other.pk])
        assert client.get(url).status_code == 404, url_name
        assert client.post(url).status_code == 404, url_name
    other.refresh_from_db()
    assert other.name == name


def test_organiser_edits_their_class_through_the_service(client, world):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    response = client.post(
        reverse("training_class:edit", args=[klass.pk]),
        _data(klass, name="改过的班名", advisers=[world.adviser.pk]),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training_admin:class_overview", args=[klass.pk])
    klass.refresh_from_db()
    assert klass.name == "改过的班名"


def test_the_classs_adviser_sees_it_listed_but_does_not_edit_it(client, world):
    klass = class_for_world(world)
    client.force_login(world.adviser)
    listed = client.get(reverse("training_class:index"))
    assert [c.pk for c in listed.context["object_list"]] == [klass.pk]
    url = reverse("training_class:edit", args=[klass.pk])
    assert check(client.get(url), ADMIN_DENIED)
    assert check(client.post(url, _data(klass, name="班主任改名")), ADMIN_DENIED)
    assert check(client.get(reverse("training_class:add")), ADMIN_DENIED)
    klass.refresh_from_db()
    assert klass.name != "班主任改名"


def test_nobody_deletes_a_class(client, world):
    klass = class_for_world(world)
    for user in (world.organiser, world.admin):
        client.force_login(user)
        client.post(reverse("training_class:delete", args=[klass.pk]))
    assert TrainingClass.objects.filter(pk=klass.pk).exists()


def test_the_list_filters_by_status_and_searches_name_and_code(client, world):
    klass = class_for_world(world)
    TrainingClass.objects.filter(pk=klass.pk).update(status=TrainingClass.Status.PLANNING)
    client.force_login(world.city_organiser)
    index = reverse("training_class:index")
    listed = client.get(index, {"status": "planning"}).context["object_list"]
    assert [c.pk for c in listed] == [klass.pk]
    listed = client.get(index, {"q": klass.code}).context["object_list"]
    assert [c.pk for c in listed] == [klass.pk]
    listed = client.get(index, {"unit": world.county_b.pk}).context["object_list"]
    assert [c.pk for c in listed] == [world.extra["class_b"].pk]


def test_an_organiser_advising_another_countys_class_does_not_edit_it(client, world):
    """Seeing a class (as its adviser) is not managing it: editing needs its unit."""
    from django.contrib.auth.models import Group

    from people.roles import Role

    klass = class_for_world(world)
    world.organiser_other.groups.add(Group.objects.get(name=Role.ADVISER))
    klass.advisers.add(world.organiser_other)
    client.force_login(world.organiser_other)
    assert klass.pk in {
        c.pk for c in client.get(reverse("training_class:index")).context["object_list"]
    }
    url = reverse("training_class:edit", args=[klass.pk])
    assert check(client.get(url), ADMIN_DENIED)
    assert check(client.post(url, _data(klass, name="越权改名")), ADMIN_DENIED)
    klass.refresh_from_db()
    assert klass.name != "越权改名"
