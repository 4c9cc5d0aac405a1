"""Where files that are not for everyone live.

Certificates, leave attachments, credit-hour evidence and trainees' written work are
stored under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT: nothing serves that folder as it
is (nginx serves only /media/). Each file is handed out by a view that checks who asks,
so a file name that is guessed or forwarded opens nothing.
"""

import os
import shutil
from pathlib import Path

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, with no URL: `.url` raises, so a template cannot
    link to one by mistake. The folder is read from the settings on every use, so tests
    and the benchmarks can point it elsewhere with override_settings."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(f"{name} is private: serve it through a permission-checked view")


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, as FileField's `storage` accepts)."""
    return PrivateStorage()


def move_to_private(app_label: str, model_name: str, field_name: str, source=None):
    """A migration step: move a field's files from `source` (MEDIA_ROOT unless given) to
    PRIVATE_MEDIA_ROOT.

    For fields that used to be stored elsewhere. Files already moved, or missing, are
    left alone, so running it again changes nothing.
    """

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        public = Path(source if source is not None else settings.MEDIA_ROOT)
        private = Path(settings.PRIVATE_MEDIA_ROOT)
        names = model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True)
        for name in names.iterator():
            old, new = public / name, private / name
            if old.is_file() and not new.exists():
                new.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(old, new)

    return forwards


def private_file_response(field_file, *, filename: str | None = None):
    """A private file as a download, typed by its content (checked at upload), never by its
    stored name. Images and PDFs open in the browser; anything else is a download."""
    handle = field_file.open("rb")
    kind = filetype.guess(handle.read(262))
    handle.seek(0)
    inline = bool(kind) and (kind.mime.startswith("image/") or kind.mime == "application/pdf")
    response = FileResponse(
        handle,
        content_type=kind.mime if kind else "application/octet-stream",
        as_attachment=not inline,
        filename=filename or "",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
