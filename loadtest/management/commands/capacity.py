"""Capacity of the production profile in the year-end rush (`make capacity`).

    python manage.py capacity --url http://127.0.0.1:8010 [--seconds 15] [--users 32]

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

(on one line). errors counts every failed request of every phase.
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

LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfiles" / "rush.py"
PHASES = [
    ("floor", "FloorUser"),
    ("heartbeat", "HeartbeatUser"),
    ("answer-save", "AnswerUser"),
    ("checkin", "CheckinUser"),
    ("lesson", "LessonUser"),
    ("my-learning", "MyLearningUser"),
]


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

    def handle(self, *args, url, seconds, users, rush, processes, trainees, data, **options):
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
                row = self._phase(
                    name, [user_class], users, seconds, processes, url, env, tmp, server, psutil
                )
                results[name] = row["Aggregated"]
                errors += row["Aggregated"]["failures"]
            row = self._phase(
                "rush",
                ["RushTrainee", "Organiser"],
                rush + max(1, rush // 40),
                seconds * 2,
                processes,
                url,
                env,
                tmp,
                server,
                psutil,
            )
            errors += row["Aggregated"]["failures"]
            self.stdout.write(
                "  rush by path: "
                + ", ".join(
                    f"{k} {v['rps']:.1f}/s p95 {v['p95']:.0f} ms"
                    + (f" ({v['failures']} failed)" if v["failures"] else "")
                    for k, v in row.items()
                    if k != "Aggregated"
                )
            )

        def rate(name):
            return f"{results[name]['rps']:.0f}/s"

        def rate_p95(name):
            return f"{rate(name)} p95 {results[name]['p95']:.0f} ms"

        self.stdout.write(
            f"capacity: floor {rate('floor')}, heartbeat {rate_p95('heartbeat')}, "
            f"answer-save {rate_p95('answer-save')}, checkin {rate_p95('checkin')}, "
            f"lesson {rate_p95('lesson')}, my-learning {rate('my-learning')}, errors {errors}"
        )

    def _phase(self, name, classes, users, seconds, processes, url, env, tmp, server, psutil):
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
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            client.update(_cpu_seconds(tree))
            server_seen.update(_cpu_seconds(_tree(server)))
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
        if total["failures"]:
            failures = Path(f"{prefix}_failures.csv")
            if failures.exists():
                lines = failures.read_text().splitlines()[1:4]
                self.stdout.write("  failures: " + " | ".join(lines))
        return rows
