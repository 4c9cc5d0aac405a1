"""The contract with certificates: class_assessment_summary, in constant queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.selectors import AssessmentSummary, class_assessment_summary
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.marking import submission_grade
from assessments.services.written import submission_save
from tests.assessments.factories import AssignmentFactory, quiz_with, single
from tests.factories import trainee
from tests.training.factories import EnrolmentFactory, class_for_world

pytestmark = pytest.mark.django_db


def _take(quiz, who, correct: bool):
    attempt = attempt_start(quiz=quiz, trainee=who)
    aq = attempt.questions.select_related("version").get()
    key = next(o["key"] for o in aq.version.data["options"] if o["correct"] is correct)
    attempt_answer_save(attempt_id=attempt.pk, trainee=who, position=1, answer=key, seq=1)
    attempt_submit(attempt_id=attempt.pk, trainee=who)


def test_summary_reports_exam_quizzes_and_written_work(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    klass = class_for_world(world)
    other = trainee(full_name="学员丙")
    EnrolmentFactory(training_class=klass, trainee=other)
    exam = quiz_with([single()], training_class=klass, is_final_exam=True, is_required=True)
    required = quiz_with(
        [single(stem="必做")], training_class=klass, is_required=True, title="必做测验"
    )
    quiz_with([single(stem="选做")], training_class=klass, title="选做测验")
    reflection = AssignmentFactory(training_class=klass, title="学习心得")
    AssignmentFactory(training_class=klass, title="选做报告", is_required=False)
    _take(exam, world.trainee_a, correct=True)
    _take(required, world.trainee_a, correct=True)
    sub = submission_save(assignment=reflection, trainee=world.trainee_a, text="心得")
    submission_grade(grader=world.admin, submission_id=sub.pk, grade="pass")
    _take(exam, other, correct=False)
    sub2 = submission_save(assignment=reflection, trainee=other, text="心得")
    submission_grade(grader=world.admin, submission_id=sub2.pk, grade="fail")

    summary = class_assessment_summary(training_class=klass)
    assert set(summary) == {world.trainee_a.pk, other.pk}
    a = summary[world.trainee_a.pk]
    assert isinstance(a, AssessmentSummary)
    assert a.final_exam_passed is True and a.final_exam_score == Decimal("100.00")
    assert a.failed_quizzes == [] and a.missing_written_work == [] and a.complete
    b = summary[other.pk]
    assert b.final_exam_passed is False and b.final_exam_score == Decimal("0.00")
    assert b.failed_quizzes == ["必做测验"] and b.missing_written_work == ["学习心得"]
    assert not b.complete


def test_class_without_final_exam_reports_none(world):
    klass = class_for_world(world)
    summary = class_assessment_summary(training_class=klass)
    assert summary[world.trainee_a.pk].final_exam_passed is None
    assert summary[world.trainee_a.pk].complete


def test_query_count_does_not_grow_with_trainees(world):
    klass = class_for_world(world)
    exam = quiz_with([single()], training_class=klass, is_final_exam=True)
    AssignmentFactory(training_class=klass)
    _take(exam, world.trainee_a, correct=True)
    with CaptureQueriesContext(connection) as few:
        class_assessment_summary(training_class=klass)
    for _ in range(15):
        t = trainee()
        EnrolmentFactory(training_class=klass, trainee=t)
        _take(exam, t, correct=False)
    with CaptureQueriesContext(connection) as many:
        result = class_assessment_summary(training_class=klass)
    assert len(result) == 16
    assert len(many.captured_queries) == len(few.captured_queries) <= 6
