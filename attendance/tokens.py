"""Signed, short-lived check-in codes.

A code names one session and a mode (check-in or check-out) and carries the moment it was
issued, all signed with the server's secret under a salt of our own, so nobody can mint
one and a code from another part of the site cannot be replayed here. The display page
asks for a new one every few seconds; a code is accepted for `token_lifetime_seconds`
after it was issued (30 s by default), long enough for a slow phone camera and short
enough that a photo sent to an absent colleague has died before it arrives.
"""

import time
from dataclasses import dataclass

from django.core import signing

SALT = "attendance.checkin.v1"
CHECKIN = "i"
CHECKOUT = "o"


@dataclass(frozen=True)
class CheckinToken:
    session_id: int
    mode: str
    issued_at: float  # POSIX seconds

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.issued_at


class BadToken(Exception):
    """Not a code we signed (tampered, truncated, or from elsewhere)."""


def token_make(*, session_id: int, mode: str = CHECKIN, now: float | None = None) -> str:
    issued = int((time.time() if now is None else now) * 1000)
    payload = {"s": session_id, "m": mode, "t": issued}
    return signing.dumps(payload, salt=SALT, compress=False)


def token_read(token: str) -> CheckinToken:
    """Check the signature and shape; expiry is the service's business (it needs the policy)."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise BadToken from exc
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("s"), int)
        or payload.get("m") not in (CHECKIN, CHECKOUT)
        or not isinstance(payload.get("t"), int)
    ):
        raise BadToken
    return CheckinToken(session_id=payload["s"], mode=payload["m"], issued_at=payload["t"] / 1000)
