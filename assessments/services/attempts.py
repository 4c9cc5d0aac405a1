"""Taking a quiz: start (limit checked under lock), autosave (sequence-numbered), submit
(graded exactly once) and submission of overdue attempts at their deadline."""

import logging
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from lms.audit import log
from training.models import TrainingClass

from ..errors import (
    AttemptClosed,
    AttemptLimitReached,
    MakeupClassClosed,
    QuestionNotInAttempt,
    QuizMisconfigured,
    QuizNotAvailable,
    QuizNotOpen,
)
from ..grading import TWO_PLACES, answer_clean, score_answer
from ..models import (
    ANSWER_GRACE_SECONDS,
    Attempt,
    AttemptQuestion,
    ExamMakeup,
    Question,
    Quiz,
    QuizSlot,
    answer_cutoff,
)
from ..option_tokens import answer_from_tokens
from ..selectors import quiz_is_available_to
from ..signals import attempt_result_changed
from ..version_data import version_grading_data
from .questions import question_version_ensure

logger = logging.getLogger("lms.assessments")


def _one_or_none(queryset):
    """The row a lookup by key finds, or None. first() would add ORDER BY pk to these
    unordered queries, and compiling it is a sizeable part of a save or a submit's CPU."""
    rows = list(queryset[:1])
    return rows[0] if rows else None


def _draw(quiz: Quiz, rng: random.Random) -> list[tuple[int, str, Decimal]]:
    """(version id, its content hash, points) for each question of a new attempt, in quiz
    order. Plain rows: the versions' content comes from the grading cache."""
    chosen: list[tuple[int, str, Decimal]] = []
    used_questions: set[int] = set()
    slots = list(
        QuizSlot.objects.filter(quiz_id=quiz.pk)
        .order_by("sort_order")
        .values_list(
            "pk",
            "question_id",
            "question__current_version_id",
            "question__current_version__content_hash",
            "question__points",
            "category_id",
            "draw_count",
            "points",
        )
    )
    # A draw never takes a question a fixed slot uses, even one placed after the draw:
    # the attempt would hold it once and have a question fewer than the quiz promises.
    fixed = {row[1] for row in slots if row[1]}
    for slot_pk, question_id, vid, digest, q_points, category_id, draw_count, points in slots:
        if question_id:
            if question_id in used_questions:
                continue
            if vid is None:
                version = question_version_ensure(question=Question.objects.get(pk=question_id))
                vid, digest = version.pk, version.content_hash
            used_questions.add(question_id)
            chosen.append((vid, digest, points or q_points))
            continue
        pool = [
            row
            for row in Question.objects.filter(category_id=category_id, is_active=True)
            .order_by("pk")  # the model's order within one category: same draw for a seed
            .values_list("pk", "current_version_id", "current_version__content_hash", "points")
            if row[0] not in used_questions and row[0] not in fixed
        ]
        if len(pool) < draw_count:
            raise QuizMisconfigured(f"slot {slot_pk} wants {draw_count}, has {len(pool)}")
        for pk, vid, digest, pts in rng.sample(pool, draw_count):
            if vid is None:
                version = question_version_ensure(question=Question.objects.get(pk=pk))
                vid, digest = version.pk, version.content_hash
            used_questions.add(pk)
            chosen.append((vid, digest, points or pts))
    if not chosen:
        raise QuizMisconfigured("quiz has no questions")
    return chosen


def _deadline(quiz: Quiz, started_at, *, closes_at=None):
    """The time limit, or the window's end if sooner: the quiz's, or for a make-up the
    make-up's own (`closes_at`)."""
    ends = []
    if quiz.time_limit_minutes:
        ends.append(started_at + timezone.timedelta(minutes=quiz.time_limit_minutes))
    window_end = closes_at or quiz.closes_at
    if window_end:
        ends.append(window_end)
    return min(ends) if ends else None


def _makeup_to_start(*, quiz: Quiz, trainee, now):
    """The trainee's granted, unused and open make-up of this final exam, row-locked; the
    make-up attempt itself when a simultaneous start has just made it (still open); or
    None. A closed class takes no make-up."""
    if not quiz.is_final_exam:
        return None
    grant = _one_or_none(
        ExamMakeup.objects.select_for_update(of=("self",))
        .filter(quiz_id=quiz.pk, trainee=trainee)
        .order_by()
    )
    if grant is None:
        return None
    if grant.attempt_id is not None:
        made = Attempt.objects.get(pk=grant.attempt_id)
        cutoff = made.answer_cutoff()
        if made.status == Attempt.Status.IN_PROGRESS and (cutoff is None or now <= cutoff):
            return made
        return None
    if not grant.is_open(now):
        return None
    closed = TrainingClass.objects.filter(
        pk=quiz.training_class_id, status=TrainingClass.Status.CLOSED
    ).exists()
    if closed:
        raise MakeupClassClosed()
    return grant


def attempt_start(*, quiz: Quiz, trainee, now=None, seed=None) -> Attempt:
    """The trainee's open attempt, or a new one if the quiz is open and attempts remain.

    Starting again (double tap, second phone) resumes the open attempt. The count check
    runs with the trainee's attempts locked, and `attempt_number_unique` plus
    `one_open_attempt_per_quiz` make two simultaneous starts produce one attempt.
    """
    now = now or timezone.now()
    if not quiz_is_available_to(quiz=quiz, trainee=trainee):
        raise QuizNotAvailable()
    # An open attempt past its answer cutoff is submitted first, in its own transaction,
    # so it stays submitted even when this start is then refused.
    stale = _one_or_none(
        Attempt.objects.filter(
            quiz=quiz,
            trainee=trainee,
            status=Attempt.Status.IN_PROGRESS,
            deadline__lt=now - timezone.timedelta(seconds=ANSWER_GRACE_SECONDS),
        ).order_by()
    )
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
            open_attempt.quiz = quiz
            _submit_locked(open_attempt, now=now, auto=True, actor=None)
        regular = [a for a in attempts if not a.is_makeup]
        makeup = None
        if not quiz.is_open(now) or (
            quiz.attempts_allowed and len(regular) >= quiz.attempts_allowed
        ):
            # The regular attempts are over: a make-up (补考) granted to the trainee, if any.
            makeup = _makeup_to_start(quiz=quiz, trainee=trainee, now=now)
            if isinstance(makeup, Attempt):
                return makeup  # a simultaneous start of the make-up made it: resume it
            if makeup is None:
                if not quiz.is_open(now):
                    raise QuizNotOpen()
                raise AttemptLimitReached()
        rng = random.Random(seed)
        drawn = _draw(quiz, rng)
        if quiz.shuffle_questions:
            rng.shuffle(drawn)
        grading = version_grading_data((vid, digest) for vid, digest, _points in drawn)
        orders = []
        max_score = Decimal(0)
        for vid, _digest, points in drawn:
            keys = [o["key"] for o in grading[vid]["options"]]
            if quiz.shuffle_options and grading[vid]["type"] in ("single", "multiple"):
                rng.shuffle(keys)
            orders.append(keys)
            max_score += Decimal(points)
        # A simultaneous start that wins the race makes this insert fail: the
        # IntegrityError rolls back this whole transaction and attempt_start tries again.
        attempt = Attempt(
            quiz=quiz,
            trainee=trainee,
            number=len(attempts) + 1,
            started_at=now,
            deadline=_deadline(quiz, now, closes_at=makeup.closes_at if makeup else None),
            max_score=max_score,
            is_makeup=makeup is not None,
        )
        attempt.save()
        if makeup is not None:
            makeup.attempt = attempt
            makeup.save(update_fields=["attempt"])
            log(
                makeup,
                "assessments.makeup_start",
                user=trainee,
                data={"attempt": attempt.pk, "number": attempt.number},
            )
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                version_id=vid,
                points=points,
                option_order=keys,
            )
            for position, ((vid, _digest, points), keys) in enumerate(
                zip(drawn, orders, strict=True), start=1
            )
        )
        if attempt.deadline is not None:
            transaction.on_commit(lambda: _schedule_deadline(attempt))
    return attempt


def _schedule_deadline(attempt: Attempt) -> None:
    """Ask the task worker to submit the attempt at its deadline, where the backend can."""
    try:
        backend = submit_attempt_if_overdue.get_backend()
        if backend.supports_defer:
            submit_attempt_if_overdue.using(run_after=attempt.answer_cutoff()).enqueue(attempt.pk)
    except Exception:  # a queue outage must not fail the start; the cron sweep covers it
        logger.exception("could not schedule deadline of attempt %s", attempt.pk)


def attempt_answer_save(
    *,
    attempt_id: int,
    trainee,
    position: int,
    answer,
    seq: int,
    now=None,
    option_tokens: bool = False,
):
    """Store one answer as given. Idempotent; an older `seq` never overwrites a newer one.

    `option_tokens`: the answer names options by the tokens the trainee's page showed
    (see `option_tokens`), as every answer from a page does; they are stored as keys.
    Without it, by the keys themselves (the demo seed, the in-process bench, tests).

    The attempt row is locked (FOR NO KEY UPDATE), so a save and a submit of the same
    attempt never interleave: a save either lands before grading or is refused after it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # OF the attempt only: a join (the model's ordering goes through the quiz) would
        # lock the quiz's row too, and every trainee of the exam would queue on it.
        row = _one_or_none(
            Attempt.objects.select_for_update(no_key=True, of=("self",))
            .filter(pk=attempt_id, trainee=trainee)
            .order_by()
            .values_list("status", "deadline")
        )
        if row is None:
            raise QuestionNotInAttempt("no such attempt for this trainee")
        status, deadline = row
        if status != Attempt.Status.IN_PROGRESS:
            raise AttemptClosed()
        cutoff = answer_cutoff(deadline)
        if cutoff is not None and now > cutoff:
            raise AttemptClosed("past deadline")
        aq = _one_or_none(
            AttemptQuestion.objects.filter(attempt_id=attempt_id, position=position)
            .order_by()
            .values_list("pk", "version_id", "version__content_hash", "option_order", "answer_seq")
        )
        if aq is None:
            raise QuestionNotInAttempt()
        aq_pk, version_id, digest, option_order, answer_seq = aq
        data = version_grading_data([(version_id, digest)])[version_id]
        if option_tokens:
            answer = answer_from_tokens(
                answer,
                qtype=data["type"],
                attempt_id=attempt_id,
                position=position,
                option_keys=option_order,
            )
        value = answer_clean(data, answer, option_keys=option_order)
        updated = AttemptQuestion.objects.filter(pk=aq_pk, answer_seq__lt=seq).update(
            answer=value, answer_seq=seq, answered_at=now
        )
    return {"saved": bool(updated), "position": position, "seq": seq if updated else answer_seq}


def _grade_into(attempt: Attempt) -> dict[tuple, list[int]]:
    """Score the attempt's answers (an answer a person already graded keeps its score) and
    total them into the attempt. Returns the question ids by (score, needs_grading).

    Plain rows, and each version's grading fields from the per-process cache: building
    50 question and 50 version objects cost more than the grading itself."""
    rows = list(
        AttemptQuestion.objects.filter(attempt_id=attempt.pk)
        .order_by()
        .values_list(
            "pk",
            "version_id",
            "version__content_hash",
            "answer",
            "points",
            "score",
            "needs_grading",
            "graded_at",
        )
    )
    grading = version_grading_data((vid, digest) for _pk, vid, digest, *_rest in rows)
    score = Decimal(0)
    pending = 0
    groups: dict[tuple, list[int]] = {}
    for pk, vid, _digest, answer, points, graded_score, needs, graded_at in rows:
        if graded_at is not None and graded_score is not None:
            score += graded_score
            groups.setdefault((graded_score, needs), []).append(pk)
            continue
        result = score_answer(grading[vid], answer, points)
        if result is None:
            pending += 1
        else:
            score += result
        groups.setdefault((result, result is None), []).append(pk)
    attempt.score = score.quantize(TWO_PLACES)
    attempt.pending_manual = pending
    attempt_recompute_result(attempt)
    return groups


def attempt_recompute_result(attempt: Attempt) -> None:
    if attempt.max_score:
        attempt.percent = (attempt.score / attempt.max_score * 100).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )
    else:
        attempt.percent = Decimal(0)
    attempt.passed = None if attempt.pending_manual else attempt.percent >= attempt.quiz.pass_mark


def _submit_locked(attempt: Attempt, *, now, auto: bool, actor) -> Attempt:
    groups = _grade_into(attempt)
    # One UPDATE per distinct result (usually 2-4) instead of bulk_update's CASE per row:
    # a 100-question attempt grades in a few milliseconds.
    for (score, needs), pks in groups.items():
        AttemptQuestion.objects.filter(pk__in=pks).update(score=score, needs_grading=needs)
    attempt.status = Attempt.Status.SUBMITTED
    attempt.auto_submitted = auto
    attempt.submitted_at = min(now, attempt.deadline) if (auto and attempt.deadline) else now
    attempt.graded_count += 1
    attempt.save(
        update_fields=[
            "status",
            "auto_submitted",
            "submitted_at",
            "graded_count",
            "score",
            "pending_manual",
            "percent",
            "passed",
        ]
    )
    transaction.on_commit(
        lambda: attempt_result_changed.send(sender=Attempt, attempt=attempt), robust=True
    )
    log(
        attempt,
        "assessments.attempt_submit",
        user=actor,
        data={
            "score": str(attempt.score),
            "auto": auto,
            "pending": attempt.pending_manual,
            **({"makeup": True} if attempt.is_makeup else {}),
        },
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
        # OF the attempt only: without it the join would lock the quiz's row as well, and
        # every submit of the exam would wait for the one grading before it.
        qs = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").order_by()
        if trainee is not None:
            qs = qs.filter(trainee=trainee)
        attempt = _one_or_none(qs.filter(pk=attempt_id))
        if attempt is None:
            raise QuestionNotInAttempt("no such attempt for this trainee")
        if trainee is not None:
            attempt.trainee = trainee  # what the result signal's receivers read, unqueried
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


# --- background jobs (named in tasks.py) ---------------------------------------------


@task()
def submit_attempt_if_overdue(attempt_id: int) -> bool:
    """Enqueued at start to run at the attempt's deadline; a no-op if already submitted."""
    attempt = Attempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return False
    return attempt_close_if_overdue(attempt=attempt).status == Attempt.Status.SUBMITTED


@task()
def submit_overdue_attempts() -> int:
    """The sweep: every overdue attempt. Run by `manage.py submit_overdue_attempts` too."""
    return attempts_submit_overdue()
