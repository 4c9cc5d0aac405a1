import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.errors import (
    AssignmentClosed,
    SubmissionTooLong,
    UploadTooLarge,
    UploadTypeRejected,
)
from assessments.models import Submission
from assessments.services.marking import submission_grade
from assessments.services.written import submission_save
from tests.assessments.factories import AssignmentFactory
from tests.training.factories import class_for_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def docx_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_text_and_pdf_submission_then_revision(world):
    klass = class_for_world(world)
    assignment = AssignmentFactory(training_class=klass)
    sub = submission_save(
        assignment=assignment,
        trainee=world.trainee_a,
        text="心得",
        upload=SimpleUploadedFile("心得.pdf", PDF),
    )
    assert sub.file_mime == "application/pdf" and sub.file.name.endswith(".pdf")
    old_path = sub.file.path
    sub = submission_save(
        assignment=assignment,
        trainee=world.trainee_a,
        text="修改后",
        upload=SimpleUploadedFile("photo.png", PNG),
    )
    assert Submission.objects.count() == 1 and sub.file_mime == "image/png"
    import os

    assert not os.path.exists(old_path)


def test_docx_detected_by_content(world):
    assignment = AssignmentFactory()
    sub = submission_save(
        assignment=assignment,
        trainee=world.trainee_a,
        upload=SimpleUploadedFile("report.bin", docx_bytes()),
    )
    assert sub.file.name.endswith(".docx")


def _zip(names) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, "<x/>" if name.endswith(".xml") else "\xff\xd8" + "0" * 4000)
    return buffer.getvalue()


WORD_PARTS = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]


@pytest.mark.parametrize(
    "first",
    [
        ["docProps/thumbnail.jpeg", "docProps/app.xml", "docProps/core.xml", "customXml/a.xml"],
        ["customXml/item1.xml", "customXml/itemProps1.xml", "customXml/_rels/item1.xml.rels"],
    ],
    ids=["thumbnail-first", "customxml-first"],
)
def test_docx_with_other_parts_first_is_accepted(world, first):
    import filetype

    content = _zip(first + ["docProps/custom.xml", "word/styles.xml"] + WORD_PARTS)
    assert filetype.guess(content).mime == "application/zip"  # what defeated the check
    sub = submission_save(
        assignment=AssignmentFactory(),
        trainee=world.trainee_a,
        upload=SimpleUploadedFile("调研报告.docx", content),
    )
    assert sub.file.name.endswith(".docx") and sub.file_mime.endswith("document")


@pytest.mark.parametrize(
    "content",
    [
        _zip(["notes.txt", "photo.jpeg"]),  # a zip, named .docx
        _zip(["customXml/item1.xml", "word/document.xml"]),  # no content types
        _zip(["customXml/item1.xml", "[Content_Types].xml", "xl/workbook.xml"]),
        _zip([f"customXml/item{i}.xml" for i in range(2001)] + WORD_PARTS),  # too many parts
        _zip(["customXml/item1.xml"] + WORD_PARTS)[:-30],  # cut short
    ],
    ids=["plain-zip", "no-content-types", "not-word", "too-many-entries", "truncated"],
)
def test_zip_that_is_not_a_word_file_is_refused(world, content):
    with pytest.raises(UploadTypeRejected):
        submission_save(
            assignment=AssignmentFactory(),
            trainee=world.trainee_a,
            upload=SimpleUploadedFile("report.docx", content),
        )
    assert not Submission.objects.exists()


def test_disguised_and_oversized_uploads_are_refused(world):
    assignment = AssignmentFactory(max_file_mb=1)
    with pytest.raises(UploadTypeRejected):
        submission_save(
            assignment=assignment,
            trainee=world.trainee_a,
            upload=SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an exe"),
        )
    with pytest.raises(UploadTypeRejected):
        submission_save(
            assignment=assignment,
            trainee=world.trainee_a,
            upload=SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>"),
        )
    with pytest.raises(UploadTooLarge):
        submission_save(
            assignment=assignment,
            trainee=world.trainee_a,
            upload=SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024 + 1)),
        )
    assert not Submission.objects.exists()


def test_text_over_the_limit_says_so_not_that_a_file_is_too_large(world, client):
    from assessments.services.written import MAX_TEXT

    assignment = AssignmentFactory(training_class=class_for_world(world))
    with pytest.raises(SubmissionTooLong) as exc:
        submission_save(assignment=assignment, trainee=world.trainee_a, text="字" * (MAX_TEXT + 1))
    assert exc.value.code == "submission_too_long"
    client.force_login(world.trainee_a)
    url = reverse("assessments:assignment_detail", args=[assignment.pk])
    page = client.post(url, {"text": "字" * (MAX_TEXT + 1)}).content.decode()
    assert "最多可提交 50,000 字" in page and "文件超过" not in page
    assert not Submission.objects.exists()


def test_graded_work_is_final(world):
    klass = class_for_world(world)
    assignment = AssignmentFactory(training_class=klass)
    sub = submission_save(assignment=assignment, trainee=world.trainee_a, text="心得")
    world.instructor.is_superuser = True  # grading rights are tested in test_marking
    submission_grade(grader=world.admin, submission_id=sub.pk, grade="good")
    with pytest.raises(AssignmentClosed):
        submission_save(assignment=assignment, trainee=world.trainee_a, text="改")
    assert Submission.objects.get().text == "心得"


def test_upload_view_and_file_isolation(world, client):
    klass = class_for_world(world)
    assignment = AssignmentFactory(training_class=klass)
    client.force_login(world.trainee_a)
    url = reverse("assessments:assignment_detail", args=[assignment.pk])
    bad = client.post(url, {"text": "", "file": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert bad.status_code == 200 and not Submission.objects.exists()
    assert "PDF" in bad.content.decode()
    ok = client.post(url, {"text": "我的心得", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert ok.status_code == 302
    sub = Submission.objects.get()
    file_url = reverse("assessments:submission_file", args=[sub.pk])
    response = client.get(file_url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(world.trainee_b)
    assert client.get(file_url).status_code == 404
    assert client.get(url).status_code == 404  # not in trainee_b's class
    assert client.post(url, {"text": "覆盖"}).status_code == 404
    assert Submission.objects.get().text == "我的心得"


def test_work_past_its_due_time_is_refused_unless_late_work_is_allowed(client, world):
    from assessments.errors import AssignmentPastDue

    klass = class_for_world(world)
    due = timezone.now() - datetime.timedelta(hours=1)
    closed = AssignmentFactory(training_class=klass, due_at=due)
    with pytest.raises(AssignmentPastDue) as error:
        submission_save(assignment=closed, trainee=world.trainee_a, text="心得")
    assert error.value.code == "assignment_past_due"
    assert not Submission.objects.filter(assignment=closed).exists()
    client.force_login(world.trainee_a)
    url = reverse("assessments:assignment_detail", args=[closed.pk])
    html = client.get(url).content.decode()
    assert 'data-code="assignment_past_due"' in html and "multipart/form-data" not in html
    client.post(url, {"text": "迟到的心得"})
    assert not Submission.objects.filter(assignment=closed).exists()

    late_ok = AssignmentFactory(training_class=klass, due_at=due, allows_late=True)
    html = client.get(reverse("assessments:assignment_detail", args=[late_ok.pk])).content.decode()
    assert "multipart/form-data" in html and "迟交" in html
    sub = submission_save(assignment=late_ok, trainee=world.trainee_a, text="心得")
    assert sub.is_late
    on_time = AssignmentFactory(training_class=klass, due_at=due + datetime.timedelta(days=1))
    assert not submission_save(assignment=on_time, trainee=world.trainee_a, text="心得").is_late
