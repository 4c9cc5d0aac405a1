"""What an uploaded file really is, read from its bytes, never from its name or the
browser's claim. Written work, credit-hour evidence and leave attachments all ask here;
every XLSX or DOCX that is opened is first checked as a zip archive (`archive_check`).
"""

import io
import struct
import zipfile
import zlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.errors import DomainError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {
    "application/pdf": "pdf",
    DOCX: "docx",
    "image/jpeg": "jpg",
    "image/png": "png",
}
# A Word file has a few dozen parts; a zip listing thousands is not one, and reading its
# directory would cost memory for nothing.
MAX_DOCX_ENTRIES = 2000


def content_type(content: bytes) -> str:
    """The MIME type the bytes say ("unknown" when they say nothing we recognise)."""
    kind = filetype.guess(content)
    mime = kind.mime if kind else "unknown"
    if mime == "application/zip" and _is_docx(content):
        mime = DOCX
    return mime


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


# --- zip archives (XLSX and DOCX) ------------------------------------------------------
#
# An XLSX or DOCX file is a zip archive: 100 KB can unpack to a 100 MB cell, 460 KB to
# 235 MB of blank rows. Every upload that is opened as one is checked here first: the
# directory alone says what the archive claims, and reading every member with a running
# cap proves it, before a parser (openpyxl) builds anything. A genuine roster, question
# bank or essay unpacks to a few MB at ratios of 3-30.

ARCHIVE_MAX_MEMBERS = MAX_DOCX_ENTRIES
ARCHIVE_MAX_UNPACKED = 25 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100
# Small parts (styles, the workbook part) compress far better than data; the ratio is
# asked only of members big enough to matter.
ARCHIVE_RATIO_FROM = 1024 * 1024
_CHUNK = 64 * 1024


class UploadRefused(DomainError):
    code = "upload_refused"
    message = _("The file was refused.")


class FileTooLarge(UploadRefused):
    code = "file_too_large"
    message = _("The file is too large.")


class ArchiveBomb(UploadRefused):
    code = "archive_bomb"
    message = _(
        "The file unpacks to far more data than a spreadsheet or document holds (a zip "
        "bomb), so it was refused. Save it again as an ordinary .xlsx or .docx file and "
        "upload that."
    )


class NotAnArchive(UploadRefused):
    code = "not_an_archive"
    message = _("The file is not a readable .xlsx or .docx file.")


def file_size_limit(setting: str):
    """A form-field validator: refuses an upload over the `setting` size (in bytes, read
    when the form is checked) before anything reads it."""

    def validate(upload):
        limit = getattr(settings, setting)
        if upload is not None and upload.size is not None and upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s MB; at most %(max)s MB is accepted."),
                code=FileTooLarge.code,
                params={"size": f"{upload.size / 1048576:.1f}", "max": f"{limit / 1048576:g}"},
            )

    return validate


def read_upload(upload, *, limit: int) -> bytes:
    """The bytes of an upload (or bytes), refused past `limit` whatever the size claims."""
    if isinstance(upload, bytes | bytearray):
        content = bytes(upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read(limit + 1)
    if len(content) > limit:
        raise FileTooLarge(f"{len(content)} bytes")
    return content


def archive_check(
    content: bytes,
    *,
    max_compressed: int | None = None,
    max_unpacked: int = ARCHIVE_MAX_UNPACKED,
    max_members: int = ARCHIVE_MAX_MEMBERS,
    max_ratio: int = ARCHIVE_MAX_RATIO,
) -> None:
    """Refuse a zip archive that would cost more to open than any genuine XLSX/DOCX.

    The directory's claims are checked first (members, declared sizes, ratios), which
    costs nothing; then every member is read in chunks, counting what really comes out,
    and reading stops the moment the total passes `max_unpacked`: a directory that lies
    about sizes gains nothing."""
    if max_compressed is not None and len(content) > max_compressed:
        raise FileTooLarge(f"{len(content)} bytes")
    count = _zip_entry_count(content)
    if count is not None and count > max_members:
        raise ArchiveBomb(f"{count} members")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise ArchiveBomb(f"{len(members)} members")
            declared = 0
            for info in members:
                declared += info.file_size
                if declared > max_unpacked:
                    raise ArchiveBomb(f"declares {declared} bytes unpacked")
                if info.file_size > ARCHIVE_RATIO_FROM and info.file_size > max_ratio * max(
                    info.compress_size, 1
                ):
                    raise ArchiveBomb(f"{info.filename}: {info.file_size}/{info.compress_size}")
            unpacked = 0
            for info in members:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > max_unpacked:
                            raise ArchiveBomb(f"unpacks past {max_unpacked} bytes")
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, ValueError, OSError) as exc:
        raise NotAnArchive(str(exc)) from exc
    except (EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise NotAnArchive(str(exc)) from exc
