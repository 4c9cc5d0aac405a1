# Renditions and subtitles move to PRIVATE_MEDIA_ROOT: the player reads them through
# lectures.views.stream_view with a signed token. Safe to repeat (lectures/files.py).

import django.core.validators
from django.conf import settings
from django.db import migrations, models

import lms.storage


def move_renditions(apps, schema_editor):
    from lectures.files import move_renditions as move

    lecture = apps.get_model("lectures", "Lecture")
    move(
        lecture.objects.values_list("folder", flat=True).iterator(),
        public_root=settings.MEDIA_ROOT,
        private_root=settings.PRIVATE_MEDIA_ROOT,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lectures", "0001_lectures_and_watching"),
    ]

    operations = [
        migrations.AlterField(
            model_name="lecture",
            name="subtitles",
            field=models.FileField(
                blank=True,
                help_text="Optional: a .vtt subtitle file in Chinese.",
                storage=lms.storage.private_storage,
                upload_to="lectures/subtitles/",
                validators=[django.core.validators.FileExtensionValidator(["vtt"])],
                verbose_name="subtitles (WebVTT)",
            ),
        ),
        migrations.RunPython(
            lms.storage.move_to_private("lectures", "lecture", "subtitles"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(move_renditions, migrations.RunPython.noop),
    ]
