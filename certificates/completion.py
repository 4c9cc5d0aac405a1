"""Who completed a class (结业), and exactly what is missing for those who did not.

`completion_evaluate` is a pure function over the class's rule and two summaries that
other apps provide (attendance and assessments, both below this app); it takes them as
arguments, so it is tested on its own and does not care where the figures come from.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.selectors import class_assessment_summary
from attendance.selectors import class_attendance_summary


class AttendanceSummaryLike(Protocol):
    leave_share: Decimal
    leave_cap: Fraction  # the class's attendance policy's: the one leave cap
    leave_over_cap: bool  # judged by attendance against that cap, exactly
    absent_days: Decimal
    absence_limit_days: Decimal  # the policy's: the one absence limit
    absence_over_limit: bool  # judged by attendance against that limit


class AssessmentSummaryLike(Protocol):
    final_exam_passed: bool | None
    failed_quizzes: list[str]
    missing_written_work: list[str]


class _NoneSet:
    def __repr__(self) -> str:
        return "NONE_SET"


# The class sets no assessment at all (the assessments app knows of none): nothing to pass.
NONE_SET = _NoneSet()


@dataclass(frozen=True)
class Missing:
    """One unmet condition; `code` is stable for tests and exports, `message` for people."""

    code: str
    message: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "detail": self.detail}


# The domain's withdrawal rules: leave over the cap, or 旷课 at the limit, is 退学 (no
# certificate), as is a withdrawal from the roster before the close; any other unmet rule
# is 不予结业.
WITHDRAWAL_CODES = frozenset({"leave_over_cap", "absence_over_limit", "withdrawn_before_close"})

COMPLETED, NOT_COMPLETED, WITHDRAWN = "completed", "not_completed", "withdrawn"
OUTCOME_LABELS = {
    COMPLETED: _("Completed"),
    NOT_COMPLETED: _("Not completed"),
    WITHDRAWN: _("Withdrawn"),
}


@dataclass
class CompletionResult:
    missing: list[Missing] = field(default_factory=list)
    # Exceptions the rules allowed (公假 left out of the cap), shown beside the decision.
    exceptions: list[Missing] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.missing]

    @property
    def outcome(self) -> str:
        """What the rules decide: completed, withdrawn (the leave and 旷课 rules) or not
        completed (any other rule, e.g. the final exam); values of Enrolment.Status."""
        if self.complete:
            return COMPLETED
        if WITHDRAWAL_CODES.intersection(self.codes):
            return WITHDRAWN
        return NOT_COMPLETED

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


def share_of(cap: Fraction) -> Decimal:
    return Decimal(cap.numerator) / Decimal(cap.denominator)


def _pct(share: Decimal) -> str:
    return f"{(Decimal(share) * 100).quantize(Decimal('0.1'))}%"


def _hours(value: Decimal) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def completion_evaluate(*, rule, attendance, assessment) -> CompletionResult:
    """Apply `rule` (a CompletionRule) to one trainee's summaries.

    attendance: an AttendanceSummary-like object, or None (no record for this trainee).
    assessment: likewise (NONE_SET: the class sets no assessment); None when the class has
    assessments but the trainee has no record, which fails every assessment requirement
    the rule sets.
    """
    result = CompletionResult()
    add = result.missing.append

    if attendance is None:
        add(Missing("attendance_missing", _("No attendance record")))
    else:
        # The cap is the class's attendance policy's (1/7), judged there exactly: 6 of
        # 42 hours is the cap itself and passes. The rule has no cap of its own.
        if attendance.leave_over_cap:
            add(
                Missing(
                    "leave_over_cap",
                    _("Leave exceeds the allowed share"),
                    f"{_pct(attendance.leave_share)} > {_pct(share_of(attendance.leave_cap))}",
                )
            )
        official = Decimal(getattr(attendance, "official_leave_hours", 0) or 0)
        if official and getattr(attendance, "official_leave_excused", False):
            result.exceptions.append(
                Missing(
                    "official_leave_excused",
                    _("Official-duty leave not counted towards the leave cap"),
                    gettext("%(hours)s credit hours") % {"hours": _hours(official)},
                )
            )
        if attendance.absence_over_limit:
            add(
                Missing(
                    "absence_over_limit",
                    _("Unexcused absence reaches the limit"),
                    f"{attendance.absent_days} ≥ {attendance.absence_limit_days}",
                )
            )

    wants_assessment = (
        rule.final_exam_required or rule.quizzes_required or rule.written_work_required
    )
    if not wants_assessment:
        return result
    if assessment is NONE_SET:
        return result
    if assessment is None:
        add(Missing("assessment_missing", _("No assessment record")))
        return result
    if getattr(assessment, "pending_grading", False):
        add(Missing("grading_pending", _("Work awaiting grading")))
    # final_exam_passed is None when the class sets no final exam: nothing to pass.
    if rule.final_exam_required and assessment.final_exam_passed is False:
        add(Missing("final_exam_failed", _("Final exam not passed or not taken")))
    if rule.quizzes_required:
        for title in assessment.failed_quizzes:
            add(Missing("quiz_not_passed", _("Quiz not passed"), str(title)))
    if rule.written_work_required:
        for title in assessment.missing_written_work:
            add(
                Missing("written_work_missing", _("Written work missing or below pass"), str(title))
            )
    return result


def class_summaries(*, training_class) -> tuple[dict, dict]:
    """The attendance and assessment summaries of a class, by trainee id."""
    return (
        class_attendance_summary(training_class=training_class),
        class_assessment_summary(training_class=training_class),
    )


def for_trainee(summaries, trainee_id: int, *, empty_means_none_set: bool = False):
    """One trainee's entry; an empty assessment map means the class sets no assessment."""
    if not summaries and empty_means_none_set:
        return NONE_SET
    return summaries.get(trainee_id)
