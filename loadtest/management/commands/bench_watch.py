"""Simulated players watch a 10-minute lecture; the watch-time rules hold under load.

Each viewer is a player that beats every 15 s through the video, as lectures/player.js
does, against the watch service on the configured database (PostgreSQL: its row locks are
what keeps two tabs from doubling the time). The lecture's time is simulated — each beat
carries the moment it would arrive — so a 10-minute lecture runs in seconds; the wall
time of each beat (the locked read, the rule, the write) is what is measured.

Viewers, by index: most play at 1×; every 7th tries to skip ahead to the middle once and is
sent back; every 5th plays at 2× (the cap); every 6th opens a second tab a minute in, whose
beats run in a thread of their own beside the first tab's.

    watch: 300 viewers, credited p50 600 s of 600 s, skips refused 43, heartbeat p95 9 ms, lost 0

"lost" counts beats that failed unexpectedly, plus viewers whose stored total differs
from the sum of what their beats were told was credited (a lost update).
"""

import datetime
import random
import statistics
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from loadtest.bench import threads_map

DURATION = 600.0
INTERVAL = 15.0


class Command(BaseCommand):
    help = "Drive simulated players through a 10-minute lecture and report credited watch time."

    def add_arguments(self, parser):
        parser.add_argument("--viewers", type=int, default=300)
        parser.add_argument("--workers", type=int, default=8)
        parser.add_argument("--seed", type=int, default=20)
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Run on SQLite (no row locks: a smoke run)."
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the bench's users and lecture."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError("bench_watch runs on PostgreSQL (set DJANGO_DATABASE_URL).")
        from lectures.models import Lecture, LectureWatch

        rng = random.Random(options["seed"])
        count = options["viewers"]
        run = uuid.uuid4().hex[:8]
        User = get_user_model()
        users = User.objects.bulk_create(
            [
                User(username=f"bench-watch-{run}-{i}", full_name=f"观看{i}", phone=None)
                for i in range(count)
            ]
        )
        lecture = Lecture.objects.create(
            title=f"bench_watch {run}",
            source=f"lectures/sources/bench-{run}.mp4",
            status=Lecture.Status.READY,
            duration=DURATION,
            renditions=[{"name": "240p", "height": 240, "kbps": 348}],
        )
        try:
            jobs, viewers = self._plan(users, lecture, rng)
            timings: list[float] = []
            outcomes = threads_map(lambda job: job(timings), jobs, options["workers"])
            credited_by_viewer: dict[int, float] = {}
            lost = refused = 0
            for user_id, credited, skips, failures in outcomes:
                credited_by_viewer[user_id] = credited_by_viewer.get(user_id, 0) + credited
                refused += skips
                lost += failures
            stored = dict(
                LectureWatch.objects.filter(lecture=lecture).values_list(
                    "trainee_id", "seconds_credited"
                )
            )
            for user_id, total in credited_by_viewer.items():
                if abs(stored.get(user_id, 0) - total) > 0.05:
                    lost += 1
            credited = sorted(stored.get(u.pk, 0) for u in viewers)
            p50 = statistics.median(credited)
            p95 = statistics.quantiles(timings, n=20)[18] * 1000 if len(timings) > 1 else 0
            self.stdout.write(
                f"watch: {count} viewers, credited p50 {p50:.0f} s of {DURATION:.0f} s, "
                f"skips refused {refused}, heartbeat p95 {p95:.0f} ms, lost {lost}"
            )
            self.results = {
                "credited": credited,
                "refused": refused,
                "lost": lost,
                "beats": len(timings),
                "lecture": lecture.pk,
            }
        finally:
            if not options["keep"]:
                lecture.delete()
                User.objects.filter(pk__in=[u.pk for u in users]).delete()

    # -----------------------------------------------------------------------------------

    def _plan(self, users, lecture, rng):
        jobs = []
        for i, user in enumerate(users):
            speed = 2.0 if i % 5 == 0 else 1.0
            skipper = i % 7 == 3
            two_tabs = i % 6 == 1
            t0 = timezone.now() + datetime.timedelta(seconds=rng.uniform(0, 30))
            jitter = [rng.uniform(0.05, 0.9) for _ in range(200)]
            if two_tabs:
                jobs.append(_Tab(user, lecture, t0, speed, False, jitter, stop_after=None))
                jobs.append(
                    _Tab(user, lecture, t0 + datetime.timedelta(seconds=60), speed, False,
                         jitter[::-1], stop_after=None, second=True)
                )  # fmt: skip
            else:
                jobs.append(_Tab(user, lecture, t0, speed, skipper, jitter, stop_after=None))
        return jobs, users


class _Tab:
    """One player tab: open, press play, beat every 15 s to the end."""

    def __init__(self, user, lecture, t0, speed, skipper, jitter, *, stop_after, second=False):
        self.user, self.lecture, self.t0 = user, lecture, t0
        self.speed, self.skipper, self.jitter = speed, skipper, jitter
        self.second = second

    def __call__(self, timings):
        from lectures import errors, services

        credited = 0.0
        skips = failures = 0
        if self.second:
            # Wait (in real time) until the first tab has begun, as a person opening a
            # second tab a minute in would: the two tabs then beat side by side.
            time.sleep(0.05)
        start = services.watch_start(trainee=self.user, lecture=self.lecture, skip_forbidden=True)
        token, pos = start.token, start.position
        t = self.t0

        def beat(at, seg_start, position, playing=True):
            nonlocal credited, skips, failures
            began = time.perf_counter()
            try:
                result = services.watch_heartbeat(
                    trainee=self.user,
                    lecture_id=self.lecture.pk,
                    token=token,
                    start=seg_start,
                    position=position,
                    playing=playing,
                    now=at,
                )
            except errors.WatchSuperseded:
                timings.append(time.perf_counter() - began)
                return "superseded"
            except Exception:  # noqa: BLE001 - counted as lost, reported in the line
                failures += 1
                return "failed"
            timings.append(time.perf_counter() - began)
            credited += result.credited
            if result.refused:
                skips += 1
                return result.allowed_position
            return None

        if beat(t, pos, pos) == "superseded":
            return (self.user.pk, credited, skips, failures)
        tried_skip = False
        n = 0
        while pos < DURATION:
            n += 1
            t = self.t0 + datetime.timedelta(seconds=INTERVAL * n + self.jitter[n % 200])
            end = min(DURATION, pos + INTERVAL * self.speed)
            if self.skipper and not tried_skip and pos > 60:
                tried_skip = True
                # Flush what was played, then drag the slider to the middle: refused.
                answer = beat(t, pos, end)
                if answer in ("superseded", "failed"):
                    break
                pos = end
                answer = beat(t, DURATION / 2 + 100, DURATION / 2 + 100)
                if isinstance(answer, float):
                    pos = answer
                continue
            answer = beat(t, pos, end)
            if answer in ("superseded", "failed"):
                break
            pos = answer if isinstance(answer, float) else end
        return (self.user.pk, credited, skips, failures)
