"""Errors a user can cause carry a stable code; views map codes to translated messages."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base for rule violations. Tests assert `code`, never the translated text."""

    code = "domain_error"
    message = _("The request could not be completed.")

    def __init__(self, detail: str = "", *, message=None):
        super().__init__(detail or self.code)
        self.detail = detail
        if message is not None:
            self.message = message

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    code = "permission_denied"
    message = _("You do not have permission to do this.")
