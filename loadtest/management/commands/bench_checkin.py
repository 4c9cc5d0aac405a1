"""Load test: N trainees check in to one session at once, some scanning twice.

In process (default) every scan goes through the full Django stack (middleware, URL
resolver, view, service, template) with the test Client, one client per trainee, from a
thread pool. With `--url` it drives a running server over HTTP instead, each trainee a
browser of its own run by Locust (loadtest.drive; it must share
this database and SECRET_KEY: trainees are logged in by creating their sessions here,
or through the login form with `--http-login`, and codes are signed here exactly as the
display page signs them).

Two ways to send the scans:
- open arrivals (default, `--within S`, 5 s unless given): each trainee arrives at a
  random moment (seeded) within S seconds and scans, as people walking into the hall do;
  every `--repeat-every`th scans again a second later. Latency is measured from the
  moment the scan was due, so a client or server that falls behind shows in the figures
  (no coordinated omission). 300 trainees within 5 s is 72 scans a second with the
  repeats, a door far busier than any real one.
- closed loop (`--concurrency N`): N scanners send back to back, each waiting for its
  answer before the next scan. It measures the server at saturation: latency there is
  mostly queueing, roughly N / throughput, whatever the server does.

Counts in the last line come from the database afterwards, not from the responses:
ok = trainees with a checked-in record, duplicates = extra records for any trainee,
lost = trainees who scanned but have no record.

    python manage.py bench_checkin --trainees 300
    python manage.py bench_checkin --trainees 300 --url http://127.0.0.1:8010
    python manage.py bench_checkin --trainees 300 --url http://127.0.0.1:8010 --concurrency 16
"""

import datetime
import random
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceRecord
from attendance.tokens import token_make
from loadtest.bench import logged_in_session_key, threads_map
from people.models import OrgUnit, User
from people.roles import Role
from training.models import ClassSession, Enrolment, TrainingClass

BENCH_CLASS_CODE = "bench-checkin"
# "300 trainees check in within a few seconds": the arrivals of the default run.
DEFAULT_WITHIN = 5.0
BENCH_PASSWORD = "Bench-checkin-2026"  # noqa: S105 - throwaway accounts of the benchmark


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


class Command(BaseCommand):
    help = "Check N trainees in to one session concurrently and report latency and integrity."

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=300)
        parser.add_argument(
            "--within",
            type=float,
            default=None,
            help=f"open arrivals (the default, within {DEFAULT_WITHIN:g} s): trainees arrive "
            "at random within this many seconds",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=None,
            help="closed loop instead: this many scanners send back to back",
        )
        parser.add_argument("--seed", type=int, default=2026, help="seed of the arrival times")
        parser.add_argument("--repeat-every", type=int, default=5, help="every Nth scans twice")
        parser.add_argument("--url", default="", help="base URL of a running server")
        parser.add_argument(
            "--http-login", action="store_true", help="with --url: log in through the form"
        )

    def handle(
        self, *args, trainees, concurrency, within, seed, repeat_every, url, http_login, **options
    ):
        if within is not None and concurrency is not None:
            raise CommandError("Choose --within (open arrivals) or --concurrency (closed loop).")
        if concurrency is None:
            within = DEFAULT_WITHIN if within is None else within
        self._driver = None
        people = self._trainees(trainees)
        session = self._session(people)
        jobs = [(p, 1 + (i % repeat_every == 0)) for i, p in enumerate(people)]
        self.stdout.write(
            f"session {session.pk}: {len(people)} trainees, "
            f"{sum(n for _p, n in jobs)} scans, "
            + (f"arriving within {within:g} s" if within else f"concurrency {concurrency}")
            + f", {'http ' + url if url else 'in process'}"
        )
        if url:
            send = self._http_sender(url.rstrip("/"), session, jobs, http_login)
        else:
            send = self._in_process_sender(session, jobs)
        if within:
            # In process every busy thread holds a database connection: stay well under
            # PostgreSQL's default max_connections (100). Over HTTP the server does.
            threads = len(jobs) if url else min(len(jobs), 40)
            latencies, failures = self._open_arrivals(send, jobs, within, seed, threads)
        else:
            latencies, failures = self._closed_loop(send, jobs, concurrency)
        wall = self._wall
        records = AttendanceRecord.objects.filter(session=session)
        ok = records.filter(checked_in_at__isnull=False).values("trainee").distinct().count()
        duplicates = sum(
            row["n"] - 1
            for row in records.values("trainee").annotate(n=Count("pk")).filter(n__gt=1)
        )
        have = set(records.values_list("trainee_id", flat=True))
        lost = sum(1 for p in people if p.pk not in have)
        self.stdout.write(
            f"{len(latencies)} scans in {wall:.2f} s ({len(latencies) / wall:.0f}/s), "
            f"non-200 responses {failures}, database {connection.vendor}"
        )
        self.stdout.write(
            f"checkin: {len(people)} trainees, ok {ok}, duplicates {duplicates}, lost {lost}, "
            f"p50 {_percentile(latencies, 50):.0f} ms, p95 {_percentile(latencies, 95):.0f} ms"
        )

    # -- setup ---------------------------------------------------------------------------

    def _trainees(self, n: int) -> list[User]:
        unit = OrgUnit.objects.filter(code="BENCH0").first() or OrgUnit.add_root(
            code="BENCH0", name="基准测试单位", level=OrgUnit.Level.PROVINCE
        )
        existing = {u.username for u in User.objects.filter(username__startswith="bench-")}
        password = make_password(BENCH_PASSWORD)  # one hash for all: hashing 300 is slow
        new = [
            User(
                username=f"bench-{i:04d}",
                full_name=f"压测学员{i:04d}",
                org_unit=unit,
                password=password,
            )
            for i in range(1, n + 1)
            if f"bench-{i:04d}" not in existing
        ]
        User.objects.bulk_create(new)
        people = list(
            User.objects.filter(username__in=[f"bench-{i:04d}" for i in range(1, n + 1)]).order_by(
                "username"
            )
        )
        group = Group.objects.get(name=str(Role.TRAINEE))
        group.user_set.add(*people)
        return people

    def _session(self, people) -> ClassSession:
        unit = people[0].org_unit
        today = timezone.localdate()
        klass, _ = TrainingClass.objects.get_or_create(
            code=BENCH_CLASS_CODE,
            defaults={
                "name": "签到压力测试班",
                "organising_unit": unit,
                "provider": "bench",
                "start_date": today,
                "end_date": today,
                "credit_hours": Decimal("3.0"),
                "status": TrainingClass.Status.RUNNING,
            },
        )
        Enrolment.objects.bulk_create(
            [Enrolment(training_class=klass, trainee=p) for p in people], ignore_conflicts=True
        )
        now = timezone.now()
        # A fresh session each run, started a minute ago: every first scan is 出勤.
        return ClassSession.objects.create(
            training_class=klass,
            date=today,
            half_day=ClassSession.HalfDay.MORNING,
            starts_at=now - datetime.timedelta(minutes=1),
            ends_at=now + datetime.timedelta(hours=3),
            title=f"压测 {timezone.localtime(now):%H:%M:%S}",
            credit_hours=Decimal("3.0"),
        )

    # -- in process ----------------------------------------------------------------------

    def _in_process_sender(self, session, jobs):
        """send(person) -> status: one scan through the whole Django stack."""
        path = reverse("attendance:checkin", kwargs={"session_pk": session.pk})
        clients = {}
        for person, _n in jobs:
            client = Client()
            client.force_login(person)
            clients[person.pk] = client

        def send(person):
            token = token_make(session_id=session.pk)
            return clients[person.pk].get(path, {"t": token}).status_code

        return send

    # -- over HTTP -----------------------------------------------------------------------

    def _http_sender(self, base, session, jobs, http_login):
        """send(person) -> status: one scan over HTTP from that trainee's own browser
        (a Locust FastHttpSession with its cookie jar), run by Locust users."""
        from loadtest.drive import Driver

        path = reverse("attendance:checkin", kwargs={"session_pk": session.pk})
        try:
            self._driver = Driver(base)
        except ValueError as exc:
            raise CommandError("--url must be an http:// address.") from exc
        if http_login:
            browsers = self._http_logins(jobs)
        else:
            browsers = {
                person.pk: self._driver.session(
                    {settings.SESSION_COOKIE_NAME: logged_in_session_key(person)}
                )
                for person, _n in jobs
            }

        def send(person):
            token = token_make(session_id=session.pk)
            return (
                browsers[person.pk]
                .get(path, params={"t": token}, name="checkin", allow_redirects=False)
                .status_code
            )

        return send

    def _http_logins(self, jobs) -> dict:
        """Browsers of trainees who logged in through the form, as on a phone: the login
        page sets the CSRF cookie, whose value the form post carries."""
        from loadtest.drive import cookie

        login_path = reverse("account_login")
        referer = self._driver.base + login_path

        def login(person):
            http = self._driver.session()
            http.get(login_path, name="login page")
            http.post(
                login_path,
                data={
                    "login": person.username,
                    "password": BENCH_PASSWORD,
                    "csrfmiddlewaretoken": cookie(http, "csrftoken"),
                },
                headers={"Referer": referer, "Origin": self._driver.base},
                name="login",
            )
            return http

        people = [person for person, _n in jobs]
        browsers = self._driver.run(login, people, users=8)
        failed = [b for b in browsers if isinstance(b, Exception)]
        if failed:
            raise CommandError(f"logins failed: {failed[:3]}")
        return {p.pk: b for p, b in zip(people, browsers, strict=True)}

    # -- drivers -------------------------------------------------------------------------

    def _closed_loop(self, send, jobs, concurrency):
        def scanner(person, times):
            out = []
            for _ in range(times):
                t0 = time.perf_counter()
                status = send(person)
                out.append(((time.perf_counter() - t0) * 1000, status))
            return out

        started = time.perf_counter()  # logins and clients are ready: time the scans only
        results = self._in_threads(scanner, jobs, concurrency)
        self._wall = time.perf_counter() - started
        return results

    def _open_arrivals(self, send, jobs, within, seed, threads):
        rng = random.Random(seed)
        arrivals = {person.pk: rng.uniform(0, within) for person, _n in jobs}
        started = time.perf_counter() + 0.2  # let every thread reach its first sleep

        def trainee(person, times):
            out = []
            due = started + arrivals[person.pk]
            for _ in range(times):
                self._sleep_until(due)
                status = send(person)
                done = time.perf_counter()
                out.append(((done - due) * 1000, status))
                due = done + 1.0  # a second look at the screen, a second later
            return out

        results = self._in_threads(trainee, jobs, threads)
        self._wall = time.perf_counter() - started
        return results

    def _sleep_until(self, moment):
        if self._driver is not None:
            from loadtest.drive import sleep_until

            sleep_until(moment)
        else:
            time.sleep(max(0.0, moment - time.perf_counter()))

    def _in_threads(self, run, jobs, workers):
        """run(person, times) for every job on `workers` threads in process, or over HTTP
        on as many Locust users."""
        if self._driver is not None:
            outcomes = self._driver.run(lambda job: run(*job), jobs, users=workers)
            errors = [o for o in outcomes if isinstance(o, Exception)]
            if errors:
                raise errors[0]
        else:
            outcomes = threads_map(lambda job: run(*job), jobs, workers)
        latencies, failures = [], 0
        for results in outcomes:
            for ms, status in results:
                latencies.append(ms)
                failures += status != 200
        return latencies, failures
