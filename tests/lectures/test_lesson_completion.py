"""A lesson with a video lecture completes only once enough of the video was watched."""

import pytest

from courses import services as courses
from courses.models import CourseProgress, LessonProgress
from lectures import services
from ledger.models import CreditEntry
from tests.courses.factories import enrol, lessons_of, make_course, site_indexes
from tests.courses.test_study_clock import at, open_view
from tests.lectures.factories import ready_lecture

pytestmark = pytest.mark.django_db


def place(lesson, lecture, percent):
    lesson.body = [
        {"type": "lecture", "value": {"lecture": lecture.pk, "required_percent": percent,
                                      "skip_forbidden": True, "caption": ""}},
    ]  # fmt: skip
    lesson.save_revision().publish()


def watch(trainee, lecture, seconds):
    token = services.watch_start(trainee=trainee, lecture=lecture, skip_forbidden=True).token
    services.watch_heartbeat(
        trainee=trainee, lecture_id=lecture.pk, token=token, start=0, position=0,
        playing=True, now=at(0),
    )  # fmt: skip
    for n in range(1, int(seconds // 15) + 1):
        services.watch_heartbeat(
            trainee=trainee, lecture_id=lecture.pk, token=token, start=15 * (n - 1),
            position=15 * n, playing=True, now=at(15 * n),
        )  # fmt: skip


def test_the_lesson_waits_for_the_video_then_the_course_posts_its_hours(world):
    index, _cases = site_indexes()
    course = make_course(index, lessons=1, minutes=1)
    enrol(world.trainee_a, course)
    lesson = lessons_of(course)[0]
    lecture = ready_lecture(duration=120)
    place(lesson, lecture, 90)
    view = open_view(world.trainee_a, course, lesson)
    for seq in range(1, 6):  # 75 s of reading: more than the minute the lesson asks
        courses.heartbeat_record(
            trainee=world.trainee_a, token=view.token, seq=seq, now=at(15 * seq)
        )
    progress = LessonProgress.objects.get(trainee=world.trainee_a, lesson=lesson)
    assert progress.seconds_studied >= 60 and progress.completed_at is None

    watch(world.trainee_a, lecture, 90)  # 75 %: not yet
    courses.heartbeat_record(trainee=world.trainee_a, token=view.token, seq=6, now=at(90))
    progress.refresh_from_db()
    assert progress.completed_at is None

    watch(world.trainee_a, lecture, 120)  # the rest: 100 %
    result = courses.heartbeat_record(trainee=world.trainee_a, token=view.token, seq=7, now=at(105))
    assert result.lesson_complete and result.course_complete
    assert CourseProgress.objects.get(trainee=world.trainee_a, course=course).completed_at
    assert CreditEntry.objects.filter(
        person=world.trainee_a, source_key=f"course:{course.pk}"
    ).exists()


def test_a_lecture_placed_with_no_share_required_does_not_hold_the_lesson(world):
    index, _cases = site_indexes()
    course = make_course(index, lessons=1, minutes=1)
    lesson = lessons_of(course)[0]
    place(lesson, ready_lecture(), 0)
    assert courses.lesson_lectures_watched(trainee=world.trainee_a, lesson=lesson)
