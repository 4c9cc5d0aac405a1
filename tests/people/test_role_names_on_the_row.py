"""A person's role names live on their row (User.group_names), so a page asks no query for
them; every way of changing the groups keeps that list true at once (people.signals)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import User
from people.roles import Role, has_role, role_names
from tests.factories import trainee

pytestmark = pytest.mark.django_db


def fresh(person) -> set[str]:
    """The names as the next request sees them: from a newly loaded row."""
    return role_names(User.objects.get(pk=person.pk))


def group(role) -> Group:
    return Group.objects.get(name=str(role))


def test_every_way_of_changing_the_groups_shows_on_the_row_at_once():
    person = trainee()
    assert fresh(person) == {Role.TRAINEE}
    person.groups.add(group(Role.ORGANISER))
    assert fresh(person) == {Role.TRAINEE, Role.ORGANISER}
    assert has_role(person, Role.ORGANISER)  # the instance in hand follows too
    person.groups.remove(group(Role.TRAINEE))
    assert fresh(person) == {Role.ORGANISER} and not has_role(person, Role.TRAINEE)
    person.groups.set([group(Role.ADVISER)])
    assert fresh(person) == {Role.ADVISER}
    person.groups.clear()
    assert fresh(person) == set()
    group(Role.INSTRUCTOR).user_set.add(person)
    assert fresh(person) == {Role.INSTRUCTOR}
    group(Role.ADVISER).user_set.add(person)
    group(Role.INSTRUCTOR).user_set.remove(person)
    assert fresh(person) == {Role.ADVISER}
    group(Role.ADVISER).user_set.clear()
    assert fresh(person) == set()


def test_renaming_or_deleting_a_group_shows_in_its_members_lists():
    person, other = trainee(), trainee()
    extra = Group.objects.create(name="临时组")
    extra.user_set.add(person, other)
    assert "临时组" in fresh(person) and "临时组" in fresh(other)
    extra.name = "改名组"
    extra.save()
    assert fresh(person) == {Role.TRAINEE, "改名组"} == fresh(other)
    extra.delete()
    assert fresh(person) == {Role.TRAINEE} == fresh(other)


def test_a_role_taken_away_is_gone_on_the_next_page(client):
    """The organiser's admin link goes with the role, on the very next request."""
    person = trainee()
    person.groups.add(group(Role.ORGANISER))
    client.force_login(person)
    admin_link = f'href="{reverse("wagtailadmin_home")}"'
    assert admin_link in client.get(reverse("portal:profile")).content.decode()
    group(Role.ORGANISER).user_set.remove(person)
    assert admin_link not in client.get(reverse("portal:profile")).content.decode()


def test_the_header_reads_no_group(client):
    person = trainee()
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:profile"))
    assert response.context["user_role"] == Role.TRAINEE
    assert [q["sql"] for q in queries if "auth_group" in q["sql"]] == []
