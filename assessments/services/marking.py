"""Hand grading of essay answers and written work; every (re)grade is audited."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..errors import GradeOverrideReasonRequired, GradingOutOfScope, InvalidGrade, NotGradable
from ..grading import TWO_PLACES
from ..models import (
    GRADE_THRESHOLDS,
    Attempt,
    AttemptQuestion,
    Grade,
    GradeChange,
    Submission,
    grade_for_score,
)
from ..notify import work_graded
from ..selectors import answer_list_for_grader, submission_list_for_grader
from ..signals import attempt_result_changed
from .attempts import attempt_recompute_result

# A grade alone gives an essay this share of its points.
GRADE_SHARE = {
    Grade.EXCELLENT: Decimal("1"),
    Grade.GOOD: Decimal("0.8"),
    Grade.PASS: Decimal("0.6"),
    Grade.FAIL: Decimal("0"),
}


def grade_level_decide(
    *, score: Decimal | None, full_marks, thresholds, grade: str, override: bool, reason: str
) -> tuple[str, bool, str]:
    """(level, overridden, reason) of a grading: the level the score earns by the
    thresholds, unless the grader sets another one with a reason. Without a score, the
    grader's level stands (there is no score for it to follow).

    Raises InvalidGrade for an unknown level, or no level and no score, and
    GradeOverrideReasonRequired for another level without a reason."""
    if grade and grade not in Grade.values:
        raise InvalidGrade("unknown grade")
    if score is None:
        if not grade:
            raise InvalidGrade("grade or score required")
        return grade, False, ""
    derived = grade_for_score(score, full_marks, thresholds)
    if not override or not grade or grade == derived:
        return derived, False, ""
    reason = (reason or "").strip()
    if not reason:
        raise GradeOverrideReasonRequired(f"{grade} instead of {derived}")
    return grade, True, reason


def answer_grade(
    *,
    grader,
    answer_id: int,
    score: Decimal | None,
    grade: str = "",
    comment: str = "",
    override: bool = False,
    override_reason: str = "",
) -> AttemptQuestion:
    """Score an essay answer (or re-score it) and update its attempt's total and result.

    A level alone gives the answer its share of the points (GRADE_SHARE); a score gives
    it the level its score rate earns by the default rubric, unless the grader
    overrides the level with a reason."""
    if not answer_list_for_grader(viewer=grader).filter(pk=answer_id).exists():
        raise GradingOutOfScope(str(answer_id))
    if grade and grade not in Grade.values:
        raise InvalidGrade("unknown grade")
    with transaction.atomic():
        aq = AttemptQuestion.objects.select_related("version").get(pk=answer_id)
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=aq.attempt_id)
        aq = AttemptQuestion.objects.select_for_update().select_related("version").get(pk=answer_id)
        if aq.version.data["type"] != "essay":
            raise NotGradable()
        if score is None and grade:
            score = (aq.points * GRADE_SHARE[grade]).quantize(TWO_PLACES)
        if score is None or score < 0 or score > aq.points:
            raise InvalidGrade(f"score {score} outside 0..{aq.points}")
        score = Decimal(score).quantize(TWO_PLACES)
        grade, overridden, reason = grade_level_decide(
            score=score,
            full_marks=aq.points,
            thresholds=GRADE_THRESHOLDS,
            grade=grade,
            override=override,
            reason=override_reason,
        )
        old_score, old_grade = aq.score if aq.graded_at else None, aq.grade
        was_pending = aq.needs_grading
        GradeChange.objects.create(
            attempt_question=aq,
            changed_by=grader,
            old_score=old_score,
            new_score=score,
            old_grade=old_grade,
            new_grade=grade,
            comment=comment,
            grade_overridden=overridden,
            override_reason=reason,
        )
        aq.score, aq.grade, aq.comment = score, grade, comment
        aq.grade_overridden, aq.grade_override_reason = overridden, reason
        aq.needs_grading = False
        aq.graded_by, aq.graded_at = grader, timezone.now()
        aq.save(
            update_fields=[
                "score",
                "grade",
                "grade_overridden",
                "grade_override_reason",
                "comment",
                "needs_grading",
                "graded_by",
                "graded_at",
            ]
        )
        total = sum((q.score or Decimal(0)) for q in attempt.questions.all())
        attempt.score = Decimal(total).quantize(TWO_PLACES)
        if was_pending and attempt.pending_manual:
            attempt.pending_manual -= 1
        attempt_recompute_result(attempt)
        attempt.save(update_fields=["score", "percent", "passed", "pending_manual"])
        transaction.on_commit(
            lambda: attempt_result_changed.send(sender=Attempt, attempt=attempt), robust=True
        )
        log(
            attempt,
            "assessments.answer_grade",
            user=grader,
            data={
                "position": aq.position,
                "old_score": None if old_score is None else str(old_score),
                "new_score": str(score),
                "grade": grade,
                "grade_overridden": overridden,
                "override_reason": reason,
            },
        )
    return aq


def submission_grade(
    *,
    grader,
    submission_id: int,
    grade: str = "",
    score: Decimal | None = None,
    comment: str = "",
    override: bool = False,
    override_reason: str = "",
) -> Submission:
    """Grade written work: a score out of the assignment's full marks, whose level
    (优秀/良好/合格/不合格) follows from the assignment's thresholds; or a level alone.
    The grader may set a level other than the score's only with a reason (`override`),
    which is stored, shown beside the grade and audited."""
    if not submission_list_for_grader(viewer=grader).filter(pk=submission_id).exists():
        raise GradingOutOfScope(str(submission_id))
    with transaction.atomic():
        sub = (
            Submission.objects.select_for_update()
            .select_related("assignment")
            .get(pk=submission_id)
        )
        assignment = sub.assignment
        if score is not None:
            score = Decimal(score)
            if not (Decimal(0) <= score <= assignment.full_marks):
                raise InvalidGrade(
                    f"score outside 0..{assignment.full_marks}",
                    message=_("Give a score from 0 to %(full)s (full marks).")
                    % {"full": assignment.full_marks},
                )
        grade, overridden, reason = grade_level_decide(
            score=score,
            full_marks=assignment.full_marks,
            thresholds=assignment.thresholds,
            grade=grade,
            override=override,
            reason=override_reason,
        )
        graded = sub.status == Submission.Status.GRADED
        old = (sub.grade, sub.score) if graded else ("", None)
        if (
            old == (grade, score)
            and sub.comment == comment
            and (sub.grade_overridden, sub.grade_override_reason) == (overridden, reason)
        ):
            return sub  # the same form sent twice: nothing to change or audit
        change = GradeChange.objects.create(
            submission=sub,
            changed_by=grader,
            old_grade=old[0],
            old_score=old[1],
            new_grade=grade,
            new_score=score,
            comment=comment,
            grade_overridden=overridden,
            override_reason=reason,
        )
        sub.grade, sub.score, sub.comment = grade, score, comment
        sub.grade_overridden, sub.grade_override_reason = overridden, reason
        sub.status = Submission.Status.GRADED
        sub.graded_by, sub.graded_at = grader, timezone.now()
        sub.full_clean()
        sub.save()
        log(
            sub,
            "assessments.submission_grade",
            user=grader,
            data={
                "old_grade": old[0],
                "new_grade": grade,
                "old_score": None if old[1] is None else str(old[1]),
                "new_score": None if score is None else str(score),
                "grade_overridden": overridden,
                "override_reason": reason,
            },
        )
        if old != (grade, score):  # a comment corrected alone is not news
            work_graded(sub, change)
    return sub
