"""Bulk certificates: lay the page out once, then stamp each trainee's details onto it.

Certificates of one class differ only in the trainee's name, the certificate number and
the verification QR code. WeasyPrint lays the page out once per group (same template,
same snapshot apart from those fields, same width of the name's slot) with the three
left blank; each certificate is then that page plus a few drawing operators:

- the name and number as text, in the font and style both renderings give them
  (`FIELD_STYLES`, written into the page as inline styles), embedded as a Type 3 font
  that holds exactly the glyphs this certificate uses, as vector outlines drawn by
  fontTools, with a ToUnicode map so the text can be searched and copied;
- the QR code as filled squares, which is how the plain rendering draws it too.

Where the slots are comes from WeasyPrint's public output only: every element with an
`id` is an anchor, and `Page.anchors` gives its border box. Each text slot holds two
empty, zero-sized inline blocks around its blank, so their anchors are points on the
baseline where the blank starts and ends. Nothing reads WeasyPrint's layout tree.

Each file stays a standalone PDF with its fonts embedded. A certificate whose text needs
a glyph the font lacks, or a template this path cannot reproduce, is left to the plain
WeasyPrint rendering by the caller; `tests/certificates/test_stamping.py` compares both.
"""

import functools
import html
import io
import re
import subprocess
import zlib
from dataclasses import dataclass

from fontTools.pens.basePen import BasePen

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px; PDF user space is in points
PT_PER_MM = 72 / 25.4
SLOT_ID = "stamp-{}"
# Fields that differ between the certificates of one layout group.
STAMPED = ("name", "number")
BLANK = "\u3000"  # an ideographic space keeps the slot's line box as a name would
_SLOT_ANCHOR = re.compile(r"stamp-(name|number)(?:-\d+)?")


@dataclass(frozen=True)
class FieldStyle:
    """How a stamped field is set, in both renderings.

    Written into the page as the field's inline style, which the template's extra CSS
    does not override, so the stamper knows the font without asking the layout.
    """

    family: str
    weight: int
    size_pt: float
    letter_spacing_mm: float
    color: str  # #rrggbb
    align: str  # "center": centred in its slot; "left": starts where the blank starts

    def css(self) -> str:
        css = (
            f"font-family: '{self.family}', serif; font-weight: {self.weight}; font-style: normal; "
            f"font-size: {self.size_pt}pt; letter-spacing: {self.letter_spacing_mm}mm; "
            f"color: {self.color}"
        )
        return css + ("; text-align: center" if self.align == "center" else "")

    @property
    def rgb(self) -> tuple[float, float, float]:
        return tuple(int(self.color[i : i + 2], 16) / 255 for i in (1, 3, 5))


FIELD_STYLES = {
    "name": FieldStyle("Noto Serif CJK SC", 700, 19, 0, "#2b1d14", "center"),
    "number": FieldStyle("Noto Serif CJK SC", 400, 10, 0.3, "#4a3a2e", "left"),
}
# Zero-sized inline blocks: their anchors are points on the baseline, and they take no
# room in the line (the plain rendering has none).
_MARK = (
    '<i id="{}" style="display: inline-block; width: 0; height: 0; margin: 0; '
    'padding: 0; border: 0"></i>'
)


def field_html(
    field: str, text: str | None, *, slot: str | None = None, attrs: str = "", style: str = ""
) -> str:
    """The span of a stamped field: `text` set in the field's style, or (text None) the
    blank slot `slot` with its two marks, for the layout that is stamped afterwards."""
    css = f"{style}; {FIELD_STYLES[field].css()}" if style else FIELD_STYLES[field].css()
    head = f'<span{attrs} style="{css}"'
    if text is not None:
        return f"{head}>{html.escape(text)}</span>"
    ident = SLOT_ID.format(slot or field)
    marks = _MARK.format(f"{ident}-a") + BLANK + _MARK.format(f"{ident}-b")
    return f'{head} id="{ident}">{marks}</span>'


class CannotStamp(Exception):
    """This certificate (or template) needs the plain rendering."""


# -- fonts ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def font_file(family: str, weight: int, style: str) -> tuple[str, int]:
    """The font file and face index fontconfig picks, as Pango does for WeasyPrint."""
    pattern = f"{family}:weight={_fc_weight(weight)}:slant={0 if style == 'normal' else 100}"
    out = subprocess.run(
        ["fc-match", "--format=%{file}\n%{index}", pattern],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout.split("\n")
    return out[0], int(out[1] or 0)


def _fc_weight(css_weight: int) -> int:
    # fontconfig's scale: 80 regular, 200 bold (CSS 400 and 700).
    return 80 if css_weight < 600 else 200


class Outlines:
    """Glyph outlines of one font face as PDF path operators, cached per character.

    fontTools reads the cmap, the advances (hmtx) and the outlines (CFF or glyf). Chinese
    needs no shaping: one character, one glyph, set at its advance (the layout is not
    kerned either). Drawing a CJK glyph's charstring costs under a millisecond, once per
    character and process.
    """

    def __init__(self, path: str, index: int):
        # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
        from fontTools.ttLib import TTFont

        self.font = TTFont(path, fontNumber=index, lazy=True)
        self.cmap = self.font.getBestCmap()
        self.glyphs = self.font.getGlyphSet()
        self.upm = self.font["head"].unitsPerEm
        self._cache: dict[str, tuple[str, float, tuple]] = {}
        self._procs: dict[str, bytes] = {}

    def has(self, text: str) -> bool:
        return all(ord(ch) in self.cmap for ch in text)

    def glyph(self, ch: str) -> tuple[str, float, tuple]:
        """(path operators in 1000-unit em space, advance, bbox) for one character."""
        cached = self._cache.get(ch)
        if cached is None:
            name = self.cmap.get(ord(ch))
            if name is None:
                raise CannotStamp(f"no glyph for {ch!r}")
            scale = 1000 / self.upm
            glyph = self.glyphs[name]
            pen = _PdfPen(self.glyphs, scale)
            glyph.draw(pen)
            xs, ys = pen.xs or [0], pen.ys or [0]
            ops, bbox = "".join(pen.ops), (min(xs), min(ys), max(xs), max(ys))
            cached = self._cache[ch] = (ops, glyph.width * scale, bbox)
        return cached

    def proc(self, ch: str) -> bytes:
        """The glyph's Type 3 procedure as a compressed stream's payload, made once."""
        payload = self._procs.get(ch)
        if payload is None:
            path, advance, (x0, y0, x1, y1) = self.glyph(ch)
            body = f"{advance:.1f} 0 {x0:.1f} {y0:.1f} {x1:.1f} {y1:.1f} d1\n{path}f"
            payload = self._procs[ch] = zlib.compress(body.encode("ascii"), 1)
        return payload

    def advance(self, text: str) -> float:
        return sum(self.glyph(ch)[1] for ch in text)


@functools.lru_cache(maxsize=8)
def outlines(path: str, index: int) -> Outlines:
    return Outlines(path, index)


class _PdfPen(BasePen):
    def __init__(self, glyph_set, scale):
        super().__init__(glyph_set)
        self.scale = scale
        self.ops: list[str] = []
        self.xs: list[float] = []
        self.ys: list[float] = []

    def _pt(self, pt):
        x, y = pt[0] * self.scale, pt[1] * self.scale
        self.xs.append(x)
        self.ys.append(y)
        return f"{x:.1f} {y:.1f}"

    def _moveTo(self, pt):
        self.ops.append(f"{self._pt(pt)} m\n")

    def _lineTo(self, pt):
        self.ops.append(f"{self._pt(pt)} l\n")

    def _curveToOne(self, p1, p2, p3):
        self.ops.append(f"{self._pt(p1)} {self._pt(p2)} {self._pt(p3)} c\n")

    def _closePath(self):
        self.ops.append("h\n")


# -- the layout of a group --------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    field: str
    x: float  # points from the left of the page: where the text starts, or its centre
    baseline: float  # points from the bottom of the page
    width: float  # points: the widest a centred text may be
    align: str  # "center" or "left"
    font: tuple[str, int]
    size: float  # points
    letter_spacing: float  # points
    color: tuple[float, float, float]


@dataclass(frozen=True)
class QrBox:
    x: float
    y: float  # bottom edge, points from the bottom of the page
    size: float


@dataclass(frozen=True)
class Background:
    """The laid-out page as a PDF with a classic cross-reference table, and what an
    incremental update needs to replace its page object (ISO 32000-1, 7.5.6)."""

    data: bytes
    page: int  # object number of the page
    page_entries: bytes  # the page dictionary's entries but /Contents and /Resources
    contents: bytes  # the page's content stream references, e.g. b"7 0 R"
    resource_entries: bytes  # the resources' entries but /Font
    font_entries: bytes  # the entries of the resources' /Font dictionary
    size: int
    trailer_entries: bytes  # /Root, /Info, /ID of the trailer
    startxref: int

    @classmethod
    def from_pdf(cls, pdf_bytes: bytes) -> "Background":
        # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
        import pikepdf

        with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
            out = io.BytesIO()
            # Classic xref table, no object streams: an update can then be appended as text.
            pdf.save(
                out,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                compress_streams=True,
                deterministic_id=True,
            )
        with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
            page = pdf.pages[0].obj
            resources = page.get("/Resources", pikepdf.Dictionary())
            fonts = resources.get("/Font", pikepdf.Dictionary())
            contents = page.get("/Contents")
            refs = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            trailer = pdf.trailer
            data = out.getvalue()
            return cls(
                data=data,
                page=page.objgen[0],
                page_entries=_entries(page, skip=("/Contents", "/Resources")),
                contents=b" ".join(ref.unparse() for ref in refs if ref is not None),
                resource_entries=_entries(resources, skip=("/Font",)),
                font_entries=_entries(fonts),
                size=int(trailer.Size),
                trailer_entries=_entries(trailer, keep=("/Root", "/Info", "/ID")),
                startxref=int(data[data.rindex(b"startxref") + 9 :].split()[0]),
            )


def _entries(dictionary, *, skip=(), keep=None) -> bytes:
    parts = []
    for key in list(dictionary):
        if key in skip or (keep is not None and key not in keep):
            continue
        parts.append(key.encode("ascii") + b" " + dictionary.get(key).unparse())
    return b" ".join(parts)


@dataclass(frozen=True)
class Layout:
    background: Background
    slots: tuple[Slot, ...]
    qr: QrBox | None


def layout_from_document(document, background: bytes) -> Layout:
    """Where WeasyPrint put the blank slots and the QR code on the first page.

    Read from `Page.anchors` (name -> border box (x1, y1, x2, y2) in CSS px from the
    top left, in WeasyPrint 70), the public record of where each element with an id is.
    """
    page = document.pages[0]
    anchors = page.anchors
    slots = []
    for ident, (left, _top, right, _bottom) in anchors.items():
        match = _SLOT_ANCHOR.fullmatch(ident)
        if match is None:
            continue
        field = match[1]
        start, end = anchors.get(f"{ident}-a"), anchors.get(f"{ident}-b")
        if start is None or end is None or abs(start[1] - end[1]) > 0.01:
            raise CannotStamp(f"{ident}: its marks are missing or not on one line")
        style = FIELD_STYLES[field]
        size = style.size_pt
        spacing = style.letter_spacing_mm * PT_PER_MM
        font = font_file(style.family, style.weight, "normal")
        # The blank between the marks is as wide as the field's style makes it, unless
        # something (a stylesheet's !important) set the slot in another size.
        blank = (end[0] - start[0]) * PX_TO_PT
        if abs(blank - (outlines(*font).advance(BLANK) * size / 1000 + spacing)) > 0.05:
            raise CannotStamp(f"{ident}: not set in the field's style")
        centred = style.align == "center"
        slots.append(
            Slot(
                field=field,
                x=(start[0] + end[0]) / 2 * PX_TO_PT if centred else start[0] * PX_TO_PT,
                baseline=(page.height - start[1]) * PX_TO_PT,
                width=(right - left) * PX_TO_PT,
                align=style.align,
                font=font,
                size=size,
                letter_spacing=spacing,
                color=style.rgb,
            )
        )
    qr = None
    if "stamp-qr" in anchors:
        left, top, right, bottom = anchors["stamp-qr"]
        qr = QrBox(
            x=left * PX_TO_PT,
            y=(page.height - bottom) * PX_TO_PT,
            size=(right - left) * PX_TO_PT,
        )
    return Layout(background=Background.from_pdf(background), slots=tuple(slots), qr=qr)


# -- one certificate --------------------------------------------------------------------


def check(layout: Layout, values: dict[str, str]) -> None:
    """Raise CannotStamp unless every value fits its slot in a font that has its glyphs."""
    for slot in layout.slots:
        text = values.get(slot.field, "")
        face = outlines(*slot.font)
        if not face.has(text):
            raise CannotStamp(f"{slot.field}: glyph missing")
        if slot.align == "center":
            width = face.advance(text) * slot.size / 1000 + slot.letter_spacing * len(text)
            if width > slot.width + 0.5:
                raise CannotStamp(f"{slot.field}: wider than its slot")


def stamp(layout: Layout, values: dict[str, str], qr_url: str | None) -> bytes:
    """The background page with `values` written in their slots and the QR code drawn.

    Written as an incremental update appended to the background: new objects for the
    drawing and its fonts, and a new version of the page object that draws them after
    its own content. No PDF is parsed or rewritten per certificate.
    """
    check(layout, values)
    ops = []
    fonts: dict[tuple[str, int], _Type3] = {}
    for slot in layout.slots:
        text = values.get(slot.field, "")
        if not text:
            continue
        if slot.font not in fonts:
            fonts[slot.font] = _Type3(outlines(*slot.font), f"/Stamp{len(fonts)}")
        font = fonts[slot.font]
        codes = font.encode(text)
        width = font.face.advance(text) * slot.size / 1000 + slot.letter_spacing * len(text)
        # Centred on the slot's middle. Left-aligned, Pango starts letter-spaced text one
        # spacing left of its box (measured against WeasyPrint's own drawing; test_stamping
        # compares the two pixel by pixel).
        x = slot.x - width / 2 if slot.align == "center" else slot.x - slot.letter_spacing
        r, g, b = slot.color[:3]
        ops.append(
            f"BT {r:.3f} {g:.3f} {b:.3f} rg {font.name} {slot.size:.2f} Tf "
            f"{slot.letter_spacing:.3f} Tc {x:.2f} {slot.baseline:.2f} Td "
            f"<{codes.hex()}> Tj ET\n"
        )
    if layout.qr and qr_url:
        ops.append(_qr_ops(layout.qr, qr_url))

    bg = layout.background
    update = _Update(bg.size)
    # The layout's own drawing leaves its coordinate system flipped: isolate it.
    save_state = update.stream(b"q")
    drawing = update.stream(("Q q\n" + "".join(ops) + "Q").encode("ascii"), compress=True)
    font_refs = b" ".join(
        font.name.encode("ascii") + b" " + font.write(update) for font in fonts.values()
    )
    resources = update.add(
        b"<< "
        + bg.resource_entries
        + b" /Font << "
        + bg.font_entries
        + b" "
        + font_refs
        + b" >> >>"
    )
    update.replace(
        bg.page,
        b"<< "
        + bg.page_entries
        + b" /Contents [ "
        + save_state
        + b" "
        + bg.contents
        + b" "
        + drawing
        + b" ] /Resources "
        + resources
        + b" >>",
    )
    return update.written_after(bg)


class _Update:
    """The objects of one incremental update, numbered on from the background's."""

    def __init__(self, size: int):
        self.next = size
        self.objects: list[tuple[int, bytes]] = []

    def add(self, body: bytes) -> bytes:
        number = self.next
        self.next += 1
        self.objects.append((number, body))
        return b"%d 0 R" % number

    def replace(self, number: int, body: bytes) -> None:
        self.objects.append((number, body))

    def stream(self, payload: bytes, *, compress: bool = False, extra: bytes = b"") -> bytes:
        if compress:
            payload = zlib.compress(payload, 1)  # small streams: speed over the last bytes
            extra += b" /Filter /FlateDecode"
        return self.add(
            b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(payload), extra, payload)
        )

    def written_after(self, bg: "Background") -> bytes:
        """The background's bytes, then this update: objects, xref section, trailer.

        The tail is built on its own and joined to the background once: a certificate's
        300 KB are copied one time, not at every object appended.
        """
        head = bg.data if bg.data.endswith(b"\n") else bg.data + b"\n"
        tail = bytearray()
        offsets = {}
        for number, body in self.objects:
            offsets[number] = len(head) + len(tail)
            tail += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(head) + len(tail)
        tail += b"xref\n"
        numbers = sorted(offsets)
        run: list[int] = []
        for number in [*numbers, None]:
            if run and (number is None or number != run[-1] + 1):
                tail += b"%d %d\n" % (run[0], len(run))
                for n in run:
                    tail += b"%010d 00000 n \n" % offsets[n]
                run = []
            if number is not None:
                run.append(number)
        tail += b"trailer\n<< /Size %d %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            self.next,
            bg.trailer_entries,
            bg.startxref,
            xref,
        )
        return head + tail


class _Type3:
    """A Type 3 font with just the glyphs one certificate draws."""

    def __init__(self, face: Outlines, name: str):
        self.face = face
        self.name = name
        self.chars: list[str] = []

    def encode(self, text: str) -> bytes:
        codes = bytearray()
        for ch in text:
            if ch not in self.chars:
                if len(self.chars) >= 255:
                    raise CannotStamp("more than 255 distinct characters")
                self.chars.append(ch)
            codes.append(self.chars.index(ch) + 1)
        return bytes(codes)

    def write(self, update: _Update) -> bytes:
        procs, widths, names = [], [], []
        box = [0.0, 0.0, 0.0, 0.0]
        for i, ch in enumerate(self.chars, start=1):
            _path, advance, (x0, y0, x1, y1) = self.face.glyph(ch)
            box = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
            proc = update.stream(self.face.proc(ch), extra=b" /Filter /FlateDecode")
            procs.append(b"/g%d %s" % (i, proc))
            widths.append(b"%.1f" % advance)
            names.append(b"/g%d" % i)
        to_unicode = update.stream(_to_unicode(self.chars))
        return update.add(
            b"<< /Type /Font /Subtype /Type3 /FontBBox [ %s ] /FontMatrix [ 0.001 0 0 0.001 0 0 ]"
            b" /CharProcs << %s >> /Encoding << /Type /Encoding /Differences [ 1 %s ] >>"
            b" /FirstChar 1 /LastChar %d /Widths [ %s ] /Resources << >> /ToUnicode %s >>"
            % (
                " ".join(f"{v:.1f}" for v in box).encode("ascii"),
                b" ".join(procs),
                b" ".join(names),
                len(self.chars),
                b" ".join(widths),
                to_unicode,
            )
        )


def _to_unicode(chars: list[str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <01> <FF> endcodespacerange",
        f"{len(chars)} beginbfchar",
    ]
    for i, ch in enumerate(chars, start=1):
        utf16 = ch.encode("utf-16-be").hex().upper()
        lines.append(f"<{i:02X}> <{utf16}>")
    lines += ["endbfchar", "endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(lines).encode("ascii")


def qr_matrix(url: str) -> list[bytes]:
    """The QR code of `url` (error correction M) as rows of 1 (dark) and 0 (light).

    zxing-cpp encodes in C++ and picks the mask pattern by the standard's penalty rules,
    in a couple of milliseconds; a pure-Python encoder spends tens of milliseconds on
    the mask alone, more than everything else a stamped certificate costs.
    """
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    import zxingcpp

    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[1]
    pixels = bytes(memoryview(image)).translate(_DARK_IS_ONE)
    return [pixels[r * size : (r + 1) * size] for r in range(image.shape[0])]


_DARK_IS_ONE = bytes(1 if v < 128 else 0 for v in range(256))


_DARK_RUN = re.compile(rb"\x01+")


def _qr_ops(box: QrBox, url: str) -> str:
    """The QR code as squares: a light ground with one module of quiet zone, dark runs.

    Squares rather than a 1-bit image mask: rasterisers snap an upscaled mask's rows to
    whole pixels (poppler at 100 dpi puts module centres a row off), squares land where
    they are drawn. The numbers are formatted once per layout (`_qr_grid`).
    """
    rows = qr_matrix(url)
    xs, ys, widths, ground = _qr_grid(box, len(rows))
    stride = len(rows) + 1  # the rows joined by a light separator: one pass finds every run
    ops = [
        xs[(start := run.start()) % stride] + ys[start // stride] + widths[run.end() - start]
        for run in _DARK_RUN.finditer(b"\x00".join(rows))
    ]
    return ground + "".join(ops) + "f\n"


@functools.lru_cache(maxsize=8)
def _qr_grid(box: QrBox, size: int) -> tuple[list[str], list[str], list[str], str]:
    """The operands of `_qr_ops` for a code of `size` modules in `box`: each column's x,
    each row's y, each run length's width and height, and the light ground."""
    n = size + 2  # the plain rendering's PNG has a one-module border
    module = box.size / n
    xs = [f"{box.x + (c + 1) * module:.3f}" for c in range(size)]
    ys = [f" {box.y + box.size - (r + 2) * module:.3f} " for r in range(size)]
    widths = [f"{k * module:.3f} {module:.3f} re\n" for k in range(size + 1)]
    ground = (
        f"1 1 1 rg {box.x:.3f} {box.y:.3f} {box.size:.3f} {box.size:.3f} re f\n"
        "0.133 0.133 0.133 rg\n"  # #222, the plain rendering's dark colour
    )
    return xs, ys, widths, ground
