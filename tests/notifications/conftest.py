"""Notification fixtures: the SMS outbox, a fake Tencent Cloud SMS server on loopback."""

import pytest

from notifications import sms
from notifications.sms.fake_tencent import FakeTencentSms

TENCENT = {
    "SECRET_ID": "AKIDtest0001",
    "SECRET_KEY": "test-secret-key",
    "SDK_APP_ID": "1400000001",
    "SIGN_NAME": "干部培训平台",
    "REGION": "ap-guangzhou",
    "PROTOCOL": "http",
    "TIMEOUT": 5,
}


@pytest.fixture(autouse=True)
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def fake_tencent(settings):
    """Tencent's SMS API on 127.0.0.1, with the real SDK pointed at it."""
    with FakeTencentSms(
        secret_id=TENCENT["SECRET_ID"],
        secret_key=TENCENT["SECRET_KEY"],
        app_id=TENCENT["SDK_APP_ID"],
    ) as fake:
        settings.SMS_BACKEND = "notifications.sms.tencent.SmsBackend"
        settings.SMS_TENCENT = {**TENCENT, "ENDPOINT": fake.endpoint}
        yield fake
        assert fake.problems == [], "the SDK sent something Tencent would refuse"
