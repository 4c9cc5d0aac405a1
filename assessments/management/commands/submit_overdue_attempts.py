"""Submit every quiz attempt whose time has run out. Run it from cron or a worker every
minute; it is safe to run at any time and as often as you like."""

from django.core.management.base import BaseCommand

from assessments.services.attempts import attempts_submit_overdue


class Command(BaseCommand):
    help = "Submit (and grade) quiz attempts whose deadline has passed."

    def handle(self, *args, **options):
        count = attempts_submit_overdue()
        self.stdout.write(f"submitted {count} overdue attempt(s)")
