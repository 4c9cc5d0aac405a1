"""Certificates as PDF: HTML and CSS through WeasyPrint, Chinese in an embedded CJK font.

`render_one` is the plain way: one WeasyPrint document per certificate, which lays out
the page and subsets the CJK font (tens of thousands of glyphs) every time.

`render_many` is for bulk issue. Certificates of a class differ only in the name, the
number and the QR code, so it lays each group's page out once with those blank and
stamps them onto it (`stamping.py`): the text in a Type 3 font of just the glyphs used,
the QR code as squares. What cannot be stamped (a glyph missing from the font, a
template that puts the number in the body) is laid out by WeasyPrint as one document
per chunk, cut page by page. Every file is a standalone PDF with its fonts embedded.
"""

import base64
import contextlib
import datetime
import functools
import hashlib
import html
import io
import json
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from . import stamping
from .stamping import STAMPED, CannotStamp, field_html, font_file, outlines, qr_matrix
from .validation import PLACEHOLDERS

logger = logging.getLogger("lms.certificates")

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SEAL_FONT = FONT_DIR / "NotoSerifCJK-Bold.ttc"
CN_DIGITS = "〇一二三四五六七八九"
# A transparent pixel: the QR code's place in a layout that is stamped afterwards.
BLANK_IMAGE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4//8/AwAI/AL+eMSysAAAAABJRU5ErkJggg=="
)


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def chinese_date(day: datetime.date) -> str:
    """二〇二五年六月七日: how dates are written under a seal."""

    def small(n: int) -> str:
        if n < 10:
            return CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")

    year = "".join(CN_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{small(day.month)}月{small(day.day)}日"


def verify_url(code: str) -> str:
    base = getattr(settings, "CERTIFICATE_VERIFY_BASE_URL", settings.WAGTAILADMIN_BASE_URL)
    return base.rstrip("/") + reverse("certificates:verify", args=[code])


_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]+")


def verify_urls():
    """`verify_url` for many codes: one reverse() (about 0.1 ms a call) for all of them.

    Characters reverse() never quotes pass straight into the path; any other code goes
    through `verify_url` itself.
    """
    marker = "verifycodemarker"
    prefix, suffix = verify_url(marker).rsplit(marker, 1)

    def url(code: str) -> str:
        if _URL_SAFE.fullmatch(code):
            return prefix + code + suffix
        return verify_url(code)

    return url


def qr_data_uri(url: str) -> str:
    """The QR code as a one-pixel-per-module PNG, drawn unsmoothed (crisp squares) by CSS.

    Measured: an SVG of the same code costs WeasyPrint far more per page (it parses and
    draws every path), and the printed result is the same sharp square grid. The matrix
    is the one the stamped rendering draws (`stamping.qr_matrix`).
    """
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    from PIL import Image

    rows = qr_matrix(url)
    size = len(rows) + 2  # one module of light border, as before
    image = Image.new("L", (size, size), 255)
    dark = 0x22  # #222
    image.putdata(
        [
            dark if v else 255
            for row in [b"\0" * size] + [b"\0" + r + b"\0" for r in rows] + [b"\0" * size]
            for v in row
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def name_slot_em(name: str) -> int:
    """Width of the name's slot, in ems of the name: the name with room to spare.

    The name sits centred over a rule of this width, as on a printed form, so names of
    two, three or four characters leave the rest of the text where it is.
    """
    return max(4, len(name) + 1)


def body_paragraphs(body: str, snapshot: dict, *, blank: bool = False) -> list[str]:
    """The organiser's text, HTML-escaped, with the placeholders filled.

    Unknown placeholders stay visible as typed, so a mistake shows on the preview
    instead of failing the whole batch. `blank` leaves the name's slot empty and marked
    for stamping (see stamping.py).
    """
    e = html.escape
    values = _Blank({key: e(str(snapshot.get(key, ""))) for key in PLACEHOLDERS})
    name = snapshot.get("name", "")
    width = f"width: {name_slot_em(name)}em"
    if blank:
        values["name"] = _NameSlots(width)
    else:
        values["name"] = field_html("name", name, attrs=' class="name"', style=width)
    values["class"] = e(snapshot.get("class_name", ""))
    values["start"] = e(snapshot.get("start_cn", ""))
    values["end"] = e(snapshot.get("end_cn", ""))
    text = e(body or "", quote=False)
    # A stray "{" or "{0}" leaves the text as written rather than failing the batch.
    with contextlib.suppress(ValueError, IndexError):
        text = text.format_map(values)
    return [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]


class _NameSlots:
    """Each {name} in the body becomes its own empty, numbered slot."""

    def __init__(self, style: str):
        self.style, self.count = style, 0

    def __format__(self, spec):
        self.count += 1
        return field_html(
            "name", None, slot=f"name-{self.count}", attrs=' class="name"', style=self.style
        )


@functools.cache
def _seal_font_index() -> int:
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    from fontTools.ttLib import TTCollection

    for i, font in enumerate(TTCollection(str(SEAL_FONT)).fonts):
        if "SC" in font["name"].getDebugName(1):
            return i
    return 0


def default_seal_path(provider: str) -> Path:
    """A round red seal drawn for `provider` when the template has no uploaded seal.

    A stand-in so that a new installation prints a complete certificate; real providers
    upload the PNG of their own seal.
    """
    digest = hashlib.sha1(provider.encode()).hexdigest()[:12]
    path = seals_dir() / f"drawn-{digest}.png"
    if path.exists():
        return path
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    from PIL import Image, ImageDraw, ImageFont

    size, red = 600, (200, 16, 26, 235)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=18)
    # The star in the middle.
    r_out, r_in = 92, 36
    points = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = -math.pi / 2 + k * math.pi / 5
        points.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(points, fill=red)
    # The provider's name around the upper arc, each character upright to the rim.
    font = ImageFont.truetype(str(SEAL_FONT), 62, index=_seal_font_index())
    chars = list(provider)[:16] or ["印"]
    span = min(260.0, 30.0 * len(chars))
    radius = c - 92
    for i, ch in enumerate(chars):
        angle = -90 - span / 2 + span * (i + 0.5) / len(chars)
        tile = Image.new("RGBA", (90, 90), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((45, 45), ch, font=font, fill=red, anchor="mm")
        tile = tile.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(math.radians(angle)) - 45
        y = c + radius * math.sin(math.radians(angle)) - 45
        img.alpha_composite(tile, (int(x), int(y)))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def seal_uri(template, provider: str) -> str:
    if template.seal:
        return Path(template.seal.path).as_uri()
    return default_seal_path(provider).as_uri()


# The title is spaced out as on a printed certificate (字距 of about one character).
# Letter-spaced glyphs read as separate words to PDF text extraction ("结 业 证 书"), so
# the title is drawn as outlines at that spacing, and written once more as text in
# transparent ink with no gaps (each glyph as wide as a letter and its space), which is
# what search, copy and `pdftotext` read.
TITLE_FAMILY = "Noto Serif CJK SC"
TITLE_WEIGHT = 700
TITLE_SIZE_PT = 46
TITLE_SPACING_MM = 16
TITLE_COLOR = "#a3121b"  # as h1 in certificates/pdf/certificate.html
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class TitleDrawing:
    svg: str
    text_style: str


@functools.lru_cache(maxsize=32)
def title_drawing(title: str) -> TitleDrawing | None:
    """The title as SVG outlines plus the style of its transparent text, or None when the
    font lacks a glyph (the title is then set as letter-spaced text)."""
    title = title.strip()
    if not title:
        return None
    try:
        face = outlines(*font_file(TITLE_FAMILY, TITLE_WEIGHT, "normal"))
        glyphs = [face.glyph(ch) for ch in title]
    except (CannotStamp, OSError, ValueError):
        return None
    # Units of 1/1000 em, y up from the baseline; CSS "normal" line height of this font.
    ascent, descent = _line_metrics(face)
    spacing = TITLE_SPACING_MM * PT_PER_MM / TITLE_SIZE_PT * 1000
    paths, x = [], 0.0
    for i, (ops, advance, _bbox) in enumerate(glyphs):
        if i:
            x += spacing
        paths.append(f'<path transform="translate({x:.1f} 0)" d="{_svg_path(ops)}"/>')
        x += advance
    width, height = x, ascent + descent
    em = TITLE_SIZE_PT
    svg = (
        f'<svg class="title-drawing" aria-hidden="true" color="{TITLE_COLOR}" '
        f'width="{width / 1000 * em:.2f}pt" '
        f'height="{height / 1000 * em:.2f}pt" viewBox="0 {-ascent:.1f} {width:.1f} {height:.1f}">'
        f'<g transform="scale(1 -1)" fill="currentColor">{"".join(paths)}</g></svg>'
    )
    # The text: glyphs as wide as a letter plus its space, centred on the drawn ones.
    pitch = (width + spacing) / len(glyphs) / 1000 * em  # pt per character
    middle = (ascent - 380) / 1000 * em  # from the top, the middle of the drawn glyphs' em box
    text_top = middle - (ascent - 380) / 1000 * pitch  # same middle at the text's size
    style = f"font-size: {pitch:.2f}pt; top: {text_top:.2f}pt"
    return TitleDrawing(svg=mark_safe(svg), text_style=style)  # noqa: S308 (numbers only)


def _line_metrics(face) -> tuple[float, float]:
    hhea = face.font["hhea"]
    scale = 1000 / face.upm
    return hhea.ascent * scale, -hhea.descent * scale


_PDF_OP = re.compile(r"([-\d.]+(?:\s+[-\d.]+)*)?\s*([mlch])\b")


def _svg_path(ops: str) -> str:
    """PDF path operators (m, l, c, h) as an SVG path's data, same coordinates."""
    out = []
    for numbers, op in _PDF_OP.findall(ops):
        out.append({"m": "M", "l": "L", "c": "C", "h": "Z"}[op] + (numbers or "").strip())
    return "".join(out)


def page_context(certificate, *, blank: bool = False) -> dict:
    snap = certificate.snapshot
    return {
        "snap": snap,
        # Escaped piece by piece in body_paragraphs.
        "paragraphs": [
            mark_safe(p)  # noqa: S308
            for p in body_paragraphs(snap.get("body", ""), snap, blank=blank)
        ],
        "number": mark_safe(  # noqa: S308 (escaped by field_html)
            field_html("number", None if blank else snap.get("number", ""))
        ),
        "qr": BLANK_IMAGE if blank else qr_data_uri(verify_url(certificate.verification_code)),
        "seal": seal_uri(certificate.template, snap.get("provider", "")),
        "blank": blank,
        # A template whose CSS restyles the title keeps it as letter-spaced text.
        "title": None
        if "h1" in (certificate.template.extra_css or "")
        else title_drawing(snap.get("title", "")),
    }


def _html(template, certificates: Iterable, *, blank: bool = False) -> str:
    return render_to_string(
        "certificates/pdf/certificate.html",
        {"template": template, "pages": [page_context(c, blank=blank) for c in certificates]},
    )


def _document(html: str):
    """The certificate page for WeasyPrint: it may read the seals and nothing else on disk."""
    # Imported here: WeasyPrint is slow to import: loaded when a PDF is made.
    from lms.pdf import html_document

    return html_document(html, roots=[seals_dir()])


def seals_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "certificates" / "seals"


def render_one(certificate) -> bytes:
    """The plain way: one WeasyPrint document, one font subset, per certificate."""
    return _document(_html(certificate.template, [certificate])).write_pdf()


def render_many(certificates: list) -> list[bytes]:
    """Bulk rendering: each group laid out once and stamped (see the module docstring).

    Certificates that cannot be stamped go through `render_batch`. Raises if that
    fails; the caller then falls back to `render_one` per certificate to find the one
    at fault.
    """
    pdfs: list[bytes | None] = [None] * len(certificates)
    groups: dict[str, list[int]] = {}
    for i, certificate in enumerate(certificates):
        groups.setdefault(_layout_key(certificate), []).append(i)
    leftover = []
    url = verify_urls()
    for members in groups.values():
        try:
            layout = _layout(certificates[members[0]])
        except stamping.CannotStamp as exc:
            logger.info("certificates laid out one by one: %s", exc)
            leftover += members
            continue
        for i in members:
            certificate = certificates[i]
            try:
                pdfs[i] = stamping.stamp(
                    layout,
                    {field: certificate.snapshot.get(field, "") for field in stamping.STAMPED},
                    url(certificate.verification_code),
                )
            except stamping.CannotStamp as exc:
                logger.info("certificate %s laid out on its own: %s", certificate.number, exc)
                leftover.append(i)
    if leftover:
        for i, pdf in zip(leftover, render_batch([certificates[i] for i in leftover]), strict=True):
            pdfs[i] = pdf
    return pdfs


def _layout_key(certificate) -> str:
    """Certificates with equal keys share one layout: all but the stamped fields agree,
    and the template's CSS and seal are as they were."""
    snap = {k: v for k, v in certificate.snapshot.items() if k not in STAMPED}
    name_em = name_slot_em(certificate.snapshot.get("name", ""))
    template = certificate.template
    look = [template.pk, template.updated_at, template.extra_css, template.seal.name]
    return json.dumps([look, name_em, snap], sort_keys=True, default=str)


_LAYOUTS: dict[str, object] = {}  # the last few layouts: a class's chunks share them
_LAYOUTS_KEPT = 8


def _layout(certificate):
    """The page of `certificate`'s group with the stamped fields left blank."""
    key = _layout_key(certificate)
    layout = _LAYOUTS.get(key)
    if layout is None:
        layout = _layout_uncached(certificate)
        while len(_LAYOUTS) >= _LAYOUTS_KEPT:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))
        _LAYOUTS[key] = layout
    return layout


def _layout_uncached(certificate):
    if "{number}" in certificate.snapshot.get("body", ""):
        raise stamping.CannotStamp("the number is part of the body text")
    document = _document(_html(certificate.template, [certificate], blank=True)).render()
    if len(document.pages) != 1:
        raise stamping.CannotStamp("the layout does not fit on one page")
    layout = stamping.layout_from_document(document, document.write_pdf())
    fields = {slot.field for slot in layout.slots}
    if "number" not in fields or layout.qr is None:
        raise stamping.CannotStamp("the template hides the number or the QR code")
    return layout


def render_batch(certificates: list) -> list[bytes]:
    """One WeasyPrint document for the batch (one layout pass, one font subset), cut
    page by page. All certificates must share a template."""
    if not certificates:
        return []
    template = certificates[0].template
    document = _document(_html(template, certificates)).render()
    if len(document.pages) != len(certificates):
        raise ValueError(
            f"{len(document.pages)} pages for {len(certificates)} certificates: "
            "the layout does not fit on one page"
        )
    return split_pages(document.write_pdf())


def split_pages(pdf: bytes) -> list[bytes]:
    """One standalone PDF per page, each with only the fonts and images it uses.

    qpdf (pikepdf) copies the objects in C++ and prunes resources the page does not
    draw.
    """
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    import pikepdf

    out = []
    with pikepdf.open(io.BytesIO(pdf)) as source:
        for page in source.pages:
            target = pikepdf.new()
            target.pages.append(page)
            target.remove_unreferenced_resources()
            buffer = io.BytesIO()
            target.save(buffer)
            out.append(buffer.getvalue())
    return out
