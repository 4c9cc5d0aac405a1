"""Watch time is what the server saw played at an allowed speed — never what a player says."""

import datetime

import pytest

from lectures import errors, services
from lectures.models import LectureWatch
from tests.lectures.factories import ready_lecture

T0 = datetime.datetime(2026, 7, 2, 9, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


class Player:
    """One tab: opens the lecture, then reports segments as the browser would."""

    def __init__(self, trainee, lecture, *, skip_forbidden=True):
        self.trainee, self.lecture = trainee, lecture
        self.token = services.watch_start(
            trainee=trainee, lecture=lecture, skip_forbidden=skip_forbidden
        ).token

    def beat(self, t, start, position, playing=True):
        return services.watch_heartbeat(
            trainee=self.trainee,
            lecture_id=self.lecture.pk,
            token=self.token,
            start=start,
            position=position,
            playing=playing,
            now=at(t),
        )


def watched(trainee, lecture):
    return LectureWatch.objects.get(trainee=trainee, lecture=lecture)


def test_playing_at_normal_speed_credits_what_was_played(world):
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture)
    assert tab.beat(0, 0, 0).credited == 0  # play pressed: the clock starts
    assert tab.beat(15, 0, 15).credited == 15
    assert tab.beat(30, 15, 30).credited == 15
    assert watched(world.trainee_a, lecture).seconds_credited == 30
    assert watched(world.trainee_a, lecture).furthest == 30


def test_a_skip_ahead_is_refused_and_the_player_is_sent_back(world):
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture)
    tab.beat(0, 0, 0)
    tab.beat(15, 0, 15)
    result = tab.beat(16, 300, 300)  # dragged the slider to 5:00
    assert result.refused and result.allowed_position == 15
    assert result.credited == 0
    row = watched(world.trainee_a, lecture)
    assert row.position == 15 and row.skips_refused == 1
    # Nor can a segment that runs on past what the time allows smuggle the skip in.
    assert tab.beat(30, 15, 500).refused


def test_skipping_is_allowed_where_the_lesson_allows_it(world):
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture, skip_forbidden=False)
    tab.beat(0, 0, 0)
    assert not tab.beat(1, 300, 300).refused
    assert tab.beat(16, 300, 315).credited == 15


def test_skipping_is_allowed_once_the_video_was_watched_to_the_end(world):
    lecture = ready_lecture(duration=30)
    tab = Player(world.trainee_a, lecture)
    tab.beat(0, 0, 0)
    tab.beat(15, 0, 15)
    tab.beat(30, 15, 30)
    assert watched(world.trainee_a, lecture).watched_once_at is not None
    assert not tab.beat(31, 2, 2).refused
    assert not tab.beat(32, 25, 25).refused


def test_faster_than_the_cap_is_credited_only_at_the_cap(world, settings):
    settings.LECTURES_MAX_PLAYBACK_RATE = 2
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture, skip_forbidden=False)
    tab.beat(0, 0, 0)
    # A player forced to 4×: 60 s of video in 15 s of wall clock.
    credits = [tab.beat(15 * n, 60 * (n - 1), 60 * n).credited for n in range(1, 5)]
    assert credits == [30, 30, 30, 30]
    assert watched(world.trainee_a, lecture).seconds_credited == 120  # 60 s × 2, not 240


def test_at_the_cap_nothing_is_lost(world, settings):
    settings.LECTURES_MAX_PLAYBACK_RATE = 2
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture)
    tab.beat(0, 0, 0)
    # 2×, beats sent every 15 s and arriving 0.1–0.9 s later: a late beat, then a quick one.
    times = [15.2, 30.9, 45.1, 60.5]
    credits = [tab.beat(t, 30 * n, 30 * (n + 1)).credited for n, t in enumerate(times)]
    assert sum(credits) == 120
    assert not any(tab.beat(75, 120, 150).refused for _ in [0])


def test_a_paused_player_earns_nothing(world):
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture)
    tab.beat(0, 0, 0)
    tab.beat(10, 0, 10, playing=False)  # paused at 0:10
    # Ten minutes later it claims to have played on: the clock stopped at the pause.
    assert tab.beat(610, 10, 600).credited == 0
    assert watched(world.trainee_a, lecture).seconds_credited == 10


def test_a_hidden_tab_gap_longer_than_the_cap_earns_nothing(world):
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture, skip_forbidden=False)
    tab.beat(0, 0, 0)
    assert tab.beat(120, 0, 120).credited == 0  # no beat for two minutes


def test_two_tabs_do_not_double_the_time(world):
    lecture = ready_lecture()
    first = Player(world.trainee_a, lecture, skip_forbidden=False)
    first.beat(0, 0, 0)
    second = Player(
        world.trainee_a, lecture, skip_forbidden=False
    )  # opened later: it holds the video
    second.beat(1, 200, 200)
    with pytest.raises(errors.WatchSuperseded):
        first.beat(15, 0, 15)
    assert second.beat(16, 200, 215).credited == 15
    assert watched(world.trainee_a, lecture).seconds_credited == 15


def test_watching_a_part_again_adds_nothing(world):
    lecture = ready_lecture()
    tab = Player(world.trainee_a, lecture)
    tab.beat(0, 0, 0)
    tab.beat(15, 0, 15)
    tab.beat(16, 0, 0)  # back to the start
    assert tab.beat(31, 0, 15).credited == 0
    assert tab.beat(46, 15, 30).credited == 15


def test_the_resume_position_is_served_to_any_device(world):
    lecture = ready_lecture()
    phone = Player(world.trainee_a, lecture)
    phone.beat(0, 0, 0)
    phone.beat(15, 0, 15)
    phone.beat(20, 15, 20, playing=False)
    desktop = services.watch_start(trainee=world.trainee_a, lecture=lecture, skip_forbidden=True)
    assert desktop.position == 20 and desktop.seconds_credited == 20


def test_an_unknown_token_is_rejected(world):
    import uuid

    lecture = ready_lecture()
    with pytest.raises(errors.WatchRejected):
        services.watch_heartbeat(
            trainee=world.trainee_a, lecture_id=lecture.pk, token=uuid.uuid4(),
            start=0, position=0, playing=True, now=T0,
        )  # fmt: skip
