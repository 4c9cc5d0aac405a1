from django.utils.translation import gettext_lazy as _

from lms.errors import DomainError
from lms.errors import PermissionDenied as DomainPermissionDenied


class NotATrainee(DomainError):
    code = "declaration_not_a_trainee"
    message = _("Only trainees declare training taken elsewhere.")


class DeclarationInvalid(DomainError):
    code = "declaration_invalid"
    message = _(
        "Check the declaration: the training needs a name and organiser, the end date may "
        "not be before the start or in the future, and the hours must be between 0.25 and 200."
    )


class ReasonRequired(DomainError):
    code = "declaration_reason_required"
    message = _("Say why the declaration is refused: the trainee reads the reason.")


class AlreadyDecided(DomainError):
    code = "declaration_already_decided"
    message = _("This declaration has already been decided the other way.")


class OutOfScope(DomainPermissionDenied):
    """Alike for a declaration of another county's trainee and for none at all."""

    code = "declaration_out_of_scope"
    message = _("This declaration does not exist or is not from the units you manage.")


class OwnDeclaration(DomainPermissionDenied):
    code = "declaration_own"
    message = _("Your own declaration is decided by another organiser.")
