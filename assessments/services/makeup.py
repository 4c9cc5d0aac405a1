"""补考: an organiser grants a trainee who failed the final exam one make-up attempt.

The make-up has its own window: from the grant until the deadline the organiser sets
(by default `MAKEUP_DAYS` after the grant), whether or not the exam itself has closed;
the exam's time limit applies to it, and it cannot be granted or started once the
class is closed. Its score is recorded as it is (not capped at the pass mark) and every
result that shows it says 补考.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.audit import log
from training.models import Enrolment, TrainingClass
from training.selectors import can_manage_class

from ..errors import (
    MakeupAlreadyUsed,
    MakeupClassClosed,
    MakeupDeadlineInvalid,
    MakeupNoFinalExam,
    MakeupNotEligible,
    MakeupNotPermitted,
    MakeupReasonRequired,
    MakeupTraineePassed,
)
from ..models import Attempt, ExamMakeup, Quiz
from ..selectors import ACTIVE_ENROLMENT, MakeupState, makeup_state, quiz_result

MAKEUP_DAYS = 7


def makeup_default_closes_at(now=None):
    """A week from now, at the end of that day (local time): "by next Tuesday"."""
    now = timezone.localtime(now or timezone.now())
    day = (now + datetime.timedelta(days=MAKEUP_DAYS)).date()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def final_exam_makeup_grant(
    *,
    actor,
    trainee,
    reason: str,
    training_class: TrainingClass | None = None,
    quiz: Quiz | None = None,
    closes_at=None,
    now=None,
) -> ExamMakeup:
    """Grant `trainee` one make-up attempt of the final exam of `training_class` (or of
    `quiz`, which must be a final exam).

    Granting again while the make-up is unused returns it unchanged (one make-up, one
    audit entry); if its window passed unused, a new grant reopens it with the new
    deadline and reason. Refused: someone who is not an organiser of the class, a
    closed class, a trainee who passed or already took the make-up, one who still has
    attempts while the exam is open or whose work awaits grading."""
    now = now or timezone.now()
    if quiz is None:
        quiz = Quiz.objects.filter(training_class=training_class, is_final_exam=True).first()
        if quiz is None:
            if training_class is not None and not can_manage_class(actor, training_class):
                raise MakeupNotPermitted()
            raise MakeupNoFinalExam()
    klass = training_class or quiz.training_class
    if not quiz.is_final_exam or quiz.training_class_id != getattr(klass, "pk", None):
        raise MakeupNoFinalExam()
    if not can_manage_class(actor, klass):
        raise MakeupNotPermitted()
    reason = (reason or "").strip()
    if not reason:
        raise MakeupReasonRequired()
    closes_at = closes_at or makeup_default_closes_at(now)
    if closes_at <= now:
        raise MakeupDeadlineInvalid(str(closes_at))
    for _try in range(2):
        try:
            return _grant_once(
                actor=actor, quiz=quiz, klass=klass, trainee=trainee, reason=reason,
                closes_at=closes_at, now=now,
            )  # fmt: skip
        except IntegrityError:
            # A simultaneous grant inserted the row first (no row to lock before it
            # existed): the retry finds it, and granting again is harmless.
            continue
    raise MakeupNotEligible("grant raced twice")


def _grant_once(*, actor, quiz, klass, trainee, reason, closes_at, now) -> ExamMakeup:
    with transaction.atomic():
        # The class row first, as closing a class does: a grant and a close never
        # interleave, so no make-up is granted to a class closing at that moment.
        klass = TrainingClass.objects.select_for_update().get(pk=klass.pk)
        if klass.status == TrainingClass.Status.CLOSED:
            raise MakeupClassClosed()
        if not Enrolment.objects.filter(
            training_class=klass, trainee=trainee, status__in=ACTIVE_ENROLMENT
        ).exists():
            raise MakeupNotEligible("not on the roster")
        attempts = list(
            Attempt.objects.select_for_update()
            .filter(quiz=quiz, trainee=trainee)
            .order_by("number")
        )
        grant = ExamMakeup.objects.select_for_update().filter(quiz=quiz, trainee=trainee).first()
        if grant is not None:
            if grant.attempt_id is not None:
                raise MakeupAlreadyUsed()
            if now < grant.closes_at:
                return grant  # granted already and still open: one make-up
            return _reopen(grant, actor=actor, reason=reason, closes_at=closes_at, now=now)
        if quiz_result(quiz=quiz, attempts=attempts).passed:
            raise MakeupTraineePassed()
        state = makeup_state(quiz=quiz, attempts=attempts, grant=None, class_closed=False, now=now)
        if state != MakeupState.ELIGIBLE:
            raise MakeupNotEligible(state)
        grant = ExamMakeup(
            quiz=quiz,
            trainee=trainee,
            reason=reason,
            closes_at=closes_at,
            granted_by=actor,
            granted_at=now,
        )
        grant.full_clean(validate_unique=False, validate_constraints=False)
        grant.save()
        log(
            grant,
            "assessments.makeup_grant",
            user=actor,
            data={
                "trainee": trainee.pk,
                "class": klass.pk,
                "quiz": quiz.pk,
                "reason": reason,
                "closes_at": closes_at.isoformat(),
                "first_percent": _first_percent(quiz, attempts),
            },
        )
    return grant


def _reopen(grant: ExamMakeup, *, actor, reason, closes_at, now) -> ExamMakeup:
    """An unused make-up whose window passed: the new grant gives it a new window."""
    before = grant.closes_at
    grant.reason, grant.closes_at = reason, closes_at
    grant.granted_by, grant.granted_at = actor, now
    grant.save(update_fields=["reason", "closes_at", "granted_by", "granted_at"])
    log(
        grant,
        "assessments.makeup_grant",
        user=actor,
        data={
            "trainee": grant.trainee_id,
            "quiz": grant.quiz_id,
            "reason": reason,
            "closes_at": closes_at.isoformat(),
            "reopened_after": before.isoformat(),
        },
    )
    return grant


def _first_percent(quiz, attempts) -> str | None:
    percent = quiz_result(quiz=quiz, attempts=attempts).percent
    return None if percent is None else str(percent)
