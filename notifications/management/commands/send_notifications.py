"""Reminders, retries that fell due and anything a queue outage left: idempotent.

python manage.py send_notifications            # run the sweep here
python manage.py send_notifications --enqueue  # queue it for the worker
"""

from django.core.management.base import BaseCommand

from notifications.sweep import sweep
from notifications.tasks import notifications_sweep


class Command(BaseCommand):
    help = "Send due notifications and reminders (safe to run every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue it for the worker")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = notifications_sweep.enqueue()
            self.stdout.write(f"queued {result.id}")
            return

        result = sweep()
        self.stdout.write(" ".join(f"{k} {v}" for k, v in result.items()))
