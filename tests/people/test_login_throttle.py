"""One throttled login: every door leads to allauth's, and its lock holds for the account,
however its phone number is typed, and for the client address.

ACCOUNT_RATE_LIMITS["login_failed"] is "10/m/ip,5/5m/key": five failures lock the account,
ten from one address lock the address. tests/conftest.py clears the counters between tests.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import TEST_PASSWORD, UserFactory, trainee

LOGIN = "/accounts/login/"
LOCKED = "登录失败次数过多"
PHONE = "13976000059"
SPELLINGS = [
    PHONE,
    "139 7600 0059",
    "+86 13976000059",
    "+86-139-7600-0059",
    "１３９７６００００５９",
]
WRONG = "wrong-password"


def _login(client, login, password=TEST_PASSWORD, *, address="127.0.0.1", url=LOGIN, **data):
    return client.post(
        url, {"login": login, "username": login, "password": password, **data}, REMOTE_ADDR=address
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_admin_login_is_throttled(client, world):
    """Wagtail's own login form took passwords without any limit; now it takes none."""
    staff = world.instructor
    for _ in range(15):
        _login(client, staff.username, WRONG, url="/admin/login/")
    response = _login(client, staff.username, url="/admin/login/")
    assert not _signed_in(client)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)

    # The failures above reached no password check; these do, and the lock holds.
    for _ in range(5):
        _login(client, staff.username, WRONG)
    response = _login(client, staff.username)
    assert not _signed_in(client)
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_wagtail_front_end_login_is_not_a_way_round(client):
    person = trainee(phone=PHONE)
    response = _login(client, person.username, url="/_util/login/")
    assert not _signed_in(client)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_wagtail_admin_password_reset_is_off(client, world):
    """allauth's reset is the throttled one; Wagtail's sent mail without any limit."""
    assert client.get("/admin/password_reset/").status_code == 404


@pytest.mark.django_db
def test_staff_come_back_to_the_admin_page_they_asked_for(client, world):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    next_url = parse_qs(urlsplit(response.url).query)["next"][0]
    assert next_url == "/admin/pages/"

    response = _login(client, world.admin.username, next=next_url)
    assert response.status_code == 302
    assert response.url == "/admin/pages/"
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_a_trainee_who_signs_in_for_the_admin_is_not_let_in(client, world):
    response = _login(client, world.trainee_a.username, next="/admin/")
    assert _signed_in(client)
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    # Not back to the login page, which would send them round again: home.
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == "/"
    # Wagtail's reason, in the trainee's language, on the page they land on.
    from tests.courses.factories import site_indexes

    site_indexes()
    assert "您没有权限访问管理后台" in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", SPELLINGS)
def test_lock_holds_for_every_spelling_of_the_phone(client, typed):
    trainee(phone=PHONE)
    for _ in range(5):
        _login(client, PHONE, WRONG)
    response = _login(client, typed)
    assert not _signed_in(client)
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_failures_in_different_spellings_add_up(client):
    trainee(phone=PHONE)
    for typed in SPELLINGS:
        _login(client, typed, WRONG)
    response = _login(client, PHONE)
    assert not _signed_in(client)
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_usernames_are_counted_whatever_their_case(client):
    UserFactory(username="teacher_li")
    for typed in ["teacher_li", "Teacher_Li", "TEACHER_LI", " teacher_li", "ｔｅａｃｈｅｒ_ｌｉ"]:
        _login(client, typed, WRONG)
    response = _login(client, "teacher_li")
    assert not _signed_in(client)
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_lock_is_per_client_address_too(client):
    """Ten failures from one address, one per account (never enough to lock an account),
    lock that address for every account and through every login form; another address
    is not affected."""
    people = [trainee(phone=f"139760001{i:02d}") for i in range(12)]
    for person in people[:10]:
        _login(client, person.phone, WRONG, address="10.0.0.1")
    for url in [LOGIN, "/admin/login/", "/_util/login/"]:
        _login(client, people[10].phone, address="10.0.0.1", url=url)
        assert not _signed_in(client), url

    _login(client, people[10].phone, address="10.0.0.2")
    assert _signed_in(client)


@pytest.mark.parametrize(
    ("typed", "key"),
    [(s, PHONE) for s in SPELLINGS]
    + [("Teacher_Li", "teacher_li"), ("  ADMIN ", "admin"), ("ｔｅａｃｈｅｒ", "teacher")],
)
def test_throttle_key_is_the_account_not_the_spelling(typed, key):
    from people.adapters import login_throttle_key

    assert login_throttle_key(typed) == key
