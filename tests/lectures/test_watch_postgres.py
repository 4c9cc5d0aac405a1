"""Two tabs beating at the same instant, on a real database with row locks; and the bench."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from lectures import errors, services
from lectures.models import LectureWatch
from tests.lectures.factories import ready_lecture
from tests.lectures.test_watch_rules import at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_beats_from_two_tabs_credit_the_segment_once(world, postgres_only):
    lecture = ready_lecture()
    trainee = world.trainee_a
    token = services.watch_start(trainee=trainee, lecture=lecture, skip_forbidden=True).token
    services.watch_heartbeat(
        trainee=trainee, lecture_id=lecture.pk, token=token, start=0, position=0,
        playing=True, now=at(0),
    )  # fmt: skip
    # A page duplicated with its state (same token): both copies report the same 15 s.
    barrier = threading.Barrier(4)
    results, failures = [], []

    def run():
        try:
            barrier.wait()
            results.append(
                services.watch_heartbeat(
                    trainee=trainee,
                    lecture_id=lecture.pk,
                    token=token,
                    start=0,
                    position=15,
                    playing=True,
                    now=at(15),
                )  # fmt: skip
            )
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(r.credited for r in results) == [0, 0, 0, 15]
    assert LectureWatch.objects.get(trainee=trainee, lecture=lecture).seconds_credited == 15


def test_a_tab_opened_while_another_beats_takes_over_without_doubling(world, postgres_only):
    lecture = ready_lecture()
    trainee = world.trainee_a
    first = services.watch_start(trainee=trainee, lecture=lecture, skip_forbidden=False).token
    services.watch_heartbeat(
        trainee=trainee, lecture_id=lecture.pk, token=first, start=0, position=0,
        playing=True, now=at(0),
    )  # fmt: skip
    barrier = threading.Barrier(2)
    outcome = {}

    def old_tab():
        try:
            barrier.wait()
            outcome["old"] = services.watch_heartbeat(
                trainee=trainee, lecture_id=lecture.pk, token=first, start=0, position=15,
                playing=True, now=at(15),
            ).credited  # fmt: skip
        except errors.WatchSuperseded:
            outcome["old"] = "superseded"
        finally:
            connection.close()

    def new_tab():
        try:
            barrier.wait()
            outcome["new"] = services.watch_start(
                trainee=trainee, lecture=lecture, skip_forbidden=False
            ).token
        finally:
            connection.close()

    threads = [threading.Thread(target=old_tab), threading.Thread(target=new_tab)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Whichever got the lock first, the old tab's 15 s count at most once and the new
    # tab's clock starts afresh: its first beat earns nothing.
    second = services.watch_heartbeat(
        trainee=trainee, lecture_id=lecture.pk, token=outcome["new"], start=15, position=30,
        playing=True, now=at(16),
    )  # fmt: skip
    assert second.credited == 0
    row = LectureWatch.objects.get(trainee=trainee, lecture=lecture)
    assert row.seconds_credited == (15 if outcome["old"] == 15 else 0)


def test_the_bench_credits_whole_lectures_and_loses_nothing(postgres_only):
    from loadtest.management.commands.bench_watch import Command

    out = io.StringIO()
    command = Command(stdout=out)
    call_command(command, viewers=24, workers=4)
    line = out.getvalue().strip()
    assert line.startswith("watch: 24 viewers, credited p50 ")
    assert line.endswith("lost 0")
    results = command.results
    assert results["lost"] == 0
    # Skippers were refused (indexes 3, 10, 17 of 24), and nobody got more than the video.
    assert results["refused"] >= 3
    assert max(results["credited"]) <= 600
    assert sorted(results["credited"])[len(results["credited"]) // 2] >= 590
