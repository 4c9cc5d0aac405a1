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
