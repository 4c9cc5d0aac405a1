"""Notifications as they reach a trainee: the adviser posts a notice in the admin; on the
trainee's phone the bell shows it, opening it clears the count; Tencent's SMS API (a fake
on loopback, reached through the real SDK) got exactly one message with the notice's
template and the trainee's number. A leave decision arrives the same way."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from attendance.services import leave_request_create
from notifications.sms.fake_tencent import FakeTencentSms
from tests.attendance.factories import session_around
from tests.factories import TEST_PASSWORD
from tests.journeys.harness import journey_test
from tests.training.factories import class_for_world

pytestmark = [pytest.mark.browser, journey_test]
CLASS_NAME = "罗山县村书记培训班"


@pytest.fixture
def fake_tencent(settings):
    with FakeTencentSms(
        secret_id="AKIDjourney", secret_key="journey-key", app_id="1400000009"
    ) as fake:
        settings.SMS_BACKEND = "notifications.sms.tencent.SmsBackend"
        settings.SMS_TENCENT = {
            "SECRET_ID": "AKIDjourney",
            "SECRET_KEY": "journey-key",
            "SDK_APP_ID": "1400000009",
            "SIGN_NAME": "干部培训平台",
            "ENDPOINT": fake.endpoint,
            "PROTOCOL": "http",
            "TIMEOUT": 5,
        }
        yield fake
        assert fake.problems == []


def fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def bell(page):
    return page.locator("a.bell")


def test_a_notice_and_a_leave_decision_reach_the_trainees_phone(journey, world, site, fake_tencent):
    klass = class_for_world(world, name=CLASS_NAME)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    tomorrow = session_around(klass, start=start, title="现场教学")
    number = f"+86{world.trainee_a.phone}"
    templates = settings.SMS_TEMPLATES
    adviser = journey.desktop()
    phone = journey.phone()

    with journey.step("trainee's phone: no unread notifications", phone):
        journey.login(phone, world.trainee_a.phone, TEST_PASSWORD)
        expect(bell(phone)).to_have_attribute("data-unread", "0")
        fits_a_phone(phone)

    with journey.step("adviser posts a notice to the class", adviser):
        journey.login(adviser, world.adviser.phone, TEST_PASSWORD, next_path="/admin/")
        adviser.goto(journey.url(f"/admin/training/{klass.pk}/notices/"))
        adviser.locator("input[name=title]").fill("明早7:30集合")
        adviser.locator("textarea[name=body]").fill("现场教学，请穿便于步行的鞋。")
        journey.submit(adviser, adviser.get_by_role("button", name="发布"))
        expect(adviser.locator(".messages")).to_contain_text("通知已发布")

    with journey.step("the fake SMS API got one message: notice template, trainee's number"):
        assert fake_tencent.messages == [
            {
                "phone": number,
                "template_id": templates["notice_posted"],
                "params": [CLASS_NAME, "明早7:30集合"],
                "sign": "干部培训平台",
                "app_id": "1400000009",
            }
        ]

    with journey.step("trainee's bell shows 1; the inbox lists the notice", phone):
        phone.reload()
        expect(bell(phone)).to_have_attribute("data-unread", "1")
        expect(phone.locator(".bell__count")).to_have_text("1")
        journey.submit(phone, bell(phone))
        expect(phone.locator("h1")).to_have_text("通知")
        item = phone.locator(".inbox__item.is-unread")
        expect(item).to_contain_text("新通知：明早7:30集合")
        fits_a_phone(phone)

    with journey.step("opening it shows the notice and the count drops", phone):
        journey.submit(phone, item.locator("a"))
        expect(phone.locator("h1")).to_have_text("明早7:30集合")
        expect(bell(phone)).to_have_attribute("data-unread", "0")
        expect(phone.locator(".bell__count")).to_be_hidden()
        fits_a_phone(phone)

    leave = leave_request_create(
        trainee=world.trainee_a, training_class=klass, sessions=[tomorrow], reason="县里开会"
    )
    fake_tencent.messages.clear()

    with journey.step("adviser approves the leave in the admin", adviser):
        adviser.goto(journey.url("/admin/attendance/leave/"))
        row = adviser.locator("table.listing tbody tr", has_text=world.trainee_a.full_name)
        journey.submit(adviser, row.get_by_role("link", name=world.trainee_a.full_name))
        adviser.get_by_label("批准", exact=True).check()
        adviser.locator("textarea[name=note]").fill("同意")
        journey.submit(adviser, adviser.get_by_role("button", name="保存审批"))
        expect(adviser.locator(".messages")).to_contain_text("审批已保存")

    with journey.step("one SMS with the leave template; the bell shows it", phone):
        assert [(m["phone"], m["template_id"], m["params"]) for m in fake_tencent.messages] == [
            (number, templates["leave_approved"], [CLASS_NAME, tomorrow.date.isoformat()])
        ]
        phone.goto(journey.url("/"))
        expect(bell(phone)).to_have_attribute("data-unread", "1")
        journey.submit(phone, bell(phone))
        item = phone.locator(".inbox__item.is-unread")
        expect(item).to_contain_text("请假已批准")
        journey.submit(phone, item.locator("a"))
        expect(phone).to_have_url(journey.url(f"/attendance/leave/{leave.pk}/"))
        expect(bell(phone)).to_have_attribute("data-unread", "0")
        fits_a_phone(phone)
