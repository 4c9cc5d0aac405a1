"""Organisers edit certificate templates: mistakes are caught in the editor, not in print."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from certificates.models import DEFAULT_BODY, CertificateTemplate
from certificates.validation import body_check, css_check, seal_check


def _image(fmt: str, size=(200, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, (200, 16, 26)).save(out, format=fmt)
    return out.getvalue()


def test_the_default_body_is_valid():
    body_check(DEFAULT_BODY)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{name}同志参加{class}学习}", "braces"),
        ("{name}同志参加{class学习", "braces"),
        ("{name}同志参加{clas}学习", "unknown_placeholder"),
        ("{name}同志共计{hours:>5}学时", "unknown_placeholder"),
        ("{0}同志参加学习", "unknown_placeholder"),
        ("同志参加{class}学习", "no_name"),
    ],
)
def test_a_broken_body_is_refused_with_its_reason(body, code):
    with pytest.raises(ValidationError) as exc:
        body_check(body)
    assert exc.value.code == code


def test_css_cannot_leave_its_style_element():
    css_check(".title { letter-spacing: 1em; }")
    with pytest.raises(ValidationError):
        css_check('</style><link rel="attachment" href="file:///etc/passwd">')


def test_the_seal_must_really_be_a_png():
    seal_check(SimpleUploadedFile("seal.png", _image("PNG")))
    with pytest.raises(ValidationError) as exc:
        seal_check(SimpleUploadedFile("seal.png", _image("JPEG")))
    assert exc.value.code == "seal_type"
    with pytest.raises(ValidationError) as exc:
        seal_check(SimpleUploadedFile("seal.png", b"\x89PNG\r\n\x1a\n broken"))
    assert exc.value.code == "seal_type"
    with pytest.raises(ValidationError) as exc:
        seal_check(SimpleUploadedFile("seal.png", _image("PNG", (4100, 10))))
    assert exc.value.code == "seal_pixels"


@pytest.mark.django_db
def test_the_editor_shows_the_mistake_in_chinese_and_saves_nothing(world, client):
    template = CertificateTemplate.objects.create(name="信阳市委党校证书", body=DEFAULT_BODY)
    client.force_login(world.admin)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
    form = {
        "name": template.name,
        "title": "结业证书",
        "body": "{name}同志参加{clas}学习",
        "number_prefix": "XYDX",
        "extra_css": "",
    }
    page = client.post(url, {**form, "seal": SimpleUploadedFile("s.png", _image("JPEG"))})
    html = page.content.decode()
    assert page.status_code == 200
    assert "未知的占位符" in html and "{clas}" in html
    assert "印章必须是 PNG 图片" in html
    template.refresh_from_db()
    assert template.body == DEFAULT_BODY and not template.seal
