"""Move lectures' renditions (and subtitles) still under MEDIA_ROOT to PRIVATE_MEDIA_ROOT.

The data migration lectures 0002 does this once; run this again after restoring an old
media backup. Safe to repeat (lectures/files.py).
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from lectures.files import move_renditions
from lectures.models import Lecture
from lms.storage import move_to_private


class Command(BaseCommand):
    help = "Move video lectures' HLS folders and subtitles from MEDIA_ROOT to PRIVATE_MEDIA_ROOT."

    def handle(self, *args, **options):
        outcome = move_renditions(
            Lecture.objects.values_list("folder", flat=True).iterator(),
            public_root=settings.MEDIA_ROOT,
            private_root=settings.PRIVATE_MEDIA_ROOT,
        )
        move_to_private("lectures", "Lecture", "subtitles")(apps, None)
        for key, folders in outcome.items():
            self.stdout.write(f"{key}: {len(folders)}")
        for folder in outcome["both"]:
            self.stderr.write(
                f"lectures/{folder}: in both places; the private copy is kept, "
                "remove the public one by hand"
            )
