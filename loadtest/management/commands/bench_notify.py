"""Post one notice to a class of N trainees and time it until every message is out.

    python manage.py bench_notify --trainees 300 [--workers 2] [--processes]

The notice goes through the adviser's service (`notice_publish`), which writes the inbox
items and the deliveries; the task queue is the database backend (django_tasks_db) and
`--workers` of its own workers (the `db_worker` loop) send them, in threads of this
process or, with `--processes`, each in a process of its own as in production (this
command started again in its worker role): email through Django's file backend into a
scratch folder, SMS through the Tencent Cloud backend and
its official SDK to a fake Tencent API on loopback (notifications/sms/fake_tencent.py),
which checks every request's signature. Quiet hours are off for the run, so the figures do
not depend on the time of day. The clock runs from the service call until no message of
the notice is still queued or sending.

Counts come from the database and from what the fake API and the mail outbox received:
duplicates = messages a number or address got more than once.

Run it on PostgreSQL for the figures that count (DJANGO_DATABASE_URL=postgres://…).
"""

import argparse
import datetime
import email.parser
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

BENCH_CLASS_CODE = "bench-notify"
PHONE_BASE = 19_900_000_000  # 199 0000 0000 onwards: bench trainees' numbers
TENCENT = {
    "SECRET_ID": "AKIDbench",
    "SECRET_KEY": "bench-secret",
    "SDK_APP_ID": "1400009999",
    "SIGN_NAME": "干部培训平台",
    "PROTOCOL": "http",
    "TIMEOUT": 10,
}


class Command(BaseCommand):
    help = "Post one notice to N trainees with the task worker running; count and time it."

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=300)
        parser.add_argument("--workers", type=int, default=2, help="task workers (threads)")
        parser.add_argument("--timeout", type=float, default=300.0)
        parser.add_argument(
            "--processes", action="store_true", help="each task worker in its own process"
        )
        # The worker role of --processes: sms endpoint and mail folder of the bench.
        parser.add_argument(
            "--worker", nargs=2, metavar=("ENDPOINT", "MAILDIR"), help=argparse.SUPPRESS
        )

    def handle(self, *args, trainees, workers, timeout, processes, worker, **options):
        from notifications.sms.fake_tencent import FakeTencentSms

        if worker:
            with _bench_settings(*worker):
                self._serve(*worker)
            return
        with (
            FakeTencentSms(
                secret_id=TENCENT["SECRET_ID"],
                secret_key=TENCENT["SECRET_KEY"],
                app_id=TENCENT["SDK_APP_ID"],
            ) as fake,
            tempfile.TemporaryDirectory(prefix="bench-notify-mail-") as maildir,
            _bench_settings(fake.endpoint, maildir),
        ):
            line = self._run(trainees, workers, processes, timeout, fake, maildir)
        self.stdout.write(line)

    # -- setup -------------------------------------------------------------------------------

    def _class(self, n: int):
        from django.contrib.auth.models import Group

        from people.models import OrgUnit, User
        from people.roles import Role
        from training.models import Enrolment, TrainingClass

        unit = OrgUnit.objects.filter(code="BENCH0").first() or OrgUnit.add_root(
            code="BENCH0", name="基准测试单位", level=OrgUnit.Level.PROVINCE
        )
        password = make_password(None)  # unusable: nobody logs in as these
        names = [f"bench-notify-{i:04d}" for i in range(1, n + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        User.objects.bulk_create(
            User(
                username=name,
                full_name=f"通知压测学员{i:04d}",
                phone=str(PHONE_BASE + i),
                email=f"{name}@bench.invalid",
                org_unit=unit,
                password=password,
            )
            for i, name in enumerate(names, start=1)
            if name not in existing
        )
        people = list(User.objects.filter(username__in=names))
        Group.objects.get(name=str(Role.TRAINEE)).user_set.add(*people)
        adviser, _ = User.objects.get_or_create(
            username="bench-notify-adviser",
            defaults={"full_name": "压测班主任", "password": password},
        )
        today = timezone.localdate()
        klass, _ = TrainingClass.objects.get_or_create(
            code=BENCH_CLASS_CODE,
            defaults={
                "name": "通知压力测试班",
                "organising_unit": unit,
                "provider": "bench",
                "start_date": today,
                "end_date": today + datetime.timedelta(days=5),
                "credit_hours": Decimal("30.0"),
                "status": TrainingClass.Status.RUNNING,
            },
        )
        klass.advisers.add(adviser)
        adviser.groups.add(Group.objects.get(name=str(Role.ADVISER)))  # the instance knows
        Enrolment.objects.bulk_create(
            [Enrolment(training_class=klass, trainee=p) for p in people], ignore_conflicts=True
        )
        # Exactly the N bench trainees on the roster, whatever an earlier run left.
        Enrolment.objects.filter(training_class=klass).exclude(trainee__in=people).update(
            status=Enrolment.Status.WITHDRAWN
        )
        Enrolment.objects.filter(training_class=klass, trainee__in=people).update(
            status=Enrolment.Status.ENROLLED
        )
        return klass, adviser, people

    # -- the run -----------------------------------------------------------------------------

    def _serve(self, endpoint: str, maildir: str) -> None:
        """The worker role: one `db_worker` loop until the bench sends SIGTERM."""

        worker = _worker(f"bench-notify-{os.getpid()}")
        worker.configure_signals()
        worker.run()

    def _processes(self, n: int, endpoint: str, maildir: str):
        """`n` workers as processes of this command, on this database (a test database's
        name included), started and waiting for work before the clock starts."""
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
                f"/{db['NAME']}"
            ),
        }
        manage = Path(__file__).resolve().parents[3] / "manage.py"
        procs = [
            subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
                [sys.executable, str(manage), "bench_notify", "--worker", endpoint, maildir],
                env=env,
            )
            for _ in range(n)
        ]
        time.sleep(2.0)  # Django set-up of each process, off the clock
        dead = [p.returncode for p in procs if p.poll() is not None]
        if dead:
            self._stop(procs)
            raise CommandError(f"a task worker exited at start (code {dead[0]})")
        return procs

    @staticmethod
    def _stop(procs) -> None:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()

    def _workers(self, n: int):

        workers = [_worker(f"bench-notify-{i}") for i in range(n)]

        def run(worker):
            try:
                worker.run()
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in workers]
        for t in threads:
            t.start()
        return workers, threads

    def _run(self, n, workers, processes, timeout, fake, maildir) -> str:
        from notifications.models import Delivery, Notification
        from training.services import notice_publish

        klass, adviser, people = self._class(n)
        if processes:
            if connection.vendor != "postgresql":
                raise CommandError("--processes needs PostgreSQL (DJANGO_DATABASE_URL)")
            procs = self._processes(workers, fake.endpoint, maildir)
            running, threads = [], []
        else:
            procs = []
            running, threads = self._workers(workers)
        try:
            started = time.perf_counter()
            notice = notice_publish(
                actor=adviser,
                training_class=klass,
                title=f"压测通知 {timezone.localtime():%H:%M:%S}",
                body="明早7:30在学院门口集合，请穿便于步行的鞋。",
            )
            key = f"notice:{notice.pk}"
            pending = Delivery.objects.filter(
                key=key, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
            )
            while pending.exists():
                if time.perf_counter() - started > timeout:
                    raise CommandError(f"messages still queued after {timeout:.0f} s")
                time.sleep(0.02)
                close_old_connections()
            elapsed = time.perf_counter() - started
        finally:
            for worker in running:
                worker.running = False
            for t in threads:
                t.join(timeout=10)
            self._stop(procs)

        rows = Delivery.objects.filter(key=key)
        sent = Counter(rows.filter(status=Delivery.Status.SENT).values_list("channel", flat=True))
        failed = rows.filter(status=Delivery.Status.FAILED).count()
        inbox = Notification.objects.filter(key=key).count()
        phones = Counter(m["phone"] for m in fake.messages)
        recipients = _mailed(maildir)
        addresses = Counter(recipients)
        duplicates = sum(c - 1 for c in phones.values()) + sum(c - 1 for c in addresses.values())
        kind = "processes" if processes else "threads"
        self.stderr.write(
            f"(database {connection.vendor}, {workers} task workers in {kind}, "
            f"{len(fake.requests)} SendSms requests, {len(recipients)} emails)"
        )
        return (
            f"notify: {len(people)} recipients, inbox {inbox}, email {sent['email']}, "
            f"sms {sent['sms']}, duplicates {duplicates}, failed {failed}, in {elapsed:.2f} s"
        )


def _bench_settings(endpoint: str, maildir: str):
    """What the bench changes, the same in the bench and in its worker processes."""
    return override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=maildir,
        SMS_BACKEND="notifications.sms.tencent.SmsBackend",
        SMS_TENCENT={**TENCENT, "ENDPOINT": endpoint},
        SMS_TEMPLATES={"notice_posted": "1000001"},
        NOTIFICATIONS_QUIET_HOURS=(0, 0),
    )


def _mailed(maildir: str) -> list[str]:
    """Every recipient address of every email the file backend wrote (one file per
    connection, messages separated by a line of 79 dashes)."""
    parser = email.parser.BytesParser()
    recipients = []
    for path in Path(maildir).glob("*.log"):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = parser.parsebytes(chunk, headersonly=True)
                recipients += [a.strip() for a in (message.get("To") or "").split(",") if a]
    return recipients


def _worker(worker_id: str):
    """One `db_worker` loop on every queue, polling every 50 ms: in a thread or a process."""
    return Worker(
        queue_names=["*"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
