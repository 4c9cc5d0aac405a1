"""Taking a quiz: start (limit checked under lock), autosave (sequence-numbered), submit
(graded exactly once) and submission of overdue attempts at their deadline."""

import logging
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..errors import (
    AttemptClosed,
    AttemptLimitReached,
    QuestionNotInAttempt,
    QuizMisconfigured,
    QuizNotAvailable,
    QuizNotOpen,
)
from ..grading import TWO_PLACES, answer_clean, score_answer
from ..models import ANSWER_GRACE_SECONDS, Attempt, AttemptQuestion, Question, QuestionVersion, Quiz
from ..selectors import quiz_is_available_to
from ..signals import attempt_result_changed
from .questions import question_version_ensure

logger = logging.getLogger("lms.assessments")


def _draw(quiz: Quiz, rng: random.Random) -> list[tuple[int, Decimal]]:
    """(version id, points) for each question of a new attempt, in quiz order."""
    chosen: list[tuple[int, Decimal]] = []
    used_questions: set[int] = set()
    for slot in quiz.slots.select_related("question__current_version").order_by("sort_order"):
        if slot.question_id:
            question = slot.question
            version = question.current_version or question_version_ensure(question=question)
            if question.pk in used_questions:
                continue
            used_questions.add(question.pk)
            chosen.append((version.pk, slot.points or question.points))
            continue
        pool = [
            (pk, vid, pts)
            for pk, vid, pts in Question.objects.filter(
                category_id=slot.category_id, is_active=True
            ).values_list("pk", "current_version_id", "points")
            if pk not in used_questions
        ]
        if len(pool) < slot.draw_count:
            raise QuizMisconfigured(f"slot {slot.pk} wants {slot.draw_count}, has {len(pool)}")
        for pk, vid, pts in rng.sample(pool, slot.draw_count):
            if vid is None:
                vid = question_version_ensure(question=Question.objects.get(pk=pk)).pk
            used_questions.add(pk)
            chosen.append((vid, slot.points or pts))
    if not chosen:
        raise QuizMisconfigured("quiz has no questions")
    return chosen


def _deadline(quiz: Quiz, started_at):
    ends = []
    if quiz.time_limit_minutes:
        ends.append(started_at + timezone.timedelta(minutes=quiz.time_limit_minutes))
    if quiz.closes_at:
        ends.append(quiz.closes_at)
    return min(ends) if ends else None


def attempt_start(*, quiz: Quiz, trainee, now=None, seed=None) -> Attempt:
    """The trainee's open attempt, or a new one if the quiz is open and attempts remain.

    Starting again (double tap, second phone) resumes the open attempt. The count check
    runs with the trainee's attempts locked, and `attempt_number_unique` plus
    `one_open_attempt_per_quiz` make two simultaneous starts produce one attempt.
    """
    now = now or timezone.now()
    if not quiz_is_available_to(quiz=quiz, trainee=trainee):
        raise QuizNotAvailable()
    stale = Attempt.objects.filter(
        quiz=quiz, trainee=trainee, status=Attempt.Status.IN_PROGRESS
    ).first()
    if stale is not None:
        attempt_close_if_overdue(attempt=stale, now=now)
    for _try in range(3):
        try:
            return _attempt_start_once(quiz=quiz, trainee=trainee, now=now, seed=seed)
        except IntegrityError:
            # A simultaneous start won the race: resume what it created (or re-check limit).
            continue
    raise AttemptLimitReached("start raced three times")


def _attempt_start_once(*, quiz, trainee, now, seed) -> Attempt:
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update()
            .filter(quiz=quiz, trainee=trainee)
            .order_by("number")
        )
        open_attempt = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
        if open_attempt is not None:
            cutoff = open_attempt.answer_cutoff()
            if cutoff is None or now <= cutoff:
                return open_attempt
            _submit_locked(open_attempt, now=now, auto=True, actor=None)
        if not quiz.is_open(now):
            raise QuizNotOpen()
        if quiz.attempts_allowed and len(attempts) >= quiz.attempts_allowed:
            raise AttemptLimitReached()
        rng = random.Random(seed)
        drawn = _draw(quiz, rng)
        if quiz.shuffle_questions:
            rng.shuffle(drawn)
        with transaction.atomic():  # savepoint: a lost race rolls back only this insert
            attempt = Attempt(
                quiz=quiz,
                trainee=trainee,
                number=len(attempts) + 1,
                started_at=now,
                deadline=_deadline(quiz, now),
            )
            attempt.save()
        versions = {v.pk: v for v in QuestionVersion.objects.filter(pk__in=[v for v, _p in drawn])}
        rows = []
        max_score = Decimal(0)
        for position, (vid, points) in enumerate(drawn, start=1):
            keys = [o["key"] for o in versions[vid].data["options"]]
            if quiz.shuffle_options and versions[vid].data["type"] in ("single", "multiple"):
                rng.shuffle(keys)
            rows.append(
                AttemptQuestion(
                    attempt=attempt,
                    position=position,
                    version_id=vid,
                    points=points,
                    option_order=keys,
                )
            )
            max_score += Decimal(points)
        AttemptQuestion.objects.bulk_create(rows)
        attempt.max_score = max_score
        attempt.save(update_fields=["max_score"])
        if attempt.deadline is not None:
            transaction.on_commit(lambda: _schedule_deadline(attempt))
    return attempt


def _schedule_deadline(attempt: Attempt) -> None:
    """Ask the task worker to submit the attempt at its deadline, where the backend can."""
    from ..tasks import submit_attempt_if_overdue

    try:
        backend = submit_attempt_if_overdue.get_backend()
        if backend.supports_defer:
            submit_attempt_if_overdue.using(run_after=attempt.answer_cutoff()).enqueue(attempt.pk)
    except Exception:  # a queue outage must not fail the start; the cron sweep covers it
        logger.exception("could not schedule deadline of attempt %s", attempt.pk)


def attempt_answer_save(*, attempt_id: int, trainee, position: int, answer, seq: int, now=None):
    """Store one answer as given. Idempotent; an older `seq` never overwrites a newer one.

    The attempt row is locked (FOR NO KEY UPDATE), so a save and a submit of the same
    attempt never interleave: a save either lands before grading or is refused after it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(no_key=True)
            .filter(pk=attempt_id, trainee=trainee)
            .first()
        )
        if attempt is None:
            raise QuestionNotInAttempt("no such attempt for this trainee")
        if attempt.status != Attempt.Status.IN_PROGRESS:
            raise AttemptClosed()
        cutoff = attempt.answer_cutoff()
        if cutoff is not None and now > cutoff:
            raise AttemptClosed("past deadline")
        aq = (
            AttemptQuestion.objects.select_related("version")
            .filter(attempt=attempt, position=position)
            .first()
        )
        if aq is None:
            raise QuestionNotInAttempt()
        value = answer_clean(aq.version.data, answer, option_keys=aq.option_order)
        updated = AttemptQuestion.objects.filter(pk=aq.pk, answer_seq__lt=seq).update(
            answer=value, answer_seq=seq, answered_at=now
        )
    return {"saved": bool(updated), "position": position, "seq": seq if updated else aq.answer_seq}


def _grade_into(attempt: Attempt, questions: list[AttemptQuestion]) -> None:
    score = Decimal(0)
    pending = 0
    for aq in questions:
        if aq.graded_at is not None and aq.score is not None:
            score += aq.score
            continue
        aq.score = score_answer(aq.version.data, aq.answer, aq.points)
        aq.needs_grading = aq.score is None
        if aq.score is None:
            pending += 1
        else:
            score += aq.score
    attempt.score = score.quantize(TWO_PLACES)
    attempt.pending_manual = pending
    attempt_recompute_result(attempt)


def attempt_recompute_result(attempt: Attempt) -> None:
    if attempt.max_score:
        attempt.percent = (attempt.score / attempt.max_score * 100).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )
    else:
        attempt.percent = Decimal(0)
    attempt.passed = None if attempt.pending_manual else attempt.percent >= attempt.quiz.pass_mark


def _submit_locked(attempt: Attempt, *, now, auto: bool, actor) -> Attempt:
    questions = list(attempt.questions.select_related("version"))
    _grade_into(attempt, questions)
    # One UPDATE per distinct result (usually 2-4) instead of bulk_update's CASE per row:
    # a 100-question attempt grades in a few milliseconds.
    groups: dict[tuple, list[int]] = {}
    for aq in questions:
        groups.setdefault((aq.score, aq.needs_grading), []).append(aq.pk)
    for (score, needs), pks in groups.items():
        AttemptQuestion.objects.filter(pk__in=pks).update(score=score, needs_grading=needs)
    attempt.status = Attempt.Status.SUBMITTED
    attempt.auto_submitted = auto
    attempt.submitted_at = min(now, attempt.deadline) if (auto and attempt.deadline) else now
    attempt.graded_count += 1
    attempt.save()
    transaction.on_commit(
        lambda: attempt_result_changed.send(sender=Attempt, attempt=attempt), robust=True
    )
    log(
        attempt,
        "assessments.attempt_submit",
        user=actor,
        data={"score": str(attempt.score), "auto": auto, "pending": attempt.pending_manual},
    )
    return attempt


def attempt_submit(
    *, attempt_id: int, trainee=None, now=None, auto: bool = False, timed_out: bool = False
) -> Attempt:
    """Finish and grade an attempt. A second call (double tap, retry, other tab) returns the
    graded attempt unchanged: the row lock plus the status check grade it exactly once.

    `auto`: the system's submission of an overdue attempt (only after the grace period).
    `timed_out`: the trainee's page submitting when its timer ran out; recorded as
    submitted when time ran out if the deadline has indeed passed."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = Attempt.objects.select_for_update().select_related("quiz")
        if trainee is not None:
            qs = qs.filter(trainee=trainee)
        attempt = qs.filter(pk=attempt_id).first()
        if attempt is None:
            raise QuestionNotInAttempt("no such attempt for this trainee")
        if attempt.status == Attempt.Status.SUBMITTED:
            return attempt
        if auto:
            cutoff = attempt.answer_cutoff()
            if cutoff is None or now <= cutoff:
                return attempt
        timed_out = timed_out and attempt.deadline is not None and now >= attempt.deadline
        return _submit_locked(attempt, now=now, auto=auto or timed_out, actor=trainee)


def attempt_close_if_overdue(*, attempt: Attempt, now=None) -> Attempt:
    """The check on next access: an attempt past its deadline is submitted with its answers."""
    now = now or timezone.now()
    cutoff = attempt.answer_cutoff()
    if attempt.status == Attempt.Status.IN_PROGRESS and cutoff is not None and now > cutoff:
        return attempt_submit(attempt_id=attempt.pk, now=now, auto=True)
    return attempt


def attempts_submit_overdue(*, now=None, limit: int = 1000) -> int:
    """Submit every attempt whose deadline has passed; what the worker and cron run."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=ANSWER_GRACE_SECONDS)
    ids = list(
        Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=cutoff)
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        attempt = attempt_submit(attempt_id=pk, now=now, auto=True)
        done += attempt.status == Attempt.Status.SUBMITTED
    return done
