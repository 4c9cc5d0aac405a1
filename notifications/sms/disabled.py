from . import BaseSmsBackend, SmsMessage, SmsResult


class SmsBackend(BaseSmsBackend):
    """No SMS on this site: no message is queued for it, and the log says why."""

    enabled = False

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        return [SmsResult(ok=False, code="sms_off") for _m in messages]
