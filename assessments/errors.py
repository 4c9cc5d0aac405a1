"""Errors trainees and instructors can cause; each has a stable code that tests assert."""

from django.utils.translation import gettext_lazy as _

from lms.errors import DomainError
from lms.errors import PermissionDenied as DomainPermissionDenied


class QuizNotOpen(DomainError):
    code = "quiz_not_open"
    message = _("This quiz is not open at the moment.")


class QuizNotAvailable(DomainError):
    code = "quiz_not_available"
    message = _("This quiz is not available to you.")


class AttemptLimitReached(DomainError):
    code = "attempt_limit_reached"
    message = _("You have used all the attempts allowed for this quiz.")


class QuizMisconfigured(DomainError):
    code = "quiz_misconfigured"
    message = _(
        "This quiz cannot be started: it asks for more questions than its bank holds. "
        "Please tell the instructor."
    )


class AttemptClosed(DomainError):
    code = "attempt_closed"
    message = _("This attempt has been submitted; answers can no longer be changed.")


class QuestionNotInAttempt(DomainError):
    code = "question_not_in_attempt"
    message = _("That question is not part of this attempt.")


class InvalidAnswer(DomainError):
    code = "invalid_answer"
    message = _("That answer is not valid for this question.")


class OptionNotOnPage(InvalidAnswer):
    """An option value the trainee's page could not have offered in this attempt: most
    likely a page loaded before the option values changed (a deploy), so say to reload."""

    message = _(
        "This answer names an option that is not on your page any more. "
        "Please reload the page and answer again."
    )


class AssignmentPastDue(DomainError):
    code = "assignment_past_due"
    message = _("The due time has passed; this assignment no longer accepts work.")


class AssignmentClosed(DomainError):
    code = "assignment_closed"
    message = _("Your work has been graded and can no longer be changed.")


class SubmissionEmpty(DomainError):
    code = "submission_empty"
    message = _("Write your answer or attach a file before submitting.")


class SubmissionTooLong(DomainError):
    code = "submission_too_long"
    message = _("Your text is longer than this assignment allows.")


class UploadTooLarge(DomainError):
    code = "upload_too_large"
    message = _("The file is larger than this assignment allows.")


class UploadTypeRejected(DomainError):
    code = "upload_type_rejected"
    message = _("Only PDF, Word (DOCX) and image files (JPEG, PNG) are accepted.")


class AnswerRequestUnreadable(DomainError):
    code = "bad_request"
    message = _("The answer could not be read. Please reload the page and answer again.")


class NotGradable(DomainError):
    code = "not_gradable"
    message = _("This answer does not need grading.")


class GradingOutOfScope(DomainPermissionDenied):
    """The same for work that does not exist and work of someone outside the grader's
    scope, so that the answer tells nothing about who did what elsewhere."""

    code = "grading_out_of_scope"
    message = _("This work does not exist or is not within your grading scope.")


class InvalidGrade(DomainError):
    code = "invalid_grade"
    message = _("Give a grade, a score within the points available, or both.")


class ImportInvalid(DomainError):
    code = "import_invalid"
    message = _("The file has problems; nothing was imported.")

    def __init__(self, problems=None, **kwargs):
        super().__init__(**kwargs)
        self.problems = problems or []


class ExportTooManyOptions(DomainError):
    code = "export_too_many_options"
    message = _("A question has more options than the export has columns (A–H).")


class ImportExpired(DomainError):
    code = "import_expired"
    message = _("This import was already confirmed or has expired. Please upload the file again.")
