"""Study time is what the server saw pass between heartbeats — never what a browser says."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import CourseProgress, LessonProgress, StudyClock, StudyView
from ledger.models import CreditEntry
from tests.courses.factories import lessons_of

T0 = datetime.datetime(2026, 7, 2, 9, 0, tzinfo=datetime.UTC)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def open_view(trainee, course, lesson=None, *, opened=T0):
    lesson = lesson or lessons_of(course)[0]
    view = services.study_view_open(trainee=trainee, lesson=lesson, course=course)
    StudyView.objects.filter(pk=view.pk).update(opened_at=opened)
    view.refresh_from_db()
    return view


def beat(trainee, view, seq, seconds):
    return services.heartbeat_record(trainee=trainee, token=view.token, seq=seq, now=at(seconds))


def lesson_seconds(trainee, lesson):
    return LessonProgress.objects.get(trainee=trainee, lesson=lesson).seconds_studied


def test_credits_the_gaps_between_received_beats(world, course):
    view = open_view(world.trainee_a, course)
    assert beat(world.trainee_a, view, 1, 15).credited == 15  # since the page was served
    assert beat(world.trainee_a, view, 2, 30).credited == 15
    assert beat(world.trainee_a, view, 3, 50).credited == 20
    assert lesson_seconds(world.trainee_a, view.lesson) == 50
    assert CourseProgress.objects.get(trainee=world.trainee_a, course=course).seconds_studied == 50


def test_fractions_of_a_second_carry_to_the_next_beat(world, course):
    """Beats jitter around the interval; what one beat leaves over, the next one gets."""
    view = open_view(world.trainee_a, course)
    credits = [beat(world.trainee_a, view, n, 0.9 * n).credited for n in range(1, 11)]
    assert credits == [0, 1, 1, 1, 1, 1, 1, 1, 1, 1]  # without the carry: all 0
    assert lesson_seconds(world.trainee_a, view.lesson) == 9  # 9 s passed, 9 s credited


def test_a_gap_longer_than_the_cap_is_a_break_not_study(world, course):
    view = open_view(world.trainee_a, course)
    beat(world.trainee_a, view, 1, 15)
    result = beat(world.trainee_a, view, 2, 15 + 61)  # tab hidden for a minute: nothing
    assert result.credited == 0
    assert beat(world.trainee_a, view, 3, 15 + 61 + 15).credited == 15
    assert lesson_seconds(world.trainee_a, view.lesson) == 30


def test_first_beat_after_a_pause_restarts_the_clock_without_credit(world, course):
    view = open_view(world.trainee_a, course)
    beat(world.trainee_a, view, 1, 15)
    resumed = services.heartbeat_record(
        trainee=world.trainee_a, token=view.token, seq=2, resumed=True, now=at(45)
    )
    assert resumed.credited == 0
    assert beat(world.trainee_a, view, 3, 60).credited == 15
    assert lesson_seconds(world.trainee_a, view.lesson) == 30


@override_settings(COURSES_HEARTBEAT_CAP_SECONDS=120)
def test_the_cap_is_a_setting(world, course):
    view = open_view(world.trainee_a, course)
    assert beat(world.trainee_a, view, 1, 100).credited == 100


def test_replayed_beat_adds_nothing(world, course):
    view = open_view(world.trainee_a, course)
    beat(world.trainee_a, view, 1, 15)
    replay = beat(world.trainee_a, view, 1, 30)
    older = beat(world.trainee_a, view, 1, 45)
    assert replay.duplicate and replay.credited == 0
    assert older.duplicate and older.credited == 0
    assert lesson_seconds(world.trainee_a, view.lesson) == 15


def test_two_tabs_share_one_wall_clock(world, course):
    first, second = lessons_of(course)[:2]
    tab_a = open_view(world.trainee_a, course, first)
    tab_b = open_view(world.trainee_a, course, second, opened=at(5))
    # Both tabs beat every 15 s, offset by 5 s, for one minute of wall-clock time.
    beats = sorted(
        [(t, tab_a, n) for n, t in enumerate([15, 30, 45, 60], 1)]
        + [(t, tab_b, n) for n, t in enumerate([20, 35, 50, 65], 1)],
        key=lambda item: item[0],
    )
    total = sum(beat(world.trainee_a, view, seq, t).credited for t, view, seq in beats)
    assert total == 65  # the wall clock from the first page view to the last beat, not 2×
    both = lesson_seconds(world.trainee_a, first) + lesson_seconds(world.trainee_a, second)
    assert both == 65


def test_token_of_another_trainee_is_refused(world, course):
    from tests.courses.factories import enrol

    enrol(world.trainee_b, course)
    view = open_view(world.trainee_a, course)
    services.study_view_open(trainee=world.trainee_b, lesson=view.lesson, course=course)
    with pytest.raises(services.HeartbeatRejected) as error:
        beat(world.trainee_b, view, 1, 15)
    assert error.value.code == "heartbeat_rejected"
    assert not LessonProgress.objects.filter(trainee=world.trainee_b, seconds_studied__gt=0)


def test_forged_token_is_refused(world, course):
    open_view(world.trainee_a, course)
    with pytest.raises(services.HeartbeatRejected):
        services.heartbeat_record(trainee=world.trainee_a, token=uuid.uuid4(), seq=1, now=at(15))


def test_old_page_view_expires(world, course):
    view = open_view(world.trainee_a, course)
    with pytest.raises(services.HeartbeatRejected):
        beat(world.trainee_a, view, 1, 7 * 3600)


def test_lesson_completes_at_its_minimum_time_and_the_course_with_its_last_lesson(world, course):
    lessons = lessons_of(course)
    clock = 0
    for lesson in lessons:
        view = open_view(world.trainee_a, course, lesson, opened=at(clock))
        for seq in range(1, 21):  # 20 beats × 15 s = 5 min
            clock += 15
            result = beat(world.trainee_a, view, seq, clock)
        assert result.lesson_complete
    assert result.course_complete
    progress = CourseProgress.objects.get(trainee=world.trainee_a, course=course)
    assert progress.completed_at is not None and progress.lessons_completed == 3
    # 3 lessons × 5 min = 15 min: the ≤15 min tier.
    assert progress.credit_hours == Decimal("0.25")
    entry = CreditEntry.objects.get(person=world.trainee_a, source_key=f"course:{course.pk}")
    assert entry.channel == CreditEntry.Channel.ONLINE and entry.hours == Decimal("0.25")
    # Further study neither completes again nor posts again.
    clock += 15
    again = beat(world.trainee_a, view, 21, clock)
    assert not again.course_complete
    assert CreditEntry.objects.filter(person=world.trainee_a).count() == 1


def test_one_beat_short_of_the_minimum_is_not_complete(world, course):
    view = open_view(world.trainee_a, course)
    for seq in range(1, 20):
        result = beat(world.trainee_a, view, seq, seq * 15)
    assert result.lesson_seconds == 285 and not result.lesson_complete


@pytest.mark.parametrize(
    "minutes, hours",
    [(10, "0.25"), (15, "0.25"), (16, "0.5"), (29, "0.5"), (30, "1"), (90, "1")],
)
def test_default_online_credit_rule(minutes, hours):
    assert services.online_credit_hours(minutes=minutes) == Decimal(hours)


@override_settings(COURSES_ONLINE_CREDIT_RULE=[(45, "2"), (0, "1")])
def test_online_credit_rule_is_configurable():
    assert services.online_credit_hours(minutes=50) == Decimal("2")
    assert services.online_credit_hours(minutes=20) == Decimal("1")


def test_authors_credit_hours_win_over_the_rule(indexes, world):
    from tests.courses.factories import enrol, make_course

    course = make_course(indexes[0], lessons=1, minutes=1, credit_hours=Decimal("2"))
    enrol(world.trainee_a, course)
    view = open_view(world.trainee_a, course)
    for seq in range(1, 5):
        result = beat(world.trainee_a, view, seq, seq * 15)
    assert result.course_complete
    assert CreditEntry.objects.get(person=world.trainee_a).hours == Decimal("2")


# --- the HTTP endpoint ---------------------------------------------------------------


def post_beat(client, view, seq, **extra):
    return client.post(
        reverse("courses:heartbeat"), {"token": str(view.token), "seq": seq, **extra}
    )


def rewind(trainee, view, seconds):
    """Pretend the last beat (and the page view) happened `seconds` ago."""
    earlier = timezone.now() - datetime.timedelta(seconds=seconds)
    StudyClock.objects.filter(trainee=trainee).update(last_beat_at=earlier)
    StudyView.objects.filter(pk=view.pk).update(opened_at=earlier)


def test_endpoint_ignores_a_duration_sent_by_the_browser(client, world, course):
    client.force_login(world.trainee_a)
    view = open_view(world.trainee_a, course, opened=timezone.now())
    rewind(world.trainee_a, view, 10)
    response = post_beat(client, view, 1, seconds=3600, duration=3600, credited=3600)
    data = response.json()
    assert response.status_code == 200 and data["ok"]
    assert 9 <= data["credited"] <= 12
    assert lesson_seconds(world.trainee_a, view.lesson) == data["credited"]


def test_endpoint_replay_is_idempotent(client, world, course):
    client.force_login(world.trainee_a)
    view = open_view(world.trainee_a, course, opened=timezone.now())
    rewind(world.trainee_a, view, 10)
    first = post_beat(client, view, 1).json()
    rewind(world.trainee_a, view, 10)
    second = post_beat(client, view, 1).json()
    assert second["duplicate"] is True and second["credited"] == 0
    assert lesson_seconds(world.trainee_a, view.lesson) == first["credited"]


def test_endpoint_needs_csrf(world, course):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.trainee_a)
    view = open_view(world.trainee_a, course, opened=timezone.now())
    assert post_beat(client, view, 1).status_code == 403


def test_endpoint_refuses_get_and_anonymous(client, world, course):
    assert client.get(reverse("courses:heartbeat")).status_code in (302, 405)
    client.force_login(world.trainee_a)
    assert client.get(reverse("courses:heartbeat")).status_code == 405


def test_endpoint_refuses_forged_token_and_bad_input(client, world, course):
    client.force_login(world.trainee_a)
    forged = client.post(reverse("courses:heartbeat"), {"token": str(uuid.uuid4()), "seq": 1})
    assert forged.status_code == 403 and forged.json()["code"] == "heartbeat_rejected"
    bad = client.post(reverse("courses:heartbeat"), {"token": "x", "seq": "1"})
    assert bad.status_code == 400
    negative = client.post(reverse("courses:heartbeat"), {"token": str(uuid.uuid4()), "seq": -5})
    assert negative.status_code == 400


@override_settings(COURSES_HEARTBEAT_RATE_PER_MINUTE=3)
def test_endpoint_is_rate_limited_per_trainee(client, world, course):
    client.force_login(world.trainee_a)
    view = open_view(world.trainee_a, course, opened=timezone.now())
    codes = [post_beat(client, view, seq).status_code for seq in range(1, 6)]
    assert codes[:3] == [200, 200, 200]
    limited = post_beat(client, view, 9)
    assert limited.status_code == 429 and limited.json()["code"] == "heartbeat_rate_limited"


def test_a_heartbeat_costs_a_few_queries(client, world, course, django_assert_max_num_queries):
    client.force_login(world.trainee_a)
    view = open_view(world.trainee_a, course, opened=timezone.now())
    post_beat(client, view, 1)  # warm the session
    rewind(world.trainee_a, view, 10)
    # session, user; the clock locked (with the rate limit), the view; the view, the
    # clock, the lesson's and the course's progress written (nothing from the cache);
    # two savepoints of the test's transaction (BEGIN and COMMIT in production).
    with django_assert_max_num_queries(11):
        response = post_beat(client, view, 2)
    assert response.json()["credited"] > 0


@override_settings(COURSES_HEARTBEAT_RATE_PER_MINUTE=3)
def test_the_rate_limit_is_kept_on_the_study_clock_not_in_the_cache(client, world, course):
    """The busiest request of the site makes no cache round trips (in production the cache
    is a database table: eight queries and two commits a beat); the limit holds anyway."""
    from django.core.cache import cache

    client.force_login(world.trainee_a)
    view = open_view(world.trainee_a, course, opened=timezone.now())
    for seq in range(1, 4):
        assert post_beat(client, view, seq).status_code == 200
        cache.clear()
    assert post_beat(client, view, 4).status_code == 429
    assert post_beat(client, view, 1).status_code == 429  # replays count as well
