import threading

from . import BaseSmsBackend, SmsMessage, SmsResult, outbox, sent

_lock = threading.Lock()


class SmsBackend(BaseSmsBackend):
    """Tests: appends each message to `notifications.sms.outbox`."""

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        with _lock:
            outbox.extend(messages)
        return [sent(f"locmem-{m.ref}") for m in messages]
