"""Scanning the code on the screen: check-in and the optional check-out.

Validity of a code (see tokens.py): accepted while younger than the policy's
`token_lifetime_seconds` (30 s by default). A phone that was not logged in is sent to the
login page first (and a new account to change its initial password: the password
middleware asks the view to note the scan before that detour); the view notes when the
code was opened, and if the code was still valid then, the check-in afterwards is
accepted up to `login_grace_seconds` (300 s: a login plus a password change on a phone)
after that moment. A code that had already expired when it was opened (a forwarded photo)
gets no grace, whatever happens next.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lms.audit import log
from training.models import ClassSession

from .. import errors
from .._scan_read import session_for_scan
from ..models import AttendanceRecord, CheckinAttempt
from ..selectors import policy_for, scan_window
from ..tokens import CHECKIN, CHECKOUT, BadToken, token_read
from ._locking import record_lock_or_create

S = AttendanceRecord.Status
R = CheckinAttempt.Reason
CLOCK_SKEW_SECONDS = 5


@dataclass(frozen=True)
class CheckinResult:
    record: AttendanceRecord
    session: ClassSession
    mode: str
    already: bool  # True: a repeat scan; nothing changed


def _attempt(*, session, trainee, reason, token_age=None, client=None) -> None:
    client = client or {}
    CheckinAttempt.objects.create(
        session=session,
        trainee=trainee,
        reason=reason,
        token_age_seconds=None if token_age is None else int(token_age),
        ip_address=client.get("ip"),
        user_agent=(client.get("user_agent") or "")[:200],
    )


def checkin_token_age_ok(
    *, issued_at: float, now: float, lifetime: int, login_grace: int, opened_at: float | None
) -> bool:
    age = now - issued_at
    if age < -CLOCK_SKEW_SECONDS:
        return False
    if age <= lifetime:
        return True
    if opened_at is None:
        return False
    fresh_when_opened = -CLOCK_SKEW_SECONDS <= opened_at - issued_at <= lifetime
    return fresh_when_opened and 0 <= now - opened_at <= login_grace


def checkin_record(
    *,
    trainee,
    token: str,
    session_id: int,
    now: datetime.datetime | None = None,
    opened_at: float | None = None,
    client: dict | None = None,
) -> CheckinResult:
    """Check `trainee` in (or out) with a scanned code. Safe to repeat: one record, ever.

    `session_id` is the session named in the URL; a code of another session is refused.
    `opened_at` is when this browser first opened the link while logged out (see module
    docstring). Every refusal is stored as a CheckinAttempt with its reason.
    """
    now = now or timezone.now()
    ts = int(now.timestamp() * 1000) / 1000  # the same millisecond grain as the code
    try:
        token_data = token_read(token)
    except BadToken:
        _attempt(session=None, trainee=trainee, reason=R.BAD_SIGNATURE, client=client)
        raise errors.TokenInvalid from None
    # The session, its class and policy, and the roster: one query, compiled once.
    session = session_for_scan(pk=token_data.session_id, trainee=trainee)
    if session is None:
        _attempt(session=None, trainee=trainee, reason=R.BAD_SIGNATURE, client=client)
        raise errors.TokenInvalid
    age = token_data.age(ts)

    def refuse(reason, error):
        _attempt(session=session, trainee=trainee, reason=reason, token_age=age, client=client)
        raise error

    if token_data.session_id != session_id:
        refuse(R.WRONG_SESSION, errors.WrongSession())
    policy = policy_for(session.training_class)
    if not checkin_token_age_ok(
        issued_at=token_data.issued_at,
        now=ts,
        lifetime=policy.token_lifetime_seconds,
        login_grace=policy.login_grace_seconds,
        opened_at=opened_at,
    ):
        refuse(R.EXPIRED, errors.TokenExpired())
    if not session.trainee_on_roster:
        refuse(R.NOT_ON_ROSTER, errors.NotOnRoster())

    checking_in = token_data.mode == CHECKIN
    opens, closes = scan_window(session=session, policy=policy, checking_in=checking_in)
    if now < opens:
        refuse(R.NOT_OPEN, errors.CheckinNotOpen() if checking_in else errors.CheckoutNotOpen())
    if now > closes:
        refuse(R.SESSION_ENDED, errors.SessionEnded() if checking_in else errors.CheckoutClosed())

    if checking_in:
        result = _check_in(
            session=session, trainee=trainee, now=now, policy=policy, client=client or {}
        )
        if result.already:
            _attempt(
                session=session,
                trainee=trainee,
                reason=R.ALREADY_CHECKED_IN,
                token_age=age,
                client=client,
            )
        return result
    result = _check_out(session=session, trainee=trainee, now=now)
    if result is None:
        refuse(R.NOT_CHECKED_IN, errors.NotCheckedIn())
    if result.already:
        _attempt(
            session=session,
            trainee=trainee,
            reason=R.ALREADY_CHECKED_OUT,
            token_age=age,
            client=client,
        )
    return result


def _check_in(*, session, trainee, now, policy, client) -> CheckinResult:
    grace_end = session.starts_at + datetime.timedelta(minutes=policy.grace_minutes)
    status = S.PRESENT if now <= grace_end else S.LATE
    device = {
        "ip_address": client.get("ip"),
        "user_agent": (client.get("user_agent") or "")[:200],
    }
    with transaction.atomic():
        record, created = record_lock_or_create(
            session=session,
            trainee=trainee,
            defaults={
                "status": status,
                "source": AttendanceRecord.Source.QR,
                "checked_in_at": now,
                **device,
            },
        )
        if not created and record.checked_in_at is not None:
            return CheckinResult(record=record, session=session, mode=CHECKIN, already=True)
        old_status = "" if created else record.status
        if not created:
            # On leave (came after all) or marked absent while the session still runs:
            # the trainee is here now, and the scan says so.
            record.status = status
            record.source = AttendanceRecord.Source.QR
            record.checked_in_at = now
            record.ip_address, record.user_agent = device["ip_address"], device["user_agent"]
            record.save(
                update_fields=[
                    "status",
                    "source",
                    "checked_in_at",
                    "ip_address",
                    "user_agent",
                    "updated_at",
                ]
            )
        log(
            record,
            "attendance.checkin",
            user=trainee,
            data={"session": session.pk, "status": status, "old_status": old_status},
        )
    return CheckinResult(record=record, session=session, mode=CHECKIN, already=False)


def _check_out(*, session, trainee, now) -> CheckinResult | None:
    with transaction.atomic():
        record = (
            AttendanceRecord.objects.select_for_update()
            .filter(session=session, trainee=trainee, checked_in_at__isnull=False)
            .first()
        )
        if record is None:
            return None
        if record.checked_out_at is not None:
            return CheckinResult(record=record, session=session, mode=CHECKOUT, already=True)
        old_status = record.status
        record.checked_out_at = now
        # 迟到 is kept: the early check-out of a late trainee shows in checked_out_at.
        if now < session.ends_at and record.status == S.PRESENT:
            record.status = S.LEFT_EARLY
        record.save(update_fields=["status", "checked_out_at", "updated_at"])
        log(
            record,
            "attendance.checkout",
            user=trainee,
            data={"session": session.pk, "status": record.status, "old_status": old_status},
        )
    return CheckinResult(record=record, session=session, mode=CHECKOUT, already=False)
