"""Chinese certificates print: the CJK font is embedded and the name is really drawn."""

import io
import subprocess

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from certificates import rendering, stamping
from certificates.services import certificate_issue
from tests.certificates.factories import closed_class
from tests.factories import UserFactory

DPI = 50
MM = DPI / 25.4
# Where the body's first line starts (the name) on the default template, in mm.
NAME_BOX = (48, 68, 110, 86)


def _embedded_fonts(pdf: bytes) -> dict[str, set[str]]:
    """BaseFont name -> the FontFile keys present in its descriptor."""
    fonts = {}
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        if font["/Subtype"] == "/Type3":  # the stamped name and number: glyphs as outlines
            fonts[f"Type3:{font['/Name'] if '/Name' in font else id(font)}"] = {"/CharProcs"}
            continue
        for descendant in font.get("/DescendantFonts", [font]):
            descendant = descendant.get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            keys = {k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor}
            fonts[str(descendant["/BaseFont"])] = keys
    return fonts


def _page_png(pdf: bytes, tmp_path) -> Image.Image:
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", source, tmp_path / "page"],
        check=True,
    )
    return Image.open(tmp_path / "page.png").convert("L")


def _name_region(img: Image.Image) -> Image.Image:
    return img.crop(tuple(round(v * MM) for v in NAME_BOX))


def _dark_share(img: Image.Image) -> float:
    histogram = img.histogram()
    return sum(histogram[:110]) / sum(histogram)


@pytest.fixture
def two_certificates(world):
    people = [UserFactory(full_name="欧阳明慧"), UserFactory(full_name="司马振华")]
    klass = closed_class(world, people, name="信阳市乡镇（街道）党（工）委书记能力提升培训班")
    return [
        certificate_issue(actor=world.organiser, training_class=klass, trainee=p)[0] for p in people
    ]


def test_each_split_pdf_embeds_its_cjk_font_and_draws_the_name(two_certificates, tmp_path):
    pdfs = rendering.render_many(two_certificates)
    assert len(pdfs) == 2
    images = []
    for pdf, cert in zip(pdfs, two_certificates, strict=True):
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
        width, height = (float(v) for v in reader.pages[0].mediabox[2:])
        assert width > height  # A4 landscape
        assert round(width / 72 * 25.4) == 297
        fonts = _embedded_fonts(pdf)
        cjk = {name: keys for name, keys in fonts.items() if "CJK" in name}
        assert cjk, fonts
        assert all(keys & {"/FontFile2", "/FontFile3"} for keys in cjk.values())
        text = reader.pages[0].extract_text()
        assert cert.snapshot["name"] in text and "结业证书" in text
        images.append(_name_region(_page_png(pdf, tmp_path)))
    for image in images:
        assert _dark_share(image) > 0.04  # ink where the name is
    # Empty boxes (tofu) would look the same for every name; real glyphs differ.
    diff = ImageChops.difference(*images)
    assert _dark_share(Image.eval(diff, lambda v: 255 - v)) > 0.02


def test_one_by_one_rendering_gives_the_same_page(two_certificates, tmp_path):
    pdf = rendering.render_one(two_certificates[0])
    assert any("CJK" in name for name in _embedded_fonts(pdf))
    assert _dark_share(_name_region(_page_png(pdf, tmp_path))) > 0.04


def _pdftotext(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", source, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_spaced_title_name_and_number_extract_as_written(two_certificates, tmp_path):
    """The title is spaced out on the page; search, copy and pdftotext read it whole."""
    stamped = rendering.render_many(two_certificates)
    for pdf, cert in [(rendering.render_one(two_certificates[0]), two_certificates[0])] + list(
        zip(stamped, two_certificates, strict=True)
    ):
        text = _pdftotext(pdf, tmp_path)
        assert "结业证书" in text.split("\n")[0]
        assert cert.snapshot["name"] in text
        assert f"证书编号：{cert.number}" in text


def test_the_drawn_title_is_where_the_spaced_text_title_was(two_certificates, tmp_path):
    """Drawn as outlines, the title keeps the look of letter-spaced text to the pixel."""
    cert = two_certificates[0]
    drawn = _page_png(rendering.render_one(cert), tmp_path)
    cert.template.extra_css = "h1 { }"  # a template restyling h1 keeps the text title
    spaced = _page_png(rendering.render_one(cert), tmp_path)
    title = tuple(round(v * MM) for v in (60, 25, 237, 50))

    def ink(img):
        return img.crop(title).point(lambda v: 255 if v < 160 else 0).getbbox()

    assert ink(drawn) is not None
    assert all(abs(a - b) <= 1 for a, b in zip(ink(drawn), ink(spaced), strict=True))
    assert "结 业 证 书" in _pdftotext(rendering.render_one(cert), tmp_path)


def test_placeholders_and_html_in_the_body_are_escaped():
    paragraphs = rendering.body_paragraphs(
        "{name}同志参加{class}，共计{hours}学时。{unknown}\n\n特发此证。",
        {"name": "<b>张三</b>", "class_name": "培训班", "hours": "42"},
    )
    style = stamping.FIELD_STYLES["name"].css()
    assert paragraphs == [
        f'<span class="name" style="width: 10em; {style}">&lt;b&gt;张三&lt;/b&gt;</span>'
        "同志参加培训班，共计42学时。{unknown}",
        "特发此证。",
    ]


def test_dates_are_written_in_chinese():
    import datetime

    assert rendering.chinese_date(datetime.date(2025, 6, 7)) == "二〇二五年六月七日"
    assert rendering.chinese_date(datetime.date(2025, 11, 20)) == "二〇二五年十一月二十日"
