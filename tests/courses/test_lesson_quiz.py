"""A lesson with a quiz completes when its study time is reached and its quiz is passed."""

from courses.models import CourseProgress, LessonPage, LessonProgress
from ledger.models import CreditEntry
from tests.assessments.factories import quiz_with, single, true_false
from tests.assessments.test_attempts import _answer_all_correct
from tests.courses.factories import lessons_of
from tests.courses.test_study_clock import at, beat, open_view


def _put_quiz_in(lesson, quiz):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body.append(("quiz", {"quiz": quiz, "heading": ""}))
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def _read_for(trainee, course, lesson, seconds, *, start=0):
    view = open_view(trainee, course, lesson, opened=at(start))
    for seq, t in enumerate(range(start + 15, start + seconds + 1, 15), start=1):
        beat(trainee, view, seq, t)


def _take_quiz(trainee, quiz, *, correct: bool, capture):
    from assessments.services.attempts import attempt_start, attempt_submit

    attempt = attempt_start(quiz=quiz, trainee=trainee)
    if correct:
        _answer_all_correct(attempt, trainee)
    with capture(execute=True):
        return attempt_submit(attempt_id=attempt.pk, trainee=trainee)


def test_reading_time_alone_does_not_complete_a_lesson_with_a_quiz(
    world, course, django_capture_on_commit_callbacks
):
    first = lessons_of(course)[0]
    quiz = quiz_with([single(), true_false()])
    lesson = _put_quiz_in(first, quiz)
    _read_for(world.trainee_a, course, lesson, 5 * 60 + 15)
    progress = LessonProgress.objects.get(trainee=world.trainee_a, lesson=lesson)
    assert progress.seconds_studied >= 5 * 60
    assert progress.completed_at is None

    _take_quiz(world.trainee_a, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    progress.refresh_from_db()
    assert progress.completed_at is not None


def test_a_failed_quiz_keeps_the_lesson_open(world, course, django_capture_on_commit_callbacks):
    lesson = _put_quiz_in(lessons_of(course)[0], quiz_with([single(), true_false()]))
    quiz = lesson.body[-1].value["quiz"]
    _read_for(world.trainee_a, course, lesson, 5 * 60 + 15)
    attempt = _take_quiz(
        world.trainee_a, quiz, correct=False, capture=django_capture_on_commit_callbacks
    )
    assert attempt.passed is False
    progress = LessonProgress.objects.get(trainee=world.trainee_a, lesson=lesson)
    assert progress.completed_at is None


def test_passing_the_last_lessons_quiz_completes_the_course_and_posts_hours(
    world, course, django_capture_on_commit_callbacks
):
    lessons = lessons_of(course)
    quiz = quiz_with([single()])
    last = _put_quiz_in(lessons[-1], quiz)
    for n, lesson in enumerate([*lessons[:-1], last]):
        _read_for(world.trainee_a, course, lesson, 5 * 60 + 15, start=n * 400)
    done = LessonProgress.objects.filter(trainee=world.trainee_a, completed_at__isnull=False)
    assert set(done.values_list("lesson_id", flat=True)) == {x.pk for x in lessons[:-1]}
    assert CourseProgress.objects.get(trainee=world.trainee_a, course=course).completed_at is None

    _take_quiz(world.trainee_a, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    progress = CourseProgress.objects.get(trainee=world.trainee_a, course=course)
    assert progress.completed_at is not None
    assert CreditEntry.objects.filter(
        person=world.trainee_a, source_key=f"course:{course.pk}"
    ).exists()
