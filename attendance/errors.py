"""What can go wrong in attendance, each with a stable code the tests assert."""

from django.utils.translation import gettext_lazy as _

from lms.errors import DomainError


class CheckinError(DomainError):
    code = "checkin_error"


class TokenInvalid(CheckinError):
    code = "bad_signature"
    message = _("This is not a valid check-in code. Scan the code on the screen again.")


class TokenExpired(CheckinError):
    code = "token_expired"
    message = _(
        "This check-in code has expired. Codes change every few seconds: scan the code on "
        "the screen in the classroom again."
    )


class WrongSession(CheckinError):
    code = "wrong_session"
    message = _("This code belongs to another session.")


class NotOnRoster(CheckinError):
    code = "not_on_roster"
    message = _("You are not on the roster of this class. Please see the class adviser.")


class CheckinNotOpen(CheckinError):
    code = "checkin_not_open"
    message = _("Check-in for this session has not opened yet.")


class SessionEnded(CheckinError):
    code = "session_ended"
    message = _("This session has ended; check-in is closed. Please see the class adviser.")


class CheckoutNotOpen(CheckinNotOpen):
    code = "checkout_not_open"
    message = _(
        "Check-out has not opened yet: it opens shortly before the end of the session. "
        "Please stay until then."
    )


class CheckoutClosed(SessionEnded):
    code = "checkout_closed"
    message = _("Check-out for this session is closed. Please see the class adviser.")


class NotCheckedIn(CheckinError):
    code = "not_checked_in"
    message = _("You have not checked in to this session, so you cannot check out.")


class SessionNotEnded(DomainError):
    code = "session_not_ended"
    message = _("The session has not ended yet; it can be closed after its end time.")


class ReasonRequired(DomainError):
    code = "reason_required"
    message = _("Please give a reason.")


class InvalidStatus(DomainError):
    code = "invalid_status"
    message = _("Choose one of the attendance statuses.")


class StatusUnchanged(DomainError):
    code = "status_unchanged"
    message = _("The record already has this status.")


class LeaveError(DomainError):
    code = "leave_error"


class LeaveNoSessions(LeaveError):
    code = "leave_no_sessions"
    message = _("Choose at least one session of your class.")


class LeaveSessionPast(LeaveError):
    code = "leave_session_past"
    message = _(
        "Leave can only be requested for sessions that have not ended. For earlier "
        "sessions, ask the class adviser."
    )


class LeaveOverlap(LeaveError):
    code = "leave_overlap"
    message = _("You have already asked for leave for one of these sessions.")


class LeaveBadAttachment(LeaveError):
    code = "leave_bad_attachment"
    message = _("The attachment must be a JPEG, PNG or PDF file of at most 5 MB.")


class LeaveKindUnknown(LeaveError):
    code = "leave_kind_unknown"
    message = _("Choose the kind of leave: sick, personal or official duty.")


class LeaveAttachmentRequired(LeaveError):
    code = "leave_attachment_required"
    message = _(
        "Official-duty leave needs an attachment: the notice or letter that calls you away."
    )


class LeaveNotPending(LeaveError):
    code = "leave_not_pending"
    message = _("This leave request has already been decided.")


class LeaveNeedsOrganiser(LeaveError):
    code = "leave_needs_organiser"
    message = _("Leave of more than the adviser's limit must be approved by an organiser.")


class LeaveNotApproved(LeaveError):
    code = "leave_not_approved"
    message = _("Only approved leave can be reported back.")
