"""Bulk rendering stamps names, numbers and QR codes onto one layout; it must print the
same certificate as laying every page out on its own, and step aside when it cannot."""

import io
import subprocess

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader

from certificates import rendering, stamping
from certificates.services import certificate_issue
from tests.certificates.factories import closed_class
from tests.factories import UserFactory

DPI = 100


def _png(pdf: bytes, tmp_path, stem: str) -> Image.Image:
    source = tmp_path / f"{stem}.pdf"
    source.write_bytes(pdf)
    run = subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", source, tmp_path / stem],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "Error" not in run.stderr, run.stderr  # poppler reads the file without repairs
    return Image.open(tmp_path / f"{stem}.png").convert("L")


def _fonts(pdf: bytes) -> dict[str, str]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return {
        str(key): str(font.get_object()["/Subtype"])
        for key, font in page["/Resources"]["/Font"].items()
    }


@pytest.fixture
def certificates(world):
    people = [
        UserFactory(full_name="欧阳明慧"),
        UserFactory(full_name="李强"),
        UserFactory(full_name="阿卜杜热合曼·买买提"),
    ]
    klass = closed_class(world, people, name="信阳市乡镇（街道）党（工）委书记能力提升培训班")
    return [
        certificate_issue(actor=world.organiser, training_class=klass, trainee=p)[0] for p in people
    ]


def test_a_stamped_certificate_prints_like_one_laid_out_on_its_own(certificates, tmp_path):
    stamped = rendering.render_many(certificates)
    for i, (certificate, pdf) in enumerate(zip(certificates, stamped, strict=True)):
        assert "/Type3" in _fonts(pdf).values()  # it really was stamped
        with pikepdf.open(io.BytesIO(pdf)) as parsed:
            assert parsed.check_pdf_syntax() == []  # qpdf finds the appended update sound
        plain = rendering.render_one(certificate)
        a, b = _png(pdf, tmp_path, f"s{i}"), _png(plain, tmp_path, f"p{i}")
        assert a.size == b.size
        # The QR code is compared module by module below: the plain rendering draws it
        # as an image, whose edges a rasteriser snaps differently from squares.
        qr = rendering._layout(certificate).qr
        scale = DPI / 72
        qr_box = (
            int(qr.x * scale) - 2,
            int(a.size[1] - (qr.y + qr.size) * scale) - 2,
            int((qr.x + qr.size) * scale) + 2,
            int(a.size[1] - qr.y * scale) + 2,
        )
        a.paste(255, qr_box)
        b.paste(255, qr_box)
        difference = ImageChops.difference(a, b)
        # Anti-aliasing at glyph and module edges differs by a pixel here and there; a
        # misplaced name, number or QR code would move whole blocks of ink.
        assert ImageStat.Stat(difference).mean[0] < 1.0
        assert sum(difference.point(lambda v: 255 if v > 128 else 0).histogram()[255:]) < 100
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert certificate.snapshot["name"] in text
        assert certificate.number in text.replace(" ", "")


def test_the_stamped_qr_code_is_the_certificates_own(certificates, tmp_path):
    import zxingcpp

    certificate = certificates[0]
    url = rendering.verify_url(certificate.verification_code)
    pdf = rendering.render_many([certificate])[0]
    layout = rendering._layout(certificate)
    image = _png(pdf, tmp_path, "qr")
    # Read by a QR decoder from the printed page, as a phone would.
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [url]
    # And module by module against the matrix, at each module's centre.
    matrix = stamping.qr_matrix(url)
    scale, height = DPI / 72, image.size[1]
    module = layout.qr.size / (len(matrix) + 2)
    wrong = 0
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            x = (layout.qr.x + (c + 1.5) * module) * scale
            y = height - (layout.qr.y + layout.qr.size - (r + 1.5) * module) * scale
            wrong += (image.getpixel((int(x), int(y))) < 128) != bool(dark)
    assert wrong == 0


def test_each_file_carries_only_its_own_names_glyphs(certificates):
    pdfs = rendering.render_many(certificates)
    reader = PdfReader(io.BytesIO(pdfs[1]))  # 李强
    type3 = [
        f.get_object()
        for f in reader.pages[0]["/Resources"]["/Font"].values()
        if f.get_object()["/Subtype"] == "/Type3"
    ]
    glyphs = sum(len(f["/CharProcs"]) for f in type3)
    assert glyphs == len(set("李强" + certificates[1].number))


def test_a_name_the_font_cannot_draw_is_laid_out_by_weasyprint(world, tmp_path):
    person = UserFactory(full_name="王\U000f0001")  # a private-use character: no glyph
    other = UserFactory(full_name="张伟")
    klass = closed_class(world, [person, other])
    certs = [
        certificate_issue(actor=world.organiser, training_class=klass, trainee=p)[0]
        for p in (person, other)
    ]
    pdfs = rendering.render_many(certs)
    assert "/Type3" not in _fonts(pdfs[0]).values()
    assert "/Type3" in _fonts(pdfs[1]).values()
    assert len(PdfReader(io.BytesIO(pdfs[0])).pages) == 1


def test_a_body_that_shows_the_number_is_laid_out_by_weasyprint(world):
    from certificates.services import certificate_template_default

    template = certificate_template_default()
    template.body = "{name}同志，证书编号{number}，特发此证。"
    template.save()
    person = UserFactory(full_name="刘洋")
    klass = closed_class(world, [person])
    certificate = certificate_issue(actor=world.organiser, training_class=klass, trainee=person)[0]
    with pytest.raises(stamping.CannotStamp):
        rendering._layout(certificate)
    pdf = rendering.render_many([certificate])[0]
    assert "/Type3" not in _fonts(pdf).values()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace(" ", "")
    assert certificate.number in text


def test_the_slots_are_read_from_weasyprints_public_anchors(certificates):
    """Page.anchors, width and height are all the stamper asks of the laid-out page."""
    from types import SimpleNamespace

    certificate = certificates[1]
    html = rendering._html(certificate.template, [certificate], blank=True)
    document = rendering._document(html).render()
    page = document.pages[0]
    public = SimpleNamespace(
        pages=[SimpleNamespace(anchors=page.anchors, width=page.width, height=page.height)]
    )
    layout = stamping.layout_from_document(public, document.write_pdf())
    assert [slot.field for slot in layout.slots] == ["name", "number"]
    name, number = layout.slots
    assert name.align == "center" and number.align == "left"
    assert layout.qr is not None
    assert layout.slots == rendering._layout(certificate).slots


def test_extra_css_does_not_restyle_the_stamped_fields(certificates, tmp_path):
    """The stamped fields' style (and the QR code's box) is inline in both renderings:
    extra CSS changes neither."""
    certificate = certificates[1]
    before = _png(rendering.render_one(certificate), tmp_path, "before")
    certificate.template.extra_css = (
        ".name { color: red; font-family: sans-serif; font-style: italic; font-weight: 400;"
        " font-size: 30pt; letter-spacing: 2mm; }"
        ".meta .qr { padding: 2mm; border: 1mm solid red; }"
    )
    after = _png(rendering.render_one(certificate), tmp_path, "after")
    assert ImageChops.difference(before, after).getbbox() is None
    assert "/Type3" in _fonts(rendering.render_many([certificate])[0]).values()


def test_a_slot_forced_into_another_size_is_laid_out_by_weasyprint(certificates):
    certificate = certificates[1]
    certificate.template.extra_css = ".name { font-size: 30pt !important; }"
    with pytest.raises(stamping.CannotStamp):
        rendering._layout(certificate)
    pdf = rendering.render_many([certificate])[0]
    assert "/Type3" not in _fonts(pdf).values()
    assert certificate.snapshot["name"] in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_glyphs_are_the_fonts_own_outlines_at_its_advances():
    """fontTools draws the stamped glyphs: closed contours inside the glyph's box, the
    advance of hmtx, and distinct shapes for distinct characters."""
    from fontTools.ttLib import TTFont

    path, index = stamping.font_file("Noto Serif CJK SC", 700, "normal")
    face = stamping.Outlines(path, index)
    font = TTFont(path, fontNumber=index, lazy=True)
    hmtx, cmap, upm = font["hmtx"], font.getBestCmap(), font["head"].unitsPerEm
    drawn = {}
    for ch in "欧阳明慧李强阿卜杜热合曼·买提龚馥筠XY-2025-0123456789":
        ops, advance, (x0, y0, x1, y1) = face.glyph(ch)
        assert ops.count(" c\n") + ops.count(" l\n") > 2, ch  # really drawn
        assert ops.count(" m\n") == ops.count("h\n"), ch  # every contour closed
        assert advance == pytest.approx(hmtx[cmap[ord(ch)]][0] * 1000 / upm)
        assert 0 <= x1 - x0 <= advance * 1.2 and y0 < y1, ch
        drawn[ch] = ops
    assert len(set(drawn.values())) == len(drawn)


def test_names_of_different_lengths_get_their_own_layout(certificates):
    keys = {rendering._layout_key(c) for c in certificates}
    assert len(keys) == 3  # slots of 5, 4 and 11 em
    assert rendering.name_slot_em("李强") == 4
    assert rendering.name_slot_em("李四光") == 4
    assert rendering.name_slot_em("欧阳明慧") == 5


def test_bench_command_reports_its_line_and_leaves_nothing_behind(db, capsys):
    import re

    from django.core.management import call_command

    from certificates.models import Certificate

    call_command("bench_certificates", "--count", "4", "--one-by-one", "1")
    out, err = capsys.readouterr()
    assert re.search(r"^simple batch .*: 4 in [\d.]+ s, .*speed-up [\d.]+ x$", out, re.M)
    assert re.fullmatch(
        r"certificates: 4 in [\d.]+ s, [\d.]+ s each; one-by-one [\d.]+ s each; "
        r"speed-up [\d.]+ x",
        out.strip().splitlines()[-1],
    )
    assert "4 of 4 stamped" in err
    assert not Certificate.objects.exists()  # rolled back


def test_verify_urls_gives_what_verify_url_gives():
    url = rendering.verify_urls()
    for code in ("abcDEF123_-", "a.b~c", "有中文", "a b", "x%y"):
        assert url(code) == rendering.verify_url(code)
