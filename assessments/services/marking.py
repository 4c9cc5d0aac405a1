"""Hand grading of essay answers and written work; every (re)grade is audited."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..errors import GradingOutOfScope, InvalidGrade, NotGradable
from ..grading import TWO_PLACES
from ..models import Attempt, AttemptQuestion, Grade, GradeChange, Submission
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


def answer_grade(
    *, grader, answer_id: int, score: Decimal | None, grade: str = "", comment: str = ""
) -> AttemptQuestion:
    """Score an essay answer (or re-score it) and update its attempt's total and result."""
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
        )
        aq.score, aq.grade, aq.comment = score, grade, comment
        aq.needs_grading = False
        aq.graded_by, aq.graded_at = grader, timezone.now()
        aq.save(
            update_fields=["score", "grade", "comment", "needs_grading", "graded_by", "graded_at"]
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
            },
        )
    return aq


def submission_grade(
    *, grader, submission_id: int, grade: str, score: Decimal | None = None, comment: str = ""
) -> Submission:
    """Grade written work on the 优秀/良好/合格/不合格 scale (with an optional score)."""
    if not submission_list_for_grader(viewer=grader).filter(pk=submission_id).exists():
        raise GradingOutOfScope(str(submission_id))
    if grade not in Grade.values:
        raise InvalidGrade("grade required")
    if score is not None and not (Decimal(0) <= score <= Decimal(100)):
        raise InvalidGrade("score outside 0..100")
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission_id)
        old = (sub.grade, sub.score) if sub.status == Submission.Status.GRADED else ("", None)
        if old == (grade, score) and sub.comment == comment:
            return sub  # the same form sent twice: nothing to change or audit
        GradeChange.objects.create(
            submission=sub,
            changed_by=grader,
            old_grade=old[0],
            old_score=old[1],
            new_grade=grade,
            new_score=score,
            comment=comment,
        )
        sub.grade, sub.score, sub.comment = grade, score, comment
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
            },
        )
        work_graded(sub)
    return sub
