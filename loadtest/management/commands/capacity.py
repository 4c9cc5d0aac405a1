"""Capacity of the production profile in the year-end rush (`make capacity`).

    python manage.py capacity --url http://127.0.0.1:8010 [--seconds 15] [--users 32]
        [--phases floor,heartbeat,answer-save,checkin,lesson,my-learning,rush]

Seeds the profile's data (capacity_data), then runs Locust headless
(loadtest/locustfiles/rush.py, `--processes` workers of FastHttpUser) phase by phase
against the same gunicorn, in one run:

1. the floor: /healthz back to back (no database: the stack's own cost);
2. each hot path alone, saturating the server with a closed loop of --users users:
   heartbeat, answer-save, check-in, lesson page, 我的学习;
3. the mixed rush: --rush trainees reading with a heartbeat every 15 s and now and then
   saving answers, opening 我的学习, the case library or a lesson, checking in, and
   organisers opening the overview.

Each phase prints its throughput, p95, failures, and the CPU the Locust processes and the
gunicorn workers used (in cores): the client must stay well below the server for the
figures to be the server's. The last line sums it up:

    capacity: floor F/s, heartbeat H/s p95 h ms, answer-save A/s p95 a ms, checkin C/s
    p95 c ms, lesson L/s p95 l ms, my-learning M/s, errors 0

(on one line, when every phase ran). errors counts every failed request of every phase.

The rush also prints the load it offers (what its users ask for per second, whatever the
server does), the server's CPU over the phase's own seconds (Locust's start-up left
out), and what the gunicorn workers and their PostgreSQL backends were doing, sampled
twice a second: workers running on a CPU, backends running a query or waiting (on a
lock, on I/O: `wait_event`), backends idle in a transaction. Together they say whether
requests wait on the CPU, on PostgreSQL, or for a free worker.
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfiles" / "rush.py"
PHASES = [
    ("floor", "FloorUser"),
    ("heartbeat", "HeartbeatUser"),
    ("answer-save", "AnswerUser"),
    ("checkin", "CheckinUser"),
    ("lesson", "LessonUser"),
    ("my-learning", "MyLearningUser"),
]
PHASE_NAMES = [name for name, _ in PHASES] + ["rush"]
# What RushTrainee does each 15 s (loadtest/locustfiles/rush.py): a heartbeat, then with
# these chances one more request (the answer only for a trainee with an open attempt).
RUSH_PACE, RUSH_ANSWER, RUSH_OTHER = 15, 0.25, 0.10 + 0.07 + 0.05 + 0.03
ORGANISER_PACE = 10


def _cpu_seconds(processes) -> dict[int, float]:
    out = {}
    for p in processes:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except Exception:  # gone meanwhile: its last sample stands
            continue
    return out


def _gunicorn(root: str):
    """This checkout's gunicorn master (another checkout's profile may be running)."""
    import psutil

    for p in psutil.process_iter(["cmdline"]):
        try:
            if "gunicorn" in " ".join(p.info["cmdline"] or ()) and p.cwd() == root:
                parent = p.parent()
                if parent is None or "gunicorn" not in " ".join(parent.cmdline()):
                    return p
        except Exception:
            continue
    return None


def _tree(process) -> list:
    """A process and its children now (gunicorn recycles its workers: look each time)."""
    if process is None:
        return []
    try:
        return [process, *process.children(recursive=True)]
    except Exception:
        return []


class Command(BaseCommand):
    help = "Measure the floor and each hot path of the year-end rush with Locust, headless."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=os.environ.get("DJANGO_BASE_URL", ""))
        parser.add_argument("--seconds", type=int, default=15, help="length of each phase")
        parser.add_argument("--users", type=int, default=32, help="closed-loop users a phase")
        parser.add_argument("--rush", type=int, default=400, help="trainees of the mixed rush")
        parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--trainees", type=int, default=2000)
        parser.add_argument("--data", default="var/prod-local/capacity.json")
        parser.add_argument("--skip-seed", action="store_true")
        parser.add_argument(
            "--phases",
            default=",".join(PHASE_NAMES),
            help=f"comma-separated, of {','.join(PHASE_NAMES)} (default: all)",
        )

    def handle(self, *args, url, seconds, users, rush, processes, trainees, data, **options):
        phases = [p.strip() for p in options["phases"].split(",") if p.strip()]
        unknown = set(phases) - set(PHASE_NAMES)
        if unknown:
            raise CommandError(f"unknown phases: {', '.join(sorted(unknown))}")
        import psutil

        if not url:
            raise CommandError("--url (or DJANGO_BASE_URL) of the running profile is needed")
        if not options["skip_seed"]:
            call_command("capacity_data", trainees=trainees, out=data, stdout=self.stdout)
        server = _gunicorn(str(settings.BASE_DIR))
        self.stdout.write(
            f"target {url}: gunicorn {len(_tree(server))} processes; client: Locust "
            f"--processes {processes} (FastHttpUser); {os.cpu_count()} CPUs, load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        env = {
            **os.environ,
            "CAPACITY_DATA": str(Path(data).resolve()),
            "CAPACITY_PROCESSES": str(processes),
            "CAPACITY_T0": str(time.time()),
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        results, errors = {}, 0
        with tempfile.TemporaryDirectory(prefix="capacity-") as tmp:
            for name, user_class in PHASES:
                if name not in phases:
                    continue
                row = self._phase(
                    name, [user_class], users, seconds, processes, url, env, tmp, server, psutil
                )
                results[name] = row["Aggregated"]
                errors += row["Aggregated"]["failures"]
            if "rush" in phases:
                errors += self._rush(rush, seconds, processes, url, env, tmp, server, psutil, data)
        if set(PHASE_NAMES) <= set(phases):
            self._summary(results, errors)
        else:
            self.stdout.write(f"capacity: phases {', '.join(phases)}, errors {errors}")

    def _rush(self, rush, seconds, processes, url, env, tmp, server, psutil, data) -> int:
        import json

        trainees = json.loads(Path(data).read_text())["trainees"]
        # The rush's trainees: each Locust process takes every Nth, then the first of those.
        share = []
        for i in range(processes):
            part = trainees[i::processes]
            share += [part[(n + 1) % len(part)] for n in range(rush // processes)]
        answering = sum(1 for t in share if t["answer"]) / max(1, len(share))
        organisers = max(1, rush // 40)
        offered = rush * (1 + RUSH_ANSWER * answering + RUSH_OTHER) / RUSH_PACE
        offered += organisers / ORGANISER_PACE
        self.stdout.write(
            f"rush offers {offered:.1f} requests/s in the steady state: {rush} trainees, one "
            f"task each {RUSH_PACE} s (a heartbeat, +{RUSH_ANSWER:.0%} an answer for the "
            f"{answering:.0%} with an open attempt, +{RUSH_OTHER:.0%} a page), "
            f"{organisers} organisers, an overview each {ORGANISER_PACE} s; the first beats "
            f"spread over the first {RUSH_PACE} s"
        )
        row = self._phase(
            "rush",
            ["RushTrainee", "Organiser"],
            rush + organisers,
            seconds * 2,
            processes,
            url,
            env,
            tmp,
            server,
            psutil,
            sample=True,
        )
        self.stdout.write(
            "  rush by path: "
            + ", ".join(
                f"{k} {v['rps']:.1f}/s p95 {v['p95']:.0f} ms"
                + (f" ({v['failures']} failed)" if v["failures"] else "")
                for k, v in row.items()
                if k != "Aggregated"
            )
        )
        return row["Aggregated"]["failures"]

    def _summary(self, results, errors):
        def rate(name):
            return f"{results[name]['rps']:.0f}/s"

        def rate_p95(name):
            return f"{rate(name)} p95 {results[name]['p95']:.0f} ms"

        self.stdout.write(
            f"capacity: floor {rate('floor')}, heartbeat {rate_p95('heartbeat')}, "
            f"answer-save {rate_p95('answer-save')}, checkin {rate_p95('checkin')}, "
            f"lesson {rate_p95('lesson')}, my-learning {rate('my-learning')}, errors {errors}"
        )

    def _phase(
        self, name, classes, users, seconds, processes, url, env, tmp, server, psutil, sample=False
    ):
        prefix = os.path.join(tmp, name)
        command = [
            os.path.join(os.path.dirname(sys.executable), "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            url,
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--reset-stats",
            "--only-summary",
            "--csv",
            prefix,
            "--loglevel",
            "ERROR",
            *(["--processes", str(processes)] if processes > 1 else []),
            *classes,
        ]
        server_before = _cpu_seconds(_tree(server))
        server_seen = dict(server_before)
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        client, stderr = {}, ""
        root = psutil.Process(process.pid)
        timeline, states = [], {}  # (seconds, server CPU so far); what was seen, how often
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            client.update(_cpu_seconds(tree))
            workers = _tree(server)
            server_seen.update(_cpu_seconds(workers))
            if sample:
                now = sum(t - server_before.get(p, 0) for p, t in server_seen.items())
                timeline.append((time.monotonic() - started, now))
                for key in _activity(workers[1:]):
                    states[key] = states.get(key, 0) + 1
                states["samples"] = states.get("samples", 0) + 1
            time.sleep(0.5)
        stderr = process.stderr.read()
        wall = time.monotonic() - started
        server_seen.update(_cpu_seconds(_tree(server)))
        if process.returncode not in (0, 1):  # 1: some requests failed, counted below
            raise CommandError(f"locust failed ({process.returncode}) in {name}: {stderr[-2000:]}")
        rows = {}
        try:
            with open(f"{prefix}_stats.csv", newline="") as f:
                for r in csv.DictReader(f):
                    key = r["Name"] if r["Name"] != "Aggregated" else "Aggregated"
                    rows[key] = {
                        "rps": float(r["Requests/s"] or 0),
                        "p95": float(r["95%"] or 0) if r["95%"] not in ("N/A", "") else 0.0,
                        "requests": int(r["Request Count"]),
                        "failures": int(r["Failure Count"]),
                    }
        except FileNotFoundError as exc:
            raise CommandError(f"no statistics from locust in {name}: {stderr[-2000:]}") from exc
        total = rows["Aggregated"]
        # Workers born during the phase count from 0; one recycled between two samples
        # loses its last half second.
        server_cpu = sum(t - server_before.get(p, 0) for p, t in server_seen.items())
        client_cpu = sum(client.values())  # from the start: Locust's own start-up included
        per = max(1, total["requests"])
        self.stdout.write(
            f"phase {name}: {users} users, {seconds} s: {total['rps']:.1f}/s, "
            f"p95 {total['p95']:.0f} ms, {total['requests']} requests, "
            f"{total['failures']} failed; CPU over {wall:.0f} s: client (Locust) "
            f"{client_cpu / wall:.2f} cores ({client_cpu / per * 1000:.1f} ms a request), "
            f"server (gunicorn) {server_cpu / wall:.2f} cores "
            f"({server_cpu / per * 1000:.1f} ms a request)"
        )
        if sample and timeline:
            self._activity_report(timeline, states, seconds)
        if total["failures"]:
            failures = Path(f"{prefix}_failures.csv")
            if failures.exists():
                lines = failures.read_text().splitlines()[1:4]
                self.stdout.write("  failures: " + " | ".join(lines))
        return rows

    def _activity_report(self, timeline, states, seconds):
        end, cpu_end = timeline[-1]
        start, cpu_start = next(((t, c) for t, c in timeline if t >= end - seconds), timeline[0])
        n = states.pop("samples")
        seen = ", ".join(
            f"{key} {count / n:.2f}" for key, count in sorted(states.items(), key=lambda x: -x[1])
        )
        self.stdout.write(
            f"  server (gunicorn) CPU over the phase's last {end - start:.0f} s: "
            f"{(cpu_end - cpu_start) / max(0.1, end - start):.2f} cores"
        )
        self.stdout.write(f"  on average over {n} samples (gunicorn workers, backends): {seen}")


def _activity(workers) -> list[str]:
    """What each gunicorn worker and each PostgreSQL backend of this database does now."""
    out = []
    for p in workers:
        try:
            status = p.status()
        except Exception:
            continue
        out.append("workers on a CPU" if status == "running" else "workers not on a CPU")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        for state, wait_type, wait in cursor.fetchall():
            if state == "active":
                out.append(f"backends active{f' waiting {wait_type}/{wait}' if wait else ''}")
            else:
                out.append(f"backends {state}")
    return out
