"""Written work: a trainee hands in text and/or a file, revisable until it is graded."""

import io
import struct
import zipfile

import filetype
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..errors import (
    AssignmentClosed,
    SubmissionEmpty,
    SubmissionTooLong,
    UploadTooLarge,
    UploadTypeRejected,
)
from ..models import Assignment, Submission

# Detected by the file's bytes (magic numbers), never by its name or the browser's claim.
ACCEPTED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/jpeg": "jpg",
    "image/png": "png",
}
MAX_TEXT = 50_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A Word file has a few dozen parts; a zip listing thousands is not one, and reading its
# directory would cost memory for nothing.
MAX_DOCX_ENTRIES = 2000


def upload_check(*, upload, max_mb: int) -> tuple[bytes, str, str]:
    """(content, mime, extension) of an acceptable upload; raises on size or content type."""
    if upload.size > max_mb * 1024 * 1024:
        raise UploadTooLarge(f"{upload.size} bytes")
    content = upload.read(max_mb * 1024 * 1024 + 1)
    if len(content) > max_mb * 1024 * 1024:
        raise UploadTooLarge("stream larger than declared")
    kind = filetype.guess(content)
    mime = kind.mime if kind else "unknown"
    if mime == "application/zip" and _is_docx(content):
        mime = DOCX
    if mime not in ACCEPTED_TYPES:
        raise UploadTypeRejected(mime)
    return content, mime, ACCEPTED_TYPES[mime]


def _zip_entry_count(content: bytes) -> int | None:
    """Entries the zip's end record declares, read before parsing its directory (None:
    no end record, or a ZIP64 archive, which no Word file needs)."""
    at = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if at < 0 or len(content) < at + 22:
        return None
    count = struct.unpack_from("<H", content, at + 10)[0]
    return None if count == 0xFFFF else count


def _is_docx(content: bytes) -> bool:
    """A Word file whose first zip entries are not the ones `filetype` looks at (a
    thumbnail or customXml first). Only the directory is read, nothing is extracted, so
    a zip bomb costs nothing."""
    count = _zip_entry_count(content)
    if count is None or count > MAX_DOCX_ENTRIES:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def submission_save(
    *, assignment: Assignment, trainee, text: str = "", upload=None, now=None
) -> Submission:
    """Hand in or revise work. A file is checked before anything is written; graded work
    is final. Re-sending the same form is harmless (one row per trainee and assignment)."""
    now = now or timezone.now()
    text = (text or "").strip() if assignment.accepts_text else ""
    if len(text) > MAX_TEXT:
        raise SubmissionTooLong(
            f"{len(text)} characters",
            message=_("Your text has %(n)s characters; at most %(max)s are accepted.")
            % {"n": f"{len(text):,}", "max": f"{MAX_TEXT:,}"},
        )
    checked = None
    if upload is not None and assignment.accepts_file:
        checked = upload_check(upload=upload, max_mb=assignment.max_file_mb)
    for _try in range(2):
        try:
            with transaction.atomic():
                sub = (
                    Submission.objects.select_for_update()
                    .filter(assignment=assignment, trainee=trainee)
                    .first()
                )
                if sub is not None and sub.status == Submission.Status.GRADED:
                    raise AssignmentClosed()
                if not text and checked is None and not (sub and sub.file):
                    raise SubmissionEmpty()
                if sub is None:
                    sub = Submission(assignment=assignment, trainee=trainee, submitted_at=now)
                sub.text = text
                sub.submitted_at = now
                sub.is_late = assignment.is_past_due(now)
                old_file = sub.file.name if sub.file else ""
                if checked is not None:
                    content, mime, ext = checked
                    sub.file_name = (getattr(upload, "name", "") or f"file.{ext}")[:200]
                    sub.file_mime = mime
                    sub.file_size = len(content)
                    sub.file.save(f"upload.{ext}", ContentFile(content), save=False)
                sub.full_clean()
                sub.save()
                log(
                    sub,
                    "assessments.submission_save",
                    user=trainee,
                    data={"file": bool(sub.file), "late": sub.is_late},
                )
            if checked is not None and old_file and old_file != sub.file.name:
                sub.file.storage.delete(old_file)
            return sub
        except IntegrityError:
            continue  # a simultaneous first submission created the row; revise it instead
    raise AssignmentClosed("submission raced")
