"""The session and the signed-in person are read with compiled queries (people/sessions.py,
people/backends.py) and decide what Django's own reads decide: an expired session, a
deactivated or deleted person, a tampered id all leave the visitor signed out."""

import datetime

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from people.backends import PhoneOrUsernameBackend, user_by_id
from people.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _signed_in(client, person) -> bool:
    return client.get("/").wsgi_request.user == person


def test_a_session_is_read_until_it_expires(client, world):
    client.force_login(world.trainee_a)
    assert _signed_in(client, world.trainee_a)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert not _signed_in(client, world.trainee_a)


def test_the_store_loads_what_it_saved_and_nothing_for_an_unknown_key():
    store = SessionStore()
    store["answer"] = "四下基层"
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": "四下基层"}
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_the_person_is_read_as_the_orm_reads_them(world):
    mine = user_by_id(world.trainee_a.pk)
    theirs = type(world.trainee_a).objects.get(pk=world.trainee_a.pk)
    fields = [f.attname for f in theirs._meta.concrete_fields]
    assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
    assert user_by_id(world.trainee_a.pk + 10_000) is None


def test_a_deactivated_deleted_or_tampered_person_is_signed_out(client, world):
    backend = PhoneOrUsernameBackend()
    assert backend.get_user(str(world.trainee_a.pk)) == world.trainee_a
    assert backend.get_user("not a number") is None
    client.force_login(world.trainee_a, backend="people.backends.PhoneOrUsernameBackend")
    assert client.session[BACKEND_SESSION_KEY] == "people.backends.PhoneOrUsernameBackend"
    assert _signed_in(client, world.trainee_a)
    type(world.trainee_a).objects.filter(pk=world.trainee_a.pk).update(is_active=False)
    assert not _signed_in(client, world.trainee_a)

    client.force_login(world.trainee_b, backend="people.backends.PhoneOrUsernameBackend")
    session = client.session
    session[SESSION_KEY] = str(world.trainee_b.pk + 10_000)  # nobody
    session.save()
    assert not _signed_in(client, world.trainee_b)
