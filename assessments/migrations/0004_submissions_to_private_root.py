from django.conf import settings
from django.db import migrations

import lms.storage

# Where written work was kept before every private file moved under PRIVATE_MEDIA_ROOT.
OLD_ROOT = getattr(settings, "ASSESSMENTS_UPLOAD_ROOT", None) or settings.BASE_DIR / "var" / "uploads"


class Migration(migrations.Migration):
    """Trainees' uploads move from var/uploads to PRIVATE_MEDIA_ROOT (lms/storage.py), the
    one folder of private files that deployments back up and keep writable."""

    dependencies = [
        ("assessments", "0003_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(
            lms.storage.move_to_private("assessments", "submission", "file", source=OLD_ROOT),
            migrations.RunPython.noop,
        ),
    ]
