"""验证码登录: a code by SMS instead of the password, through allauth's login by code; the
adapter's SMS hook sends it with our backend. Limited like the password login: per client
address and per account, however its number is typed."""

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Delivery

pytestmark = pytest.mark.django_db
REQUEST = "/accounts/login/code/"
CONFIRM = "/accounts/login/code/confirm/"


def ask(client, phone, address="127.0.0.1"):
    return client.post(REQUEST, {"phone": phone}, REMOTE_ADDR=address)


def ask_afresh(phone, address="127.0.0.1"):
    """From a new browser each time (a login under way sends its own back to the code)."""
    return ask(Client(), phone, address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_offers_it(client):
    assert REQUEST in client.get(reverse("account_login")).content.decode()
    assert 'name="phone"' in client.get(REQUEST).content.decode()


def test_a_code_by_sms_logs_the_trainee_in(client, world, sms_outbox, settings):
    phone = world.trainee_a.phone
    response = ask(client, f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}")
    assert response.status_code == 302 and response.url.startswith(CONFIRM)
    [message] = sms_outbox
    assert (message.phone, message.template_id) == (phone, settings.SMS_TEMPLATES["login_code"])
    code, minutes = message.params
    assert len(code) == 6 and code.isdigit() and minutes == "5"  # 六位数字
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302
    assert signed_in(client)
    assert int(client.session["_auth_user_id"]) == world.trainee_a.pk
    log = Delivery.objects.get(recipient=world.trainee_a, event="login_code")
    assert log.status == "sent" and code not in str(log.context)


def test_a_wrong_code_does_not_log_in(client, world, sms_outbox):
    ask(client, world.trainee_a.phone)
    code = sms_outbox[0].params[0]
    wrong = "000000" if code != "000000" else "111111"
    client.post(CONFIRM, {"code": wrong})
    assert not signed_in(client)


def test_an_unknown_number_learns_nothing_and_gets_no_sms(client, world, sms_outbox):
    response = ask(client, "13012345678")
    assert response.status_code == 302 and response.url.startswith(CONFIRM)
    assert sms_outbox == []


def test_a_number_that_is_not_a_mobile_number_is_refused(client, sms_outbox):
    response = ask(client, "12345")
    assert response.status_code == 200
    assert "11" in response.content.decode()  # "Enter an 11-digit mainland mobile number"
    assert sms_outbox == []


def test_codes_for_one_number_are_limited_however_it_is_typed(client, world, sms_outbox):
    phone = world.trainee_a.phone
    spellings = [phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"+86{phone}", f"0086-{phone}"]
    answers = [ask_afresh(s).status_code for s in spellings]
    assert answers == [302, 302, 302, 200]  # three a five minutes, then refused
    assert len(sms_outbox) == 3


def test_codes_from_one_address_are_limited_whatever_the_number(client, world, sms_outbox):
    numbers = [f"1390000{n:04d}" for n in range(12)]
    answers = [ask_afresh(n, address="10.0.0.7").status_code for n in numbers]
    assert answers.count(302) == 10 and answers[-1] == 200
