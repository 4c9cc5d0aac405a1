"""Written work: a trainee hands in text and/or a file, revisable until it is graded."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms.uploads import DOCX, EXTENSIONS, archive_check, content_type

from ..errors import (
    AssignmentClosed,
    AssignmentPastDue,
    SubmissionEmpty,
    SubmissionTooLong,
    UploadTooLarge,
    UploadTypeRejected,
)
from ..models import Assignment, Submission

# Detected by the file's bytes (lms.uploads), never by its name or the browser's claim.
ACCEPTED_TYPES = dict(EXTENSIONS)
MAX_TEXT = 50_000


def upload_check(*, upload, max_mb: int) -> tuple[bytes, str, str]:
    """(content, mime, extension) of an acceptable upload; raises on size or content type."""
    if upload.size > max_mb * 1024 * 1024:
        raise UploadTooLarge(f"{upload.size} bytes")
    content = upload.read(max_mb * 1024 * 1024 + 1)
    if len(content) > max_mb * 1024 * 1024:
        raise UploadTooLarge("stream larger than declared")
    mime = content_type(content)
    if mime not in ACCEPTED_TYPES:
        raise UploadTypeRejected(mime)
    if mime == DOCX:
        # Graders open it in Word or WPS: a zip bomb is refused here, not on their desk.
        archive_check(content)
    return content, mime, ACCEPTED_TYPES[mime]


def submission_save(
    *, assignment: Assignment, trainee, text: str = "", upload=None, now=None
) -> Submission:
    """Hand in or revise work. A file is checked before anything is written; graded work
    is final. Re-sending the same form is harmless (one row per trainee and assignment)."""
    now = now or timezone.now()
    if not assignment.accepts_work(now):
        raise AssignmentPastDue(str(assignment.due_at))
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
