"""Every change to attendance goes through one of these functions.

Each checks permission, locks what it changes, writes an audit entry and is safe to
repeat. Split by process: scanning (`checkin`), staff work on records (`records`),
leave (`leave`).
"""

from .checkin import CheckinResult, checkin_record
from .leave import (
    leave_approve,
    leave_reject,
    leave_report_back,
    leave_request_create,
    leave_withdraw,
)
from .records import policy_save, record_correct, session_close, sessions_close_ended

__all__ = [
    "CheckinResult",
    "checkin_record",
    "leave_approve",
    "leave_reject",
    "leave_report_back",
    "leave_request_create",
    "leave_withdraw",
    "policy_save",
    "record_correct",
    "session_close",
    "sessions_close_ended",
]
