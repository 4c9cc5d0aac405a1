"""What the browser journeys (tests/journeys/test_assessments.py) found:

- an attempt that ran out of time while the trainee was away was still listed as in
  progress on "my work";
- the page's own timer submitting at the deadline was recorded as if the trainee had
  tapped 交卷;
- graded work left the grading queue with no way back to it, so re-grading was reachable
  only by typing its URL; the queue's button read 等级 (the noun) instead of 评阅;
- the grading history showed stored codes ("good 85.00") instead of 良好 85;
- with the review hidden, the trainee's choice was painted red as if it were wrong;
- an essay given less than full marks was bordered red like a wrong answer;
- the result badge said "已通过 · 88.9 分": a percentage labelled as points.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, Quiz
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.marking import answer_grade, submission_grade
from assessments.services.written import submission_save
from tests.assessments.factories import AssignmentFactory, essay, quiz_with, single
from tests.training.factories import ClassSessionFactory, class_for_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(world, client):
    quiz = quiz_with(
        [single()],
        training_class=class_for_world(world),
        time_limit_minutes=10,
        review=Quiz.Review.NEVER,
    )
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    client.force_login(world.trainee_a)
    return attempt, client


def _deadline_in(attempt, seconds):
    attempt.deadline = timezone.now() + datetime.timedelta(seconds=seconds)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.deadline)


def test_my_work_submits_an_attempt_whose_time_ran_out(started):
    attempt, client = started
    _deadline_in(attempt, -60)  # past the deadline and its grace period

    page = client.get(reverse("assessments:my_work")).content.decode()

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    assert "进行中" not in page and "未通过" in page


def test_my_work_leaves_an_attempt_with_time_left_open(started):
    attempt, client = started
    _deadline_in(attempt, 60)

    page = client.get(reverse("assessments:my_work")).content.decode()

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS and "作答中" in page


def test_timer_submission_at_the_deadline_is_recorded_as_time_up(started):
    attempt, client = started
    _deadline_in(attempt, -2)  # the page's timer fired; the grace period is still running

    response = client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]), {"timeup": "1"}
    )

    assert response["Location"] == reverse("assessments:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    page = client.get(response["Location"]).content.decode()
    assert "到时自动交卷" in page


def test_time_up_flag_before_the_deadline_is_an_ordinary_submission(started):
    attempt, client = started
    _deadline_in(attempt, 300)  # a forged flag cannot claim the clock ran out

    client.post(reverse("assessments:attempt_submit", args=[attempt.pk]), {"timeup": "1"})

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and not attempt.auto_submitted
    assert attempt.submitted_at < attempt.deadline


@pytest.fixture
def graded(world, client):
    """An essay answer and a reflection of trainee_a, both graded by world.instructor."""
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    quiz = quiz_with([essay()], training_class=klass, title="结业考试")
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_answer_save(
        attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer="心得", seq=1
    )
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    answer = attempt.questions.get()
    answer_grade(grader=world.instructor, answer_id=answer.pk, score=Decimal("6"))
    assignment = AssignmentFactory(training_class=klass, title="学习心得一")
    sub = submission_save(assignment=assignment, trainee=world.trainee_a, text="体会")
    submission_grade(grader=world.instructor, submission_id=sub.pk, grade="good", score=Decimal(85))
    client.force_login(world.instructor)
    return answer, sub, client


def test_grading_queue_lists_recently_graded_work_with_a_regrade_link(graded):
    answer, sub, client = graded
    page = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert "最近评阅" in page and "重新评分" in page
    assert reverse("assessments_admin:grade_answer", args=[answer.pk]) in page
    assert reverse("assessments_admin:grade_submission", args=[sub.pk]) in page
    assert "良好 · 85" in page and "6 / 10" in page


def test_recently_graded_is_scoped_to_the_graders_classes(graded, world, client):
    answer, sub, _client = graded
    client.force_login(world.instructor_other)
    page = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert "最近评阅" not in page
    assert reverse("assessments_admin:grade_submission", args=[sub.pk]) not in page


def test_queue_button_is_the_verb(world, client):
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    assignment = AssignmentFactory(training_class=klass)
    submission_save(assignment=assignment, trainee=world.trainee_a, text="体会")
    client.force_login(world.instructor)
    page = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert ">评阅</a>" in page and ">等级</a>" not in page


def test_grading_history_shows_grades_in_words(graded, world):
    answer, sub, client = graded
    submission_grade(
        grader=world.instructor, submission_id=sub.pk, grade="excellent", score=Decimal(92)
    )
    url = reverse("assessments_admin:grade_submission", args=[sub.pk])
    history = client.get(url).content.decode().split("评分记录", 1)[1]
    assert "良好 85" in history and "优秀 92" in history
    assert "excellent" not in history and "good" not in history


def test_hidden_review_marks_the_choice_without_the_wrong_answer_style(world, client):
    quiz = quiz_with([single()], training_class=class_for_world(world), review=Quiz.Review.NEVER)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    key = attempt.questions.get().option_order[0]
    attempt_answer_save(
        attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer=key, seq=1
    )
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    client.force_login(world.trainee_a)
    url = reverse("assessments:attempt_result", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert "is-chosen" in page and "is-revealed" not in page and "is-key" not in page
    Quiz.objects.filter(pk=quiz.pk).update(review=Quiz.Review.AFTER_SUBMIT)
    page = client.get(url).content.decode()
    assert "qz-review__options is-revealed" in page and "is-key" in page


def _essay_graded(world, client, score):
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    quiz = quiz_with([essay()], training_class=klass, review=Quiz.Review.AFTER_SUBMIT)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_answer_save(
        attempt_id=attempt.pk, trainee=world.trainee_a, position=1, answer="心得", seq=1
    )
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    answer_grade(grader=world.instructor, answer_id=attempt.questions.get().pk, score=score)
    client.force_login(world.trainee_a)
    return client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()


@pytest.mark.parametrize(
    ("score", "style"),
    [(Decimal("6"), "is-partial"), (Decimal("10"), "is-right"), (Decimal("0"), "is-wrong")],
)
def test_an_essay_with_some_marks_is_partial_not_wrong(world, client, score, style):
    page = _essay_graded(world, client, score)
    styles = {s for s in ("is-partial", "is-right", "is-wrong") if f"qz-review {s}" in page}
    assert styles == {style}


def test_result_badge_reads_as_a_percentage(world, client):
    _essay_graded(world, client, Decimal("6"))
    page = client.get(reverse("assessments:my_work")).content.decode()
    assert "得分率 60%" in page and " 分</span>" not in page
