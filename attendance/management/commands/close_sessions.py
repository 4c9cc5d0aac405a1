"""Close the attendance of every session that has ended: missing trainees become absent;
then classes past their last session become 已结束待结班 (ended, awaiting close).

Idempotent; run it from cron every few minutes, or enqueue the task with `--enqueue` for
the database worker.
"""

from django.core.management.base import BaseCommand

from attendance.services import sessions_close_ended
from attendance.tasks import close_ended_sessions
from training.services import classes_end_past


class Command(BaseCommand):
    help = "Record absences for sessions that have ended (safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14, help="look back this many days")
        parser.add_argument("--enqueue", action="store_true", help="queue it for the worker")

    def handle(self, *args, days, enqueue, **options):
        if enqueue:
            result = close_ended_sessions.enqueue(days=days)
            self.stdout.write(f"queued {result.id}")
            return
        count = sessions_close_ended(days=days)
        ended = classes_end_past()
        self.stdout.write(f"closed {count} sessions, ended {ended} classes")
