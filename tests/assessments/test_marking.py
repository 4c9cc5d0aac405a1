from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.errors import GradingOutOfScope, InvalidGrade
from assessments.models import GradeChange, Submission
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.marking import answer_grade, submission_grade
from assessments.services.written import submission_save
from tests.assessments.factories import AssignmentFactory, essay, quiz_with, single
from tests.training.factories import ClassSessionFactory, class_for_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded_setup(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)  # teaches the class
    quiz = quiz_with([single(), essay()], training_class=klass)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    aq = attempt.questions.select_related("version").get(position=1)
    key = next(o["key"] for o in aq.version.data["options"] if o["correct"])
    attempt_answer_save(
        attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer=key, seq=1
    )
    attempt_answer_save(
        attempt_id=attempt.pk, trainee=world.trainee_a, position=2, answer="片区化发展思路", seq=2
    )
    attempt = attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    assignment = AssignmentFactory(training_class=klass)
    sub = submission_save(assignment=assignment, trainee=world.trainee_a, text="心得")
    return world, attempt, attempt.questions.get(position=2), sub


def test_essay_grade_and_regrade_are_audited(graded_setup):
    world, attempt, essay_aq, _sub = graded_setup
    answer_grade(grader=world.instructor, answer_id=essay_aq.pk, score=Decimal("8"), comment="好")
    attempt.refresh_from_db()
    assert attempt.score == Decimal("10.00") and attempt.pending_manual == 0
    assert attempt.passed is True  # 10 / 12
    answer_grade(grader=world.instructor, answer_id=essay_aq.pk, score=None, grade="fail")
    attempt.refresh_from_db()
    assert attempt.score == Decimal("2.00") and attempt.passed is False
    assert attempt.pending_manual == 0  # a re-grade does not count twice
    changes = list(GradeChange.objects.filter(attempt_question=essay_aq).order_by("changed_at"))
    assert [(c.old_score, c.new_score) for c in changes] == [
        (None, Decimal("8.00")),
        (Decimal("8.00"), Decimal("0.00")),
    ]
    assert all(c.changed_by == world.instructor for c in changes)


def test_essay_score_above_points_refused(graded_setup):
    world, attempt, essay_aq, _sub = graded_setup
    with pytest.raises(InvalidGrade):
        answer_grade(grader=world.instructor, answer_id=essay_aq.pk, score=Decimal("11"))
    essay_aq.refresh_from_db()
    assert essay_aq.needs_grading and not GradeChange.objects.exists()


def test_submission_grade_regrade_audited_and_idempotent(graded_setup):
    world, _attempt, _aq, sub = graded_setup
    submission_grade(grader=world.instructor, submission_id=sub.pk, grade="good", comment="不错")
    submission_grade(grader=world.instructor, submission_id=sub.pk, grade="good", comment="不错")
    submission_grade(
        grader=world.organiser, submission_id=sub.pk, grade="excellent", score=Decimal("95")
    )
    sub.refresh_from_db()
    assert sub.status == "graded" and sub.grade == "excellent" and sub.score == Decimal("95")
    changes = list(GradeChange.objects.filter(submission=sub).order_by("changed_at"))
    assert [(c.old_grade, c.new_grade, c.changed_by) for c in changes] == [
        ("", "good", world.instructor),
        ("good", "excellent", world.organiser),
    ]


def test_outsiders_cannot_grade(graded_setup):
    world, _attempt, essay_aq, sub = graded_setup
    for outsider in (world.instructor_other, world.organiser_other, world.trainee_a, world.adviser):
        with pytest.raises(GradingOutOfScope):
            answer_grade(grader=outsider, answer_id=essay_aq.pk, score=Decimal("1"))
        with pytest.raises(GradingOutOfScope):
            submission_grade(grader=outsider, submission_id=sub.pk, grade="pass")
    assert not GradeChange.objects.exists()


def test_grading_queue_and_forms_in_admin(graded_setup, client):
    world, _attempt, essay_aq, sub = graded_setup
    client.force_login(world.instructor)
    queue = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert "学员甲" in queue and sub.assignment.title in queue
    response = client.post(
        reverse("assessments_admin:grade_answer", args=[essay_aq.pk]),
        {"score": "7", "grade": "", "comment": "结合实际"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("assessments_admin:grade_submission", args=[sub.pk]),
        {"grade": "pass", "score": "", "comment": ""},
    )
    assert response.status_code == 302
    assert Submission.objects.get(pk=sub.pk).grade == "pass"
    client.force_login(world.instructor_other)
    assert (
        client.get(reverse("assessments_admin:grade_answer", args=[essay_aq.pk])).status_code == 404
    )
    assert "学员甲" not in client.get(reverse("assessments_admin:grading_queue")).content.decode()
