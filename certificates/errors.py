from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.errors import DomainError


class ClassNotClosed(DomainError):
    code = "class_not_closed"
    message = _("Certificates are issued once the class is closed.")


class NotCompleted(DomainError):
    code = "not_completed"
    message = _("This trainee did not complete the class.")


class AlreadyRevoked(DomainError):
    code = "already_revoked"
    message = _("This certificate has already been revoked.")


class ReasonRequired(DomainError):
    code = "reason_required"
    message = _("Give a reason for revoking the certificate.")


class ClassAlreadyClosed(DomainError):
    code = "class_already_closed"
    message = _("The class is closed; its completion decisions can no longer change.")


class NotEnrolled(DomainError):
    code = "not_enrolled"
    message = _("This person is not on the class roster.")


class CertificateRevoked(DomainError):
    code = "certificate_revoked"
    message = _(
        "This trainee's certificate for the class was revoked. To issue a new one, use "
        "“Reissue” on the revoked certificate."
    )


class ClassNotOver(DomainError):
    """Closing before the end date or with sessions still to come needs a reason."""

    code = "class_not_over"
    message = _(
        "The class has not ended yet. To close it early, give a reason; only the sessions "
        "already held will then count."
    )

    @staticmethod
    def explain(*, end_date, not_held: int):
        return ngettext(
            "The class runs until %(end)s and %(count)d session has not been held yet. To "
            "close it early, give a reason; only the sessions already held will then count.",
            "The class runs until %(end)s and %(count)d sessions have not been held yet. To "
            "close it early, give a reason; only the sessions already held will then count.",
            not_held,
        ) % {"end": date_format(end_date, "Y-m-d"), "count": not_held}


class OverrideReasonRequired(DomainError):
    code = "override_reason_required"
    message = _("Give the reason for allowing or refusing completion.")


class OverrideInvalid(DomainError):
    code = "override_invalid"
    message = _("Choose to allow completion, refuse it, or follow the rules.")
