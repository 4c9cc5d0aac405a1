"""A grade's level follows its score by the rubric's thresholds (优秀 ≥ 90 %, 良好 ≥ 80 %,
合格 ≥ 60 % of full marks by default, set per assignment), unless the grader overrides it
with a reason, which is stored, audited and shown to staff beside the grade."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from assessments.errors import GradeOverrideReasonRequired, InvalidGrade
from assessments.models import Grade, GradeChange, grade_for_score
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.marking import answer_grade, submission_grade
from assessments.services.written import submission_save
from tests.assessments.factories import AssignmentFactory, essay, quiz_with
from tests.training.factories import ClassSessionFactory, class_for_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "score, level",
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),  # a threshold is reached at equality
        ("89.9", Grade.GOOD),
        ("80", Grade.GOOD),
        ("79.9", Grade.PASS),
        ("60", Grade.PASS),
        ("59.9", Grade.FAIL),
        ("0", Grade.FAIL),
    ],
)
def test_level_by_score_at_each_threshold(score, level):
    assert grade_for_score(Decimal(score), 100) == level


def test_level_compares_the_exact_rate_not_a_rounded_one():
    # 26.99 of 30 is 89.97 %: 良好, although it rounds to 90 %.
    assert grade_for_score(Decimal("26.99"), 30) == Grade.GOOD
    assert grade_for_score(Decimal("27"), 30) == Grade.EXCELLENT


@pytest.fixture
def work(world, settings, tmp_path):
    """A reflection of trainee_a handed in, marked out of 10, in a class world.instructor
    teaches."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    assignment = AssignmentFactory(training_class=klass, full_marks=10)
    return submission_save(assignment=assignment, trainee=world.trainee_a, text="心得")


def test_eight_of_ten_is_good_even_if_the_grader_says_fail(work, world):
    """The issue's case: 8/10 graded 不合格. Without an override the level follows the score."""
    sub = submission_grade(
        grader=world.instructor, submission_id=work.pk, grade="fail", score=Decimal("8")
    )
    assert (sub.grade, sub.score, sub.grade_overridden) == (Grade.GOOD, Decimal("8"), False)


@pytest.mark.parametrize(
    "score, level",
    [("9", "excellent"), ("8.9", "good"), ("8", "good"), ("6", "pass"), ("5.9", "fail")],
)
def test_submission_level_follows_the_score_at_the_thresholds(work, world, score, level):
    sub = submission_grade(grader=world.instructor, submission_id=work.pk, score=Decimal(score))
    assert sub.grade == level


def test_thresholds_are_set_per_assignment(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    klass = class_for_world(world)
    strict = AssignmentFactory(training_class=klass, excellent_from=95, good_from=85, pass_from=70)
    sub = submission_save(assignment=strict, trainee=world.trainee_a, text="报告")
    for score, level in [("94", "good"), ("95", "excellent"), ("84", "pass"), ("69", "fail")]:
        sub = submission_grade(grader=world.admin, submission_id=sub.pk, score=Decimal(score))
        assert sub.grade == level, score


def test_thresholds_must_rise_from_pass_to_excellent(world):
    assignment = AssignmentFactory.build(excellent_from=80, good_from=85, pass_from=60)
    with pytest.raises(ValidationError, match="合格线 ≤ 良好线 ≤ 优秀线"):
        assignment.validate_constraints()


def test_a_level_alone_still_grades_work_without_a_score(work, world):
    sub = submission_grade(grader=world.instructor, submission_id=work.pk, grade="pass")
    assert (sub.grade, sub.score, sub.grade_overridden) == ("pass", None, False)
    with pytest.raises(InvalidGrade):
        submission_grade(grader=world.instructor, submission_id=work.pk)


def test_a_score_above_full_marks_is_refused(work, world):
    with pytest.raises(InvalidGrade):
        submission_grade(grader=world.instructor, submission_id=work.pk, score=Decimal("11"))
    assert not GradeChange.objects.exists()


def test_an_override_needs_a_reason(work, world):
    with pytest.raises(GradeOverrideReasonRequired):
        submission_grade(
            grader=world.instructor,
            submission_id=work.pk,
            score=Decimal("8"),
            grade="fail",
            override=True,
            override_reason="  ",
        )
    work.refresh_from_db()
    assert work.status == "submitted" and not GradeChange.objects.exists()


def test_an_override_with_a_reason_is_stored_audited_and_in_the_history(work, world):
    sub = submission_grade(
        grader=world.instructor,
        submission_id=work.pk,
        score=Decimal("8"),
        grade="fail",
        override=True,
        override_reason="抄袭他人材料",
    )
    assert (sub.grade, sub.grade_overridden, sub.grade_override_reason) == (
        "fail",
        True,
        "抄袭他人材料",
    )
    change = GradeChange.objects.get(submission=sub)
    assert change.new_grade == "fail" and change.grade_overridden
    assert change.override_reason == "抄袭他人材料"
    entry = ModelLogEntry.objects.get(action="assessments.submission_grade")
    assert entry.data["grade_overridden"] is True
    assert entry.data["override_reason"] == "抄袭他人材料"
    # A re-grade that lets the level follow the score again clears the override.
    sub = submission_grade(grader=world.instructor, submission_id=sub.pk, score=Decimal("8"))
    assert (sub.grade, sub.grade_overridden, sub.grade_override_reason) == ("good", False, "")
    assert GradeChange.objects.filter(submission=sub).count() == 2


def test_an_override_to_the_scores_own_level_is_no_override(work, world):
    sub = submission_grade(
        grader=world.instructor,
        submission_id=work.pk,
        score=Decimal("8"),
        grade="good",
        override=True,
    )
    assert sub.grade == "good" and not sub.grade_overridden


def test_essay_answers_follow_the_same_rule(world):
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    quiz = quiz_with([essay()], training_class=klass)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_answer_save(
        attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer="体会", seq=1
    )
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    answer = attempt.questions.get()
    aq = answer_grade(
        grader=world.instructor, answer_id=answer.pk, score=Decimal("8"), grade="fail"
    )
    assert aq.grade == "good" and not aq.grade_overridden
    with pytest.raises(GradeOverrideReasonRequired):
        answer_grade(
            grader=world.instructor,
            answer_id=answer.pk,
            score=Decimal("8"),
            grade="fail",
            override=True,
        )
    aq = answer_grade(
        grader=world.instructor,
        answer_id=answer.pk,
        score=Decimal("8"),
        grade="fail",
        override=True,
        override_reason="答非所问",
    )
    assert (aq.grade, aq.grade_overridden, aq.grade_override_reason) == ("fail", True, "答非所问")
    assert GradeChange.objects.filter(attempt_question=aq, grade_overridden=True).count() == 1


def test_grading_form_derives_the_level_and_shows_the_override_to_staff(work, world, client):
    client.force_login(world.instructor)
    url = reverse("assessments_admin:grade_submission", args=[work.pk])
    page = client.get(url).content.decode()
    assert 'data-full="10"' in page and 'data-excellent="90.00"' in page
    assert "grade_level.js" in page and "得分（满分 10）" in page
    response = client.post(url, {"score": "8", "grade": "fail", "comment": ""})
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.grade == "good"
    response = client.post(url, {"score": "8", "grade": "fail", "override": "on"})
    assert response.status_code == 200 and "请填写理由" in response.content.decode()
    client.post(url, {"score": "8", "grade": "fail", "override": "on", "override_reason": "抄袭"})
    work.refresh_from_db()
    assert (work.grade, work.grade_override_reason) == ("fail", "抄袭")
    page = client.get(url).content.decode()
    assert "评阅人调整等级：抄袭" in page  # beside the current grade and in the history
    book = client.get(
        reverse("assessments_admin:gradebook_class", args=[work.assignment.training_class_id])
    ).content.decode()
    assert "不合格 8 / 10" in book and "评阅人调整等级" in book
