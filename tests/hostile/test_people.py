"""Hostile names and phone numbers against accounts, login and the trainee's pages."""

import html

import pytest
from django.urls import reverse

from people.models import User
from people.phones import InvalidPhone, normalize_phone
from people.services import person_create
from tests.factories import trainee
from tests.hostile import corpus


@pytest.mark.parametrize(("typed", "canonical"), corpus.PHONES_ACCEPTED.items())
def test_phone_normalisation_accepts_how_people_type(typed, canonical):
    assert normalize_phone(typed) == canonical


@pytest.mark.parametrize("typed", corpus.PHONES_REJECTED)
def test_phone_normalisation_rejects_what_is_not_a_mobile_number(typed):
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(typed)
    assert caught.value.code == "invalid_phone"


@pytest.mark.django_db
@pytest.mark.parametrize("name", corpus.HOSTILE_NAMES)
def test_person_create_stores_names_intact(world, name):
    person, _password = person_create(
        actor=world.organiser,
        full_name=name,
        phone="+86 139 7600 0099",
        org_unit=world.village_a,
    )
    person.refresh_from_db()
    assert person.full_name == name.strip()
    assert person.phone == "13976000099"


@pytest.mark.django_db
def test_person_create_with_a_rejected_phone_writes_nothing(world):
    before = User.objects.count()
    for typed in corpus.PHONES_REJECTED:
        with pytest.raises(InvalidPhone):
            person_create(
                actor=world.organiser,
                full_name=corpus.SCRIPT,
                phone=typed,
                org_unit=world.village_a,
            )
    assert User.objects.count() == before


@pytest.mark.django_db
def test_a_name_longer_than_the_column_is_refused_not_truncated(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        person_create(
            actor=world.organiser,
            full_name=corpus.LONG_NAME,
            phone="13976000098",
            org_unit=world.village_a,
        )
    assert not User.objects.filter(phone="13976000098").exists()


def _assert_escaped(page: str, value: str):
    assert value not in page or html.escape(value) == value, f"unescaped: {value!r}"
    assert html.escape(value, quote=False) in page or html.escape(value) in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", [corpus.SCRIPT, corpus.IMG_ONERROR, corpus.TEMPLATE])
def test_hostile_names_render_escaped_on_profile_and_home(client, world, name):
    from demo import portal as demo

    demo.seed({})
    person = trainee(full_name=name, org_unit=world.village_a)
    client.force_login(person)
    for url in [reverse("portal:profile"), "/"]:
        page = client.get(url).content.decode()
        _assert_escaped(page, name)
        assert "alert(" not in page.replace(html.escape(name), "").replace(
            html.escape(name, quote=False), ""
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["周" + corpus.RARE, corpus.EMOJI])
def test_rare_characters_and_emoji_show_as_stored(client, world, name):
    person = trainee(full_name=name, org_unit=world.village_a)
    client.force_login(person)
    assert name in client.get(reverse("portal:profile")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "login", [corpus.SCRIPT, corpus.SQL, corpus.SQL_OR, corpus.EMOJI, "１３９" + corpus.RARE]
)
def test_login_form_with_hostile_input_refuses_and_escapes(client, world, login):
    response = client.post("/accounts/login/", {"login": login, "password": corpus.SQL_OR})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "onerror=alert" not in page
