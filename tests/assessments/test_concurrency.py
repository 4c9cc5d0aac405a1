"""Real row locking on PostgreSQL: simultaneous submits, starts past the limit, and an
autosave racing the deadline."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from assessments.errors import AttemptClosed, AttemptLimitReached
from assessments.models import Attempt, AttemptQuestion
from assessments.services.attempts import (
    attempt_answer_save,
    attempt_start,
    attempt_submit,
    attempts_submit_overdue,
)
from tests.assessments.factories import quiz_with, single
from tests.factories import trainee

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(fn(i))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


def test_simultaneous_submits_grade_once(postgres_only):
    who = trainee()
    quiz = quiz_with([single()])
    attempt = attempt_start(quiz=quiz, trainee=who)
    key = next(o["key"] for o in attempt.questions.get().version.data["options"] if o["correct"])
    attempt_answer_save(attempt_id=attempt.pk, trainee=who, position=1, answer=key, seq=1)
    results, errors = _race(8, lambda i: attempt_submit(attempt_id=attempt.pk, trainee=who))
    assert not errors and len(results) == 8
    attempt.refresh_from_db()
    assert attempt.graded_count == 1 and attempt.score == Decimal("2.00")
    assert len({r.submitted_at for r in results}) == 1


def test_simultaneous_starts_never_pass_the_limit(postgres_only):
    who = trainee()
    quiz = quiz_with([single()], attempts_allowed=2)
    first = attempt_start(quiz=quiz, trainee=who)
    attempt_submit(attempt_id=first.pk, trainee=who)

    def start(i):
        attempt = attempt_start(quiz=quiz, trainee=who)
        attempt_submit(attempt_id=attempt.pk, trainee=who)
        return attempt.pk

    results, errors = _race(6, start)
    assert Attempt.objects.filter(quiz=quiz, trainee=who).count() == 2
    assert len(set(results)) == 1  # everyone who got in shares the one allowed attempt
    assert errors and all(isinstance(e, AttemptLimitReached) for e in errors)


def test_simultaneous_first_starts_make_one_attempt(postgres_only):
    who = trainee()
    quiz = quiz_with([single()], attempts_allowed=1)
    results, errors = _race(6, lambda i: attempt_start(quiz=quiz, trainee=who).pk)
    assert not errors and len(set(results)) == 1
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_autosave_racing_the_deadline_is_graded_or_refused_never_lost(postgres_only):
    """At the deadline the sweep submits while saves arrive: every save that reports
    success is in the graded attempt, every later one is refused with attempt_closed."""
    for round_ in range(5):
        _deadline_round(round_)


def _deadline_round(round_):
    if True:
        who = trainee()
        quiz = quiz_with([single(stem=f"题{round_}")], time_limit_minutes=1)
        start = timezone.now() - datetime.timedelta(seconds=60 + 14)  # 1 s before cutoff
        attempt = attempt_start(quiz=quiz, trainee=who, now=start)
        keys = attempt.questions.get().option_order
        outcomes = {}

        def act(i):
            if i == 0:
                return attempts_submit_overdue(now=timezone.now() + datetime.timedelta(seconds=2))
            try:
                result = attempt_answer_save(
                    attempt_id=attempt.pk, trainee=who, position=1, answer=keys[i % 3], seq=i
                )
                outcomes[i] = "saved" if result["saved"] else "older"
            except AttemptClosed:
                outcomes[i] = "closed"
            return None

        _results, errors = _race(6, act)
        assert not errors
        attempt.refresh_from_db()
        assert attempt.status == "submitted" and attempt.graded_count == 1
        aq = AttemptQuestion.objects.get(attempt=attempt)
        saved = [i for i, o in outcomes.items() if o == "saved"]
        if saved:
            assert aq.answer_seq == max(saved)  # the newest acknowledged save was graded
        expected = Decimal("2.00") if aq.answer and aq.answer == _correct(aq) else Decimal("0")
        assert attempt.score == expected


def _correct(aq):
    return next(o["key"] for o in aq.version.data["options"] if o["correct"])


def test_autosave_and_submit_lock_the_attempt_not_the_quiz(postgres_only):
    """All the trainees of an exam save and submit at once, so none of them may lock the
    quiz's row: with another transaction holding it (FOR SHARE), both go through."""
    who = trainee()
    quiz = quiz_with([single()])
    attempt = attempt_start(quiz=quiz, trainee=who)
    keys = attempt.questions.get().option_order
    held, done = threading.Event(), threading.Event()

    def hold_quiz(_i):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM assessments_quiz WHERE id = %s FOR SHARE", [quiz.pk])
            held.set()
            done.wait(20)

    holder = threading.Thread(target=lambda: _race(1, hold_quiz))
    holder.start()
    try:
        assert held.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        saved = attempt_answer_save(
            attempt_id=attempt.pk, trainee=who, position=1, answer=keys[0], seq=1
        )
        submitted = attempt_submit(attempt_id=attempt.pk, trainee=who)
    finally:
        done.set()
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert saved["saved"] and submitted.status == "submitted"


def _failed_final_exam(world):
    from tests.training.factories import class_for_world

    quiz = quiz_with([single()], training_class=class_for_world(world), is_final_exam=True)
    failed = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_submit(attempt_id=failed.pk, trainee=world.trainee_a)  # blank: 0 %
    return quiz


def test_simultaneous_makeup_grants_make_one_makeup_audited_once(postgres_only, world):
    from wagtail.models import ModelLogEntry

    from assessments.models import ExamMakeup
    from assessments.services.makeup import final_exam_makeup_grant

    quiz = _failed_final_exam(world)
    results, errors = _race(
        6,
        lambda i: (
            final_exam_makeup_grant(
                actor=world.organiser, quiz=quiz, trainee=world.trainee_a, reason=f"补考{i}"
            ).pk
        ),
    )
    assert not errors and len(set(results)) == 1
    assert ExamMakeup.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="assessments.makeup_grant").count() == 1


def test_simultaneous_makeup_starts_make_one_makeup_attempt(postgres_only, world):
    from assessments.services.makeup import final_exam_makeup_grant

    quiz = _failed_final_exam(world)
    final_exam_makeup_grant(
        actor=world.organiser, quiz=quiz, trainee=world.trainee_a, reason="补考"
    )
    results, errors = _race(6, lambda i: attempt_start(quiz=quiz, trainee=world.trainee_a).pk)
    assert not errors and len(set(results)) == 1
    assert Attempt.objects.filter(quiz=quiz, is_makeup=True).count() == 1
    assert Attempt.objects.filter(quiz=quiz, trainee=world.trainee_a).count() == 2
