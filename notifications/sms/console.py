import sys
import threading

from . import BaseSmsBackend, SmsMessage, SmsResult, sent

_lock = threading.Lock()


class SmsBackend(BaseSmsBackend):
    """Development: writes each message to standard output instead of sending it."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        with _lock:
            for m in messages:
                self.stream.write(
                    f"[SMS to {m.phone}] template {m.template_id} {list(m.params)}\n  {m.text}\n"
                )
            self.stream.flush()
        return [sent(f"console-{m.ref}") for m in messages]
