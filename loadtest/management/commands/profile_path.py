"""Where one hot path's milliseconds go, in this process (no HTTP, no client).

    python manage.py profile_path lesson [--requests 300] [--profile 25] [--sql]

Sends --requests requests for one path of the year-end rush (`make capacity`) through
Django's own WSGI handler, with every middleware, as the trainees of `capacity_data` (the
same JSON file, --data), and prints the CPU time a request takes in this process (median
and p90 of `time.process_time`, which other processes on the machine barely move), the
queries a request runs, and with --profile the functions that cost most (cProfile on CPU time, by
their own time and by cumulative time). Paths: floor, heartbeat, answer-save, checkin,
lesson, my-learning, cases, overview.

The CPU a request costs here is what a gunicorn worker pays for it, less the socket and
the HTTP parsing (the floor measures those). PostgreSQL's own CPU is not counted.
"""

import cProfile
import io
import json
import pstats
import statistics
import time

from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

CSRF = "capacityloadtestcsrfsecret000000"  # as loadtest/locustfiles/rush.py
KINDS = [
    "floor",
    "heartbeat",
    "answer-save",
    "checkin",
    "lesson",
    "my-learning",
    "cases",
    "overview",
]


class Command(BaseCommand):
    help = "Profile one hot path of the year-end rush in this process (CPU a request, queries)."

    def add_arguments(self, parser):
        parser.add_argument("path", choices=KINDS)
        parser.add_argument("--requests", type=int, default=300)
        parser.add_argument("--warmup", type=int, default=20)
        parser.add_argument(
            "--profile", type=int, default=0, help="print the N costliest functions"
        )
        parser.add_argument("--sql", action="store_true", help="print the queries of one request")
        parser.add_argument("--data", default="var/prod-local/capacity.json")

    def handle(self, *args, path, requests, warmup, profile, sql, data, **options):
        try:
            self.data = json.loads(open(data).read())  # noqa: SIM115
        except FileNotFoundError as exc:
            raise CommandError(f"{data}: run `manage.py capacity_data` first") from exc
        self.turn = 0
        self.seqs = {}
        self.t0 = time.time()
        handler = WSGIHandler()
        for _ in range(warmup):
            self._call(handler, path)
        with CaptureQueriesContext(connection) as captured:
            self._call(handler, path)
        queries = len(captured.captured_queries)
        if sql:
            for q in captured.captured_queries:
                self.stdout.write(f"  {q['time']} {q['sql'][:300]}")
        profiler = cProfile.Profile(time.process_time) if profile else None
        cpu = []
        for _ in range(requests):
            reset_queries()
            start = time.process_time()
            if profiler:
                profiler.enable()
            self._call(handler, path)
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - start) * 1000)
        cpu.sort()
        self.stdout.write(
            f"profile {path}: {requests} requests, CPU a request p50 "
            f"{statistics.median(cpu):.2f} ms, p90 {cpu[int(len(cpu) * 0.9)]:.2f} ms, "
            f"{queries} queries"
        )
        if profiler:
            for key in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(profile)
                self.stdout.write(out.getvalue())

    def _trainee(self, pool):
        self.turn += 1
        return pool[self.turn % len(pool)]

    def _seq(self, key, *, ms=False):
        now = int(time.time() * 1000) if ms else int((time.time() - self.t0) * 100) + 1
        value = max(now, self.seqs.get(key, 0) + 1)
        self.seqs[key] = value
        return value

    def _call(self, handler, kind):
        paths = self.data["paths"]
        trainees = self.data["trainees"]
        method, query, body, content_type = "GET", "", b"", ""
        if kind == "overview":
            cookie = f"sessionid={self.data['organiser']}"
        else:
            trainee = self._trainee(
                [t for t in trainees if t["answer"]] if kind == "answer-save" else trainees
            )
            cookie = f"sessionid={trainee['session']}; csrftoken={CSRF}"
        if kind == "heartbeat":
            method, path = "POST", paths["heartbeat"]
            content_type = "application/x-www-form-urlencoded"
            body = f"token={trainee['study']}&seq={self._seq(trainee['study'])}".encode()
        elif kind == "answer-save":
            method, path, content_type = "POST", trainee["answer"], "application/json"
            position = self.turn % 10 + 1
            body = json.dumps(
                {
                    "position": position,
                    "answer": "组团式",
                    "seq": self._seq((path, position), ms=True),
                }
            ).encode()
        elif kind == "checkin":
            from attendance.tokens import token_make

            path = paths["checkin"]
            query = f"t={token_make(session_id=self.data['session_id'])}"
        else:
            path = paths[kind.replace("-", "_")]
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8010",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "HTTP_X_CSRFTOKEN": CSRF,
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        }
        status = []
        chunks = handler(environ, lambda s, h, *a: status.append(s))
        b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        if not status or not status[0].startswith(("200", "302")):
            raise CommandError(f"{kind}: {status[0] if status else 'no status'} for {path}")
