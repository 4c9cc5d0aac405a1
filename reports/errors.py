"""Report parameters come from the URL; every way they can be wrong has a stable code."""

from django.utils.translation import gettext_lazy as _

from lms.errors import DomainError


class ReportParameterError(DomainError):
    """A malformed value: the page answers 400 with the message and the form to fix it."""

    code = "report_bad_parameter"
    message = _("The report parameters are not valid.")
    status = 400


class BadUnit(ReportParameterError):
    code = "report_bad_unit"
    message = _("The unit must be given by its number.")


class UnitNotInScope(ReportParameterError):
    """Unknown units and units outside the viewer's scope answer alike: no probing."""

    code = "report_unit_not_in_scope"
    message = _("This unit does not exist or is outside the units you manage.")
    status = 404


class BadPeriod(ReportParameterError):
    code = "report_bad_period"
    message = _("The period must be two dates (YYYY-MM-DD), the first not after the second.")


class BadYear(ReportParameterError):
    code = "report_bad_year"
    message = _("The year must be between 2000 and 2100.")


class BadListKind(ReportParameterError):
    code = "report_bad_list"
    message = _("There is no such list in this report.")


class BadPage(ReportParameterError):
    code = "report_bad_page"
    message = _("The page number is not valid.")


class BadFormat(ReportParameterError):
    code = "report_bad_format"
    message = _("Exports are available as XLSX or CSV.")


class ClassNotInScope(ReportParameterError):
    code = "report_class_not_in_scope"
    message = _("This class does not exist or is outside the units you manage.")
    status = 404
