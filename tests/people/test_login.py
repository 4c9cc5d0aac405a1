import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, trainee

LOGIN = "/accounts/login/"


def _login(client, login, password=TEST_PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["13976001234", "139 7600 1234", "+86 13976001234", "１３９７６００１２３４"]
)
def test_trainee_logs_in_with_phone_in_any_common_form(client, typed):
    person = trainee(phone="13976001234", username="someone")
    response = _login(client, typed)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
def test_login_by_username(client):
    person = trainee(username="teacher_li")
    assert _login(client, "teacher_li").status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
def test_wrong_password_gets_a_chinese_message(client):
    trainee(phone="13976001234")
    response = _login(client, "13976001234", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "手机号/用户名或密码不正确" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_are_throttled_even_with_the_right_password(client):
    trainee(phone="13976001234")
    for _ in range(5):
        _login(client, "13976001234", "wrong-password")
    response = _login(client, "13976001234")
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.django_db
def test_nobody_can_sign_up_alone(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "intruder", "password1": "Sup3r-secret!", "password2": "Sup3r-secret!"},
    )
    from people.models import User

    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code == 200


@pytest.mark.django_db
def test_created_account_must_change_password_before_anything_else(client):
    person = trainee(phone="13976001234", must_change_password=True)
    assert _login(client, "13976001234").status_code == 302

    response = client.get("/me/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_change_password"))

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": "Xin-mima-2026", "password2": "Xin-mima-2026"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.must_change_password
    assert person.check_password("Xin-mima-2026")
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_logout(client):
    trainee(phone="13976001234")
    _login(client, "13976001234")
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_forced_password_change_keeps_the_full_link_to_come_back_to(client):
    trainee(phone="13976001234", must_change_password=True)
    _login(client, "13976001234")
    response = client.get("/me/?code=abc&x=1")
    assert response.status_code == 302
    assert response.url.endswith("next=/me/%3Fcode%3Dabc%26x%3D1")
