"""The exam's hot paths stay cheap and correct: the per-process cache of versions' grading
data never serves another version's content, and start, autosave and submit keep their
query counts whatever the number of questions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AttemptQuestion, QuestionVersion, QuizSlot
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.questions import question_version_ensure
from assessments.version_data import version_cache_clear, version_grading_data
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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_cache():
    version_cache_clear()
    yield
    version_cache_clear()


def _key(version, text):
    return next(o["key"] for o in version.data["options"] if o["text"] == text)


def _version_reads(queries) -> int:
    """Statements that read versions' content (not the join that reads their hash)."""
    return sum(1 for q in queries if '"assessments_questionversion"."data"' in q["sql"])


def _answer_and_submit(attempt, trainee, key) -> Decimal:
    attempt_answer_save(attempt_id=attempt.pk, trainee=trainee, position=1, answer=key, seq=1)
    return attempt_submit(attempt_id=attempt.pk, trainee=trainee).score


def test_an_edited_question_is_graded_by_its_new_version_not_the_cached_one(world):
    q = single()
    quiz = quiz_with([q], attempts_allowed=0)
    trainee = world.trainee_a
    first = attempt_start(quiz=quiz, trainee=trainee)
    v1 = first.questions.get().version
    assert _answer_and_submit(first, trainee, _key(v1, "大别山干部学院")) == Decimal("2.00")
    # v1's grading data is cached now. The key changes to another option.
    for option in q.options.all():
        option.is_correct = option.text == "省委党校"
        option.save()
    v2 = question_version_ensure(question=q)
    assert v2.pk != v1.pk

    second = attempt_start(quiz=quiz, trainee=trainee)
    assert second.questions.get().version_id == v2.pk
    # Right under v1, wrong under v2.
    assert _answer_and_submit(second, trainee, _key(v2, "大别山干部学院")) == Decimal("0.00")
    third = attempt_start(quiz=quiz, trainee=trainee)
    assert _answer_and_submit(third, trainee, _key(v2, "省委党校")) == Decimal("2.00")
    # The first attempt still points at v1 and keeps its score.
    assert AttemptQuestion.objects.get(attempt=first).score == Decimal("2.00")


def test_a_version_id_that_comes_back_with_other_content_is_read_again():
    """SQLite reuses an id after a rolled-back insert; a restored dump can too. The cache is
    keyed by the content hash read with the id, so the old content is never served."""
    q = true_false(answer=True)
    version = q.current_version
    old = version_grading_data([(version.pk, version.content_hash)])[version.pk]
    assert old["true_false"] is True
    # The same id, now holding other content (and so another hash).
    data = {**version.data, "true_false": False}
    QuestionVersion.objects.filter(pk=version.pk).update(data=data, content_hash="other")
    new = version_grading_data([(version.pk, "other")])[version.pk]
    assert new["true_false"] is False


def test_grading_data_is_read_only_and_holds_no_question_text():
    q = single()
    version = q.current_version
    data = version_grading_data([(version.pk, version.content_hash)])[version.pk]
    with pytest.raises(TypeError):
        data["type"] = "essay"
    with pytest.raises(TypeError):
        data["options"][0]["correct"] = True
    assert "stem" not in data and "explanation" not in data
    assert all(set(o) == {"key", "correct"} for o in data["options"])


def test_a_warm_cache_reads_no_version_content(world):
    category = CategoryFactory()
    questions = [single(category), multiple(category), true_false(category), fill_in(category)]
    quiz = quiz_with(questions, attempts_allowed=0)
    with CaptureQueriesContext(connection) as cold:
        attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    assert _version_reads(cold.captured_queries) == 1  # all four in one query
    with CaptureQueriesContext(connection) as warm:
        attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_a, position=3, answer=True, seq=1
        )
        attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
        again = attempt_start(quiz=quiz, trainee=world.trainee_a)
    assert _version_reads(warm.captured_queries) == 0
    assert again.pk != attempt.pk


def _exam(world, n):
    """A class exam of n questions drawn at random, as bench_exam sets it up."""
    from tests.training.factories import class_for_world

    category = CategoryFactory()
    makers = [single, multiple, true_false, fill_in]
    for i in range(n):
        makers[i % 4](category)
    quiz = QuizFactory(
        training_class=class_for_world(world),
        time_limit_minutes=60,
        shuffle_questions=True,
        shuffle_options=True,
        attempts_allowed=0,
    )
    QuizSlot.objects.create(quiz=quiz, category=category, draw_count=n)
    return quiz


def _answers(attempt):
    """(position, the right answer) for each question: the same scores, so the same
    number of grading updates, whatever the draw and the option order."""
    for position, data in attempt.questions.values_list("position", "version__data"):
        correct = [o["key"] for o in data["options"] if o["correct"]]
        yield (
            position,
            {
                "single": correct[:1] and correct[0],
                "multiple": correct,
                "true_false": data["true_false"],
                "fill_in": (data["accepted"] or [""])[0],
            }[data["type"]],
        )


def _answer_every_question(*, attempt, trainee, answers):
    for position, answer in answers:
        attempt_answer_save(
            attempt_id=attempt.pk,
            trainee=trainee,
            position=position,
            answer=answer,
            seq=1,
        )


def _queries(fn, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = fn(**kwargs)
    return result, len(ctx.captured_queries)


def test_start_answer_and_submit_queries_do_not_grow_with_the_questions(world):
    counts = {}
    for n in (4, 12):
        quiz = _exam(world, n)
        warm_up = attempt_start(quiz=quiz, trainee=world.trainee_a)  # caches the versions
        attempt_submit(attempt_id=warm_up.pk, trainee=world.trainee_a)
        attempt, start = _queries(attempt_start, quiz=quiz, trainee=world.trainee_a)
        answers = list(_answers(attempt))
        _, saves = _queries(
            _answer_every_question, attempt=attempt, trainee=world.trainee_a, answers=answers
        )
        _, submit = _queries(attempt_submit, attempt_id=attempt.pk, trainee=world.trainee_a)
        _, again = _queries(attempt_submit, attempt_id=attempt.pk, trainee=world.trainee_a)
        counts[n] = (start, saves / n, submit, again)
    assert counts[4] == counts[12], counts
    start, per_answer, submit, again = counts[12]
    # start: availability, overdue check, (savepoint) lock, slots, draw pool, attempt
    # insert, question insert, (release).
    assert start <= 9, counts
    # autosave: (savepoint) lock, the question, the update, (release).
    assert per_answer == 5, counts
    # submit: (savepoint) lock, answers, one update per distinct score (2, 4 and 1
    # points here), the attempt, the audit entry, (release), the result signal's receiver.
    assert submit <= 10, counts
    # a second submit: (savepoint) lock, (release).
    assert again == 3, counts


def test_grading_an_essay_and_a_manual_grade_are_kept(world):
    """Answers a person must grade stay pending; the cached path scores nothing else."""
    quiz = quiz_with([essay(), single()], attempts_allowed=0)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_answer_save(
        attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer="答案", seq=1
    )
    attempt = attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    assert attempt.pending_manual == 1 and attempt.passed is None
    essay_row = AttemptQuestion.objects.get(attempt=attempt, position=1)
    assert essay_row.needs_grading and essay_row.score is None


def test_submit_writes_one_audit_entry_by_the_trainee(world):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    quiz = quiz_with([single(), essay()], attempts_allowed=0)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)  # a double tap
    entry = ModelLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(attempt), object_id=str(attempt.pk)
    )
    assert entry.action == "assessments.attempt_submit"
    assert entry.user_id == world.trainee_a.pk and entry.label == str(attempt)
    assert entry.data == {"score": "0.00", "auto": False, "pending": 0}
