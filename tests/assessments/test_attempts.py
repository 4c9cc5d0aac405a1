import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.errors import (
    AttemptClosed,
    AttemptLimitReached,
    InvalidAnswer,
    QuestionNotInAttempt,
    QuizMisconfigured,
    QuizNotAvailable,
    QuizNotOpen,
)
from assessments.models import ANSWER_GRACE_SECONDS, Attempt, AttemptQuestion, Quiz, QuizSlot
from assessments.selectors import attempt_review_allowed, quiz_result_for
from assessments.services.attempts import (
    attempt_answer_save,
    attempt_close_if_overdue,
    attempt_start,
    attempt_submit,
    attempts_submit_overdue,
)
from assessments.services.questions import question_version_ensure
from assessments.tasks import submit_attempt_if_overdue
from tests.assessments.factories import (
    CategoryFactory,
    QuizFactory,
    essay,
    fill_in,
    multiple,
    quiz_with,
    single,
    true_false,
)
from tests.training.factories import class_for_world

pytestmark = pytest.mark.django_db


def _key(aq, text):
    return next(o["key"] for o in aq.version.data["options"] if o["text"] == text)


def _answer_all_correct(attempt, trainee):
    for seq, aq in enumerate(attempt.questions.select_related("version"), start=1):
        data = aq.version.data
        answer = {
            "single": next((o["key"] for o in data["options"] if o["correct"]), None),
            "multiple": [o["key"] for o in data["options"] if o["correct"]],
            "true_false": data["true_false"],
            "fill_in": (data["accepted"] or [""])[0],
            "essay": "答案",
        }[data["type"]]
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=trainee, position=aq.position, answer=answer, seq=seq
        )


def test_full_attempt_scores_and_passes(world):
    klass = class_for_world(world)
    quiz = quiz_with([single(), multiple(), true_false(), fill_in()], training_class=klass)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    _answer_all_correct(attempt, world.trainee_a)
    attempt = attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    assert attempt.status == "submitted"
    assert attempt.score == Decimal("9.00") == attempt.max_score
    assert attempt.percent == Decimal("100.00") and attempt.passed is True


def test_class_quiz_refused_to_trainee_of_another_class(world):
    klass = class_for_world(world)
    quiz = quiz_with([single()], training_class=klass)
    with pytest.raises(QuizNotAvailable):
        attempt_start(quiz=quiz, trainee=world.trainee_b)
    assert not Attempt.objects.exists()


def test_starting_twice_resumes_and_limit_is_refused(world):
    quiz = quiz_with([single()], attempts_allowed=1)
    first = attempt_start(quiz=quiz, trainee=world.trainee_a)
    assert attempt_start(quiz=quiz, trainee=world.trainee_a).pk == first.pk
    attempt_submit(attempt_id=first.pk, trainee=world.trainee_a)
    with pytest.raises(AttemptLimitReached) as exc:
        attempt_start(quiz=quiz, trainee=world.trainee_a)
    assert exc.value.code == "attempt_limit_reached"
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_closed_and_unopened_quiz_refuse_start(world):
    now = timezone.now()
    quiz = quiz_with([single()], opens_at=now + datetime.timedelta(hours=1))
    with pytest.raises(QuizNotOpen):
        attempt_start(quiz=quiz, trainee=world.trainee_a)
    quiz2 = quiz_with([single()], closes_at=now - datetime.timedelta(minutes=1))
    with pytest.raises(QuizNotOpen):
        attempt_start(quiz=quiz2, trainee=world.trainee_a)


def test_editing_question_keeps_past_attempt_and_score(world):
    q = single()
    quiz = quiz_with([q])
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    aq = attempt.questions.get()
    attempt_answer_save(
        attempt_id=attempt.pk,
        trainee=world.trainee_a,
        position=1,
        answer=_key(aq, "大别山干部学院"),
        seq=1,
    )
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    # The instructor changes the key and the wording afterwards.
    q.stem = "改过的题干"
    q.save()
    for option in q.options.all():
        option.is_correct = option.text == "省委党校"
        option.save()
    v2 = question_version_ensure(question=q)
    assert v2.number == 2
    aq.refresh_from_db()
    assert aq.version.number == 1 and aq.version.data["stem"] == "先导区培训在哪里举办？"
    assert Attempt.objects.get(pk=attempt.pk).score == Decimal("2.00")
    # A new attempt by someone else gets the new version.
    other = attempt_start(quiz=quiz, trainee=world.trainee_b)
    assert other.questions.get().version_id == v2.pk


def test_random_draw_is_kept_per_attempt(world):
    category = CategoryFactory(name="先导区")
    for i in range(6):
        single(category=category, stem=f"题{i}")
    quiz = QuizFactory(attempts_allowed=0, shuffle_options=True)
    QuizSlot.objects.create(quiz=quiz, category=category, draw_count=3)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a, seed=1)
    drawn = list(attempt.questions.values_list("version_id", "option_order"))
    assert len(drawn) == 3 and len({v for v, _o in drawn}) == 3
    # Reloading (starting again) gives the same draw, not a new one.
    again = attempt_start(quiz=quiz, trainee=world.trainee_a, seed=2)
    assert list(again.questions.values_list("version_id", "option_order")) == drawn


def test_random_draw_never_takes_a_question_a_fixed_slot_uses(world):
    category = CategoryFactory(name="先导区")
    questions = [single(category=category, stem=f"题{i}") for i in range(3)]
    quiz = QuizFactory(attempts_allowed=0)
    # The draw comes first, the fixed question after it: both from the same category.
    QuizSlot.objects.create(quiz=quiz, category=category, draw_count=2, sort_order=0)
    QuizSlot.objects.create(quiz=quiz, question=questions[0], sort_order=1)
    for seed in range(8):
        attempt = attempt_start(quiz=quiz, trainee=world.trainee_a, seed=seed)
        versions = list(attempt.questions.order_by("position").values_list("version", flat=True))
        assert len(versions) == 3 == len(set(versions)), f"seed {seed}"
        assert versions[2] == questions[0].current_version_id
        attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)


def test_draw_larger_than_bank_is_refused_cleanly(world):
    category = CategoryFactory(name="小题库")
    single(category=category)
    quiz = QuizFactory()
    QuizSlot.objects.create(quiz=quiz, category=category, draw_count=5)
    with pytest.raises(QuizMisconfigured):
        attempt_start(quiz=quiz, trainee=world.trainee_a)
    assert not Attempt.objects.exists()


def test_autosave_sequence_never_lets_older_save_win(world):
    quiz = quiz_with([fill_in()])
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    save = {"attempt_id": attempt.pk, "trainee": world.trainee_a, "position": 1}
    assert attempt_answer_save(**save, answer="片区化", seq=5)["saved"]
    assert not attempt_answer_save(**save, answer="旧答案", seq=3)["saved"]  # late and older
    assert attempt_answer_save(**save, answer="片区化", seq=5)["saved"] is False  # a retry
    aq = AttemptQuestion.objects.get(attempt=attempt)
    assert aq.answer == "片区化" and aq.answer_seq == 5


def test_answer_to_question_not_in_attempt_or_forged_option_changes_nothing(world):
    quiz = quiz_with([single()])
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    with pytest.raises(QuestionNotInAttempt):
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_a, position=2, answer="x", seq=1
        )
    with pytest.raises(InvalidAnswer):
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer="o999999", seq=1
        )
    with pytest.raises(QuestionNotInAttempt):  # someone else's attempt
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_b, position=1, answer=None, seq=1
        )
    assert AttemptQuestion.objects.get(attempt=attempt).answer is None


def test_submit_twice_grades_once(world):
    quiz = quiz_with([single()])
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    first = attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    second = attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    assert first.graded_count == second.graded_count == 1
    assert first.submitted_at == second.submitted_at
    with pytest.raises(AttemptClosed):
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer=None, seq=9
        )


def test_deadline_submits_saved_answers_without_the_trainee(world):
    quiz = quiz_with([single(), true_false()], time_limit_minutes=10)
    start = timezone.now() - datetime.timedelta(minutes=30)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a, now=start)
    attempt_answer_save(
        attempt_id=attempt.pk,
        trainee=world.trainee_a,
        position=2,
        answer=True,
        seq=1,
        now=start + datetime.timedelta(minutes=1),
    )
    # A save after the deadline (plus grace) is refused.
    with pytest.raises(AttemptClosed):
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer=None, seq=2
        )
    assert submit_attempt_if_overdue.call(attempt.pk) is True  # the deferred task
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == Decimal("1.00")


def test_overdue_sweep_and_command(world):
    quiz = quiz_with([single()], time_limit_minutes=5, attempts_allowed=0)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    a = attempt_start(quiz=quiz, trainee=world.trainee_a, now=long_ago)
    b = attempt_start(quiz=quiz, trainee=world.trainee_b)  # still running
    assert attempts_submit_overdue() == 1
    call_command("submit_overdue_attempts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "submitted" and b.status == "in_progress"
    assert a.graded_count == 1


def test_check_on_next_access_submits_and_next_start_is_new(world):
    quiz = quiz_with([single()], time_limit_minutes=5, attempts_allowed=2)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    old = attempt_start(quiz=quiz, trainee=world.trainee_a, now=long_ago)
    assert attempt_close_if_overdue(attempt=old).status == "submitted"
    new = attempt_start(quiz=quiz, trainee=world.trainee_a)
    assert new.number == 2 and new.status == "in_progress"


def test_essay_waits_for_grading_and_result_is_pending(world):
    quiz = quiz_with([single(), essay()])
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    _answer_all_correct(attempt, world.trainee_a)
    attempt = attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    assert attempt.pending_manual == 1 and attempt.passed is None
    result = quiz_result_for(quiz=quiz, trainee=world.trainee_a)
    assert result.pending and result.passed is None


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("highest", Decimal("100")),
        ("last", Decimal("0")),
        ("first", Decimal("50")),
        ("average", Decimal("50")),
    ],
)
def test_grading_methods(world, method, expected):
    quiz = quiz_with([single(), single(stem="第二题")], attempts_allowed=0, grading_method=method)
    for n_correct in (1, 2, 0):
        attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
        for aq in attempt.questions.select_related("version")[:n_correct]:
            attempt_answer_save(
                attempt_id=attempt.pk,
                trainee=world.trainee_a,
                position=aq.position,
                answer=_key(aq, "大别山干部学院"),
                seq=1,
            )
        attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    result = quiz_result_for(quiz=quiz, trainee=world.trainee_a)
    assert result.percent == expected and result.attempts == 3
    assert result.passed is (expected >= quiz.pass_mark)


def test_final_exam_needs_class_and_only_one_per_class(world):
    from django.core.exceptions import ValidationError

    klass = class_for_world(world)
    QuizFactory(training_class=klass, is_final_exam=True)
    with pytest.raises(ValidationError):
        Quiz(title="x", training_class=klass, is_final_exam=True).full_clean()
    with pytest.raises(ValidationError):
        Quiz(title="y", is_final_exam=True).full_clean()


def test_review_after_close_waits_for_the_answer_cutoff(world):
    """The key is shown only once no attempt of the quiz can take an answer any more."""
    start = timezone.now()
    closes = start + datetime.timedelta(minutes=30)
    quiz = quiz_with([true_false()], closes_at=closes, review=Quiz.Review.AFTER_CLOSE)
    done = attempt_start(quiz=quiz, trainee=world.trainee_a, now=start)
    done = attempt_submit(attempt_id=done.pk, trainee=world.trainee_a, now=start)
    late = attempt_start(quiz=quiz, trainee=world.trainee_b, now=start)
    in_grace = closes + datetime.timedelta(seconds=ANSWER_GRACE_SECONDS - 1)
    # A save arriving just after the close is still taken...
    saved = attempt_answer_save(
        attempt_id=late.pk, trainee=world.trainee_b, position=1, answer=True, seq=1, now=in_grace
    )
    assert saved["saved"]
    # ...so the key stays hidden until the cutoff has passed.
    assert not attempt_review_allowed(attempt=done, now=closes)
    assert not attempt_review_allowed(attempt=done, now=in_grace)
    after = closes + datetime.timedelta(seconds=ANSWER_GRACE_SECONDS + 1)
    assert attempt_review_allowed(attempt=done, now=after)


def test_fill_in_made_under_the_old_rule_grades_by_the_current_one(world):
    """A version stored when '-5' normalised to '5' must not accept 5 for -5."""
    from assessments.models import QuestionVersion
    from assessments.services.questions import question_create
    from assessments.version_data import version_cache_clear

    question = question_create(
        category=CategoryFactory(), type="fill_in", stem="-3 - 2 = ?", accepted=["-5"]
    )
    version = question.current_version
    QuestionVersion.objects.filter(pk=version.pk).update(
        data={**version.data, "accepted_normalised": ["5"]}
    )
    version_cache_clear()
    quiz = quiz_with([question], attempts_allowed=0)
    for answer, score in (("5", 0), ("-5", 1)):
        attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer=answer, seq=1
        )
        attempt = attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
        assert attempt.score == score, answer
