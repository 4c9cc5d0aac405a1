"""Mainland mobile numbers as people type them: full-width digits, spaces, dashes, +86."""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from lms.errors import DomainError

_SEPARATORS = re.compile(r"[\s\-()（）.·]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class InvalidPhone(DomainError):
    code = "invalid_phone"
    message = _("Enter an 11-digit mainland mobile number, e.g. 138 0000 0000.")


def normalize_phone(raw: str) -> str:
    """Return the canonical 11-digit form, or raise InvalidPhone."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = _SEPARATORS.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not _MOBILE.match(text):
        raise InvalidPhone(raw)
    return text


def looks_like_phone(raw: str) -> bool:
    try:
        normalize_phone(raw)
    except InvalidPhone:
        return False
    return True


# A pasted list: numbers one per line or separated by commas, semicolons or 、 (in either
# width); inside one number the spellings above. Anything else beside a number on the same
# line (a name copied with it from a spreadsheet) is left out; text alone is reported.
_LIST_SEPARATORS = re.compile(r"[\r\n,;、|/]+")
_PHONE_SEPARATOR = r"[\s\-()（）.·]"
_PHONE_IN_TEXT = re.compile(
    rf"(?<![\d+])(?:(?:\+|00)?86{_PHONE_SEPARATOR}*)?1(?:{_PHONE_SEPARATOR}*\d){{10}}(?!\d)"
)


def phones_in_text(text: str) -> list[tuple[str, str | None]]:
    """Every number in a pasted list, in order: (as written, 11 digits or None if invalid)."""
    entries: list[tuple[str, str | None]] = []
    for chunk in _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", text or "")):
        chunk = chunk.strip()
        if not chunk:
            continue
        found = list(_PHONE_IN_TEXT.finditer(chunk))
        for match in found:
            raw = match.group().strip()
            entries.append((raw, normalize_phone(raw) if looks_like_phone(raw) else None))
        rest = _PHONE_IN_TEXT.sub(" ", chunk).strip()
        if rest and (not found or any(c.isdigit() for c in rest)):
            entries.append((rest, None))
    return entries
