"""What an organiser may put in a certificate template, checked when it is saved.

A template is used for a whole class at once, so a mistake must show in the editor, not
on 200 printed certificates: a body with a stray brace or an unknown placeholder, CSS
that tries to leave its <style> element, a "PNG" seal that is not one.
"""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDERS = ("name", "class", "start", "end", "hours", "provider", "number")
SEAL_MAX_BYTES = 5 * 1024 * 1024
SEAL_MAX_PIXELS = 4000


def body_check(body: str) -> None:
    """Raise ValidationError unless every {…} is a known placeholder and {name} is there."""
    try:
        fields = [
            (field, spec, conversion)
            for _text, field, spec, conversion in string.Formatter().parse(body or "")
            if field is not None
        ]
    except ValueError:
        raise ValidationError(
            _("A brace { or } has no partner. Placeholders are written like {name}."),
            code="braces",
        ) from None
    unknown = sorted(
        {f"{{{f}}}" for f, spec, conv in fields if f not in PLACEHOLDERS or spec or conv}
    )
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. Use only %(known)s.")
            % {"unknown": " ".join(unknown), "known": " ".join(f"{{{p}}}" for p in PLACEHOLDERS)},
            code="unknown_placeholder",
        )
    if "name" not in {f for f, _spec, _conv in fields}:
        raise ValidationError(
            _("The body must contain {name}: it is where the trainee's name is printed."),
            code="no_name",
        )


def css_check(css: str) -> None:
    """The CSS goes inside the template's <style> element: it may not close it."""
    if "<" in (css or ""):
        raise ValidationError(
            _("The extra CSS may not contain “<”: write CSS rules only, no HTML."),
            code="css_html",
        )


def seal_check(upload) -> None:
    """The seal must really be a PNG of a sensible size, whatever its file name says."""
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    from PIL import Image, UnidentifiedImageError

    if upload.size > SEAL_MAX_BYTES:
        raise ValidationError(_("The seal image may be at most 5 MB."), code="seal_size")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind, width, height = None, 0, 0
    finally:
        upload.seek(position)
    if kind != "PNG":
        raise ValidationError(
            _("The seal must be a PNG image (this file is not one, whatever its name)."),
            code="seal_type",
        )
    if max(width, height) > SEAL_MAX_PIXELS:
        raise ValidationError(
            _("The seal image may be at most %(n)s pixels wide and high.") % {"n": SEAL_MAX_PIXELS},
            code="seal_pixels",
        )
