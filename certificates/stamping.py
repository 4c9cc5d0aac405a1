"""Bulk certificates: lay the page out once, then stamp each trainee's details onto it.

Certificates of one class differ only in the trainee's name, the certificate number and
the verification QR code. WeasyPrint lays the page out once per group (same template,
same snapshot apart from those fields, same width of the name's slot) with the three
left blank; each certificate is then that page plus a few drawing operators:

- the name and number as text, in the font the layout chose for them (found with
  fontconfig from the computed style), embedded as a Type 3 font that holds exactly the
  glyphs this certificate uses, as vector outlines, with a ToUnicode map so the text
  can be searched and copied;
- the QR code as filled squares, which is how the plain rendering draws it too.

Each file stays a standalone PDF with its fonts embedded. A certificate whose text needs
a glyph the font lacks, or a template this path cannot reproduce, is left to the plain
WeasyPrint rendering by the caller; `tests/certificates/test_stamping.py` compares both.
"""

import functools
import io
import logging
import re
import subprocess
import threading
import zlib
from dataclasses import dataclass

logger = logging.getLogger("lms.certificates")

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px; PDF user space is in points
SLOT_ID = "stamp-{}"
# Fields that differ between the certificates of one layout group.
STAMPED = ("name", "number")
BLANK = "\u3000"  # an ideographic space keeps the slot's line box as a name would


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

    HarfBuzz (the library WeasyPrint shapes with) draws the outlines: fontTools runs the
    CFF charstrings in Python, about 1.2 ms a CJK glyph against 0.1 ms. fontTools reads
    the cmap and advances, and draws the outlines where HarfBuzz cannot be loaded.
    """

    def __init__(self, path: str, index: int):
        # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
        from fontTools.ttLib import TTFont

        self.font = TTFont(path, fontNumber=index, lazy=True)
        self.cmap = self.font.getBestCmap()
        self.glyphs = self.font.getGlyphSet()
        self.upm = self.font["head"].unitsPerEm
        self._hb = _HarfBuzzOutlines.open(path, index)
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
            if self._hb is not None:
                ops, bbox = self._hb.draw(self.font.getGlyphID(name), scale)
            else:
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


def _pen_base():
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    from fontTools.pens.basePen import BasePen

    return BasePen


class _PdfPen(_pen_base()):
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


_HB_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_font_t hb_font_t;
typedef struct hb_draw_funcs_t hb_draw_funcs_t;
typedef struct hb_draw_state_t hb_draw_state_t;
typedef uint32_t hb_codepoint_t;
typedef void (*hb_destroy_func_t) (void *user_data);
typedef void (*hb_draw_move_to_func_t) (hb_draw_funcs_t *, void *, hb_draw_state_t *,
    float, float, void *);
typedef void (*hb_draw_line_to_func_t) (hb_draw_funcs_t *, void *, hb_draw_state_t *,
    float, float, void *);
typedef void (*hb_draw_quadratic_to_func_t) (hb_draw_funcs_t *, void *, hb_draw_state_t *,
    float, float, float, float, void *);
typedef void (*hb_draw_cubic_to_func_t) (hb_draw_funcs_t *, void *, hb_draw_state_t *,
    float, float, float, float, float, float, void *);
typedef void (*hb_draw_close_path_func_t) (hb_draw_funcs_t *, void *, hb_draw_state_t *,
    void *);
hb_blob_t *hb_blob_create_from_file (const char *file_name);
unsigned int hb_blob_get_length (hb_blob_t *blob);
void hb_blob_destroy (hb_blob_t *blob);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
unsigned int hb_face_get_upem (const hb_face_t *face);
void hb_face_destroy (hb_face_t *face);
hb_font_t *hb_font_create (hb_face_t *face);
void hb_font_set_scale (hb_font_t *font, int x_scale, int y_scale);
void hb_font_destroy (hb_font_t *font);
hb_draw_funcs_t *hb_draw_funcs_create (void);
void hb_draw_funcs_set_move_to_func (hb_draw_funcs_t *, hb_draw_move_to_func_t, void *,
    hb_destroy_func_t);
void hb_draw_funcs_set_line_to_func (hb_draw_funcs_t *, hb_draw_line_to_func_t, void *,
    hb_destroy_func_t);
void hb_draw_funcs_set_quadratic_to_func (hb_draw_funcs_t *, hb_draw_quadratic_to_func_t,
    void *, hb_destroy_func_t);
void hb_draw_funcs_set_cubic_to_func (hb_draw_funcs_t *, hb_draw_cubic_to_func_t, void *,
    hb_destroy_func_t);
void hb_draw_funcs_set_close_path_func (hb_draw_funcs_t *, hb_draw_close_path_func_t, void *,
    hb_destroy_func_t);
void hb_draw_funcs_make_immutable (hb_draw_funcs_t *);
void hb_font_draw_glyph (hb_font_t *, hb_codepoint_t, hb_draw_funcs_t *, void *);
void hb_font_get_glyph_shape (hb_font_t *, hb_codepoint_t, hb_draw_funcs_t *, void *);
"""


class _HarfBuzzOutlines:
    """One face's outlines drawn by HarfBuzz through cffi, in font units scaled by the
    caller. The points (control points too) bound the glyph, as fontTools' pen does."""

    @classmethod
    def open(cls, path: str, index: int) -> "_HarfBuzzOutlines | None":
        try:
            return cls(path, index)
        except (ImportError, OSError, AttributeError) as exc:
            logger.info("glyph outlines through fontTools: %s", exc)
            return None

    def __init__(self, path: str, index: int):
        lib, ffi, funcs, sink, _callbacks = _harfbuzz()
        draw = getattr(lib, "hb_font_draw_glyph", None) or lib.hb_font_get_glyph_shape
        blob = lib.hb_blob_create_from_file(path.encode())  # mapped, not read
        try:
            if not lib.hb_blob_get_length(blob):
                raise OSError(f"HarfBuzz cannot read {path}")
            face = lib.hb_face_create(blob, index)
            font = lib.hb_font_create(face)  # holds the face, which holds the blob
            upem = lib.hb_face_get_upem(face)
            lib.hb_font_set_scale(font, upem, upem)  # coordinates in font units
            lib.hb_face_destroy(face)
        finally:
            lib.hb_blob_destroy(blob)
        self._font = ffi.gc(font, lib.hb_font_destroy)
        self._ffi, self._funcs, self._sink, self._draw = ffi, funcs, sink, draw

    def draw(self, glyph_id: int, scale: float) -> tuple[str, tuple]:
        formats, coords = self._sink
        with _HB_LOCK:  # cffi lets go of the GIL in C: one glyph at a time into the sink
            formats.clear()
            coords.clear()
            self._draw(self._font, glyph_id, self._funcs, self._ffi.NULL)
            formats, coords = list(formats), list(coords)
        if not coords:
            return "", (0, 0, 0, 0)
        if scale != 1:
            coords[:] = [v * scale for v in coords]
        xs, ys = coords[0::2], coords[1::2]
        return "".join(formats) % tuple(coords), (min(xs), min(ys), max(xs), max(ys))


_HB_LOCK = threading.Lock()


@functools.cache
def _harfbuzz():
    """HarfBuzz's draw callbacks, set up once per process; they fill one shared list
    (glyphs are drawn one at a time, under the GIL)."""
    # Imported here: PDF, font and image libraries are slow to import: loaded on first use.
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_HB_CDEF)
    lib = ffi.dlopen("libharfbuzz.so.0")
    # One glyph's operators as a format string and its coordinates, filled in at once.
    formats: list[str] = []
    coords: list[float] = []
    sink = (formats, coords)
    add, extend = formats.append, coords.extend
    last = [0.0, 0.0]  # the current point, for quadratic curves (TrueType outlines)

    @ffi.callback("hb_draw_move_to_func_t")
    def move_to(_f, _d, _s, x, y, _u):
        add("%.1f %.1f m\n")
        extend((x, y))
        last[:] = x, y

    @ffi.callback("hb_draw_line_to_func_t")
    def line_to(_f, _d, _s, x, y, _u):
        add("%.1f %.1f l\n")
        extend((x, y))
        last[:] = x, y

    @ffi.callback("hb_draw_quadratic_to_func_t")
    def quadratic_to(_f, _d, _s, cx, cy, x, y, _u):
        x0, y0 = last
        add("%.1f %.1f %.1f %.1f %.1f %.1f c\n")
        extend(
            (x0 + (cx - x0) * 2 / 3, y0 + (cy - y0) * 2 / 3, x + (cx - x) * 2 / 3)
            + (y + (cy - y) * 2 / 3, x, y)
        )
        last[:] = x, y

    @ffi.callback("hb_draw_cubic_to_func_t")
    def cubic_to(_f, _d, _s, x1, y1, x2, y2, x, y, _u):
        add("%.1f %.1f %.1f %.1f %.1f %.1f c\n")
        extend((x1, y1, x2, y2, x, y))
        last[:] = x, y

    @ffi.callback("hb_draw_close_path_func_t")
    def close_path(_f, _d, _s, _u):
        add("h\n")

    funcs = lib.hb_draw_funcs_create()
    lib.hb_draw_funcs_set_move_to_func(funcs, move_to, ffi.NULL, ffi.NULL)
    lib.hb_draw_funcs_set_line_to_func(funcs, line_to, ffi.NULL, ffi.NULL)
    lib.hb_draw_funcs_set_quadratic_to_func(funcs, quadratic_to, ffi.NULL, ffi.NULL)
    lib.hb_draw_funcs_set_cubic_to_func(funcs, cubic_to, ffi.NULL, ffi.NULL)
    lib.hb_draw_funcs_set_close_path_func(funcs, close_path, ffi.NULL, ffi.NULL)
    lib.hb_draw_funcs_make_immutable(funcs)
    # The callbacks must outlive the C side's pointers to them: the cache keeps them.
    callbacks = (move_to, line_to, quadratic_to, cubic_to, close_path)
    return lib, ffi, funcs, sink, callbacks


# -- the layout of a group --------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    field: str
    x: float  # points from the left of the page: the slot's content box
    baseline: float  # points from the bottom of the page
    width: float  # points
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
    """Where WeasyPrint put the blank slots and the QR code on the first page."""
    page = document.pages[0]
    height_pt = page.height * PX_TO_PT
    slots, qr = [], None
    for box in _descendants(page._page_box):
        element = getattr(box, "element", None)
        ident = element.get("id", "") if element is not None and hasattr(element, "get") else ""
        if not ident.startswith("stamp-"):
            continue
        field = ident.removeprefix("stamp-").split("-")[0]
        if field == "qr":
            if type(box).__name__.endswith("ReplacedBox") and qr is None:
                qr = QrBox(
                    x=box.content_box_x() * PX_TO_PT,
                    y=height_pt - (box.content_box_y() + box.height) * PX_TO_PT,
                    size=box.width * PX_TO_PT,
                )
            continue
        text_box = next(
            (b for b in _descendants(box) if type(b).__name__ == "TextBox"),
            box if type(box).__name__ == "TextBox" else None,
        )
        container = box if type(box).__name__ == "InlineBlockBox" else None
        if text_box is None or (container is None and type(box).__name__ != "InlineBox"):
            continue
        style = text_box.style
        weight = style["font_weight"]
        weight = 700 if weight == "bold" else 400 if weight == "normal" else int(weight)
        color = style["color"]
        spacing = style["letter_spacing"]
        spacing = 0 if spacing == "normal" else float(spacing)
        x = (container or text_box).content_box_x()
        width = container.width if container else text_box.width
        slots.append(
            Slot(
                field=field,
                x=x * PX_TO_PT,
                baseline=height_pt - (text_box.position_y + text_box.baseline) * PX_TO_PT,
                width=width * PX_TO_PT,
                align="center" if container and style["text_align_all"] == "center" else "left",
                font=font_file(style["font_family"][0], weight, style["font_style"]),
                size=style["font_size"] * PX_TO_PT,
                letter_spacing=spacing * PX_TO_PT,
                color=tuple(color.to("srgb").coordinates),
            )
        )
    seen, unique = set(), []
    for slot in slots:  # an inline-block is found as its own box and through its lines
        key = (slot.field, round(slot.x), round(slot.baseline))
        if key not in seen:
            seen.add(key)
            unique.append(slot)
    return Layout(background=Background.from_pdf(background), slots=tuple(unique), qr=qr)


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


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
        if slot.align == "center":
            x = slot.x + (slot.width - width) / 2
        else:
            # Pango starts letter-spaced text one spacing left of its box (measured against
            # WeasyPrint's own drawing; test_stamping compares the two pixel by pixel).
            x = slot.x - slot.letter_spacing
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
