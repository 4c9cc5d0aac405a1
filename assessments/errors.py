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


class GradeOverrideReasonRequired(DomainError):
    code = "grade_override_reason_required"
    message = _(
        "The level differs from the one the score gives: say why, or leave the level to "
        "follow the score."
    )


# --- 补考 (make-up exam) ---------------------------------------------------------------


class MakeupNotPermitted(DomainPermissionDenied):
    """The same for a class outside the organiser's units and one that does not exist."""

    code = "makeup_not_permitted"
    message = _("Only an organiser of the class can grant a make-up exam.")


class MakeupNoFinalExam(DomainError):
    code = "makeup_no_final_exam"
    message = _("This class has no final exam to make up.")


class MakeupReasonRequired(DomainError):
    code = "makeup_reason_required"
    message = _("Give the reason for the make-up exam.")


class MakeupDeadlineInvalid(DomainError):
    code = "makeup_deadline_invalid"
    message = _("The make-up must close at a time still to come.")


class MakeupTraineePassed(DomainError):
    code = "makeup_trainee_passed"
    message = _("This trainee has passed the final exam: there is nothing to make up.")


class MakeupClassClosed(DomainError):
    code = "makeup_class_closed"
    message = _("The class is closed: a make-up exam can no longer be granted or taken.")


class MakeupAlreadyUsed(DomainError):
    code = "makeup_used"
    message = _("This trainee has already taken the make-up exam; only one is allowed.")


class MakeupNotEligible(DomainError):
    code = "makeup_not_eligible"
    message = _(
        "A make-up exam is for a trainee of the class who did not pass the final exam, "
        "once their attempts are used or the exam has closed, and whose work is graded."
    )
