from django.utils.translation import gettext_lazy as _

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
