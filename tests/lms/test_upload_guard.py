"""Spreadsheet bombs are refused before they are opened (issue 14, reproduction B).

A 106 KB roster that unpacked to one 100 MB cell took 843 MB of server memory; a 460 KB
one holding 235 MB of blank rows had no answer within 300 s. Both are built here in
memory (a repeated string streamed through zipfile's deflate: cheap), posted through the
real import views, and must be refused with the Chinese message, within a second of
work, with nothing staged.
"""

import contextlib
import io
import signal
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lms.uploads import ArchiveBomb, archive_check
from tests.training.factories import class_for_world
from training.models import ImportBatch

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
MESSAGE = "压缩炸弹"  # in the zh-hans text of ArchiveBomb.message


def _workbook_parts() -> dict[str, bytes]:
    wb = Workbook()
    wb.active.append(["序号", "姓名", "手机号", "单位"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _bomb(head: bytes, filler: bytes, size: int, tail: bytes) -> bytes:
    """A real workbook whose sheet is `head`, `filler` repeated to `size` bytes, `tail`."""
    out = io.BytesIO()
    chunk = filler * (MB // len(filler))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in _workbook_parts().items():
            if name != SHEET:
                zf.writestr(name, data)
        with zf.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(head)
            written = 0
            while written < size:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(tail)
    return out.getvalue()


_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>"
    '<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>姓名</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>手机号</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>单位</t></is></c></row>'
).encode()


@pytest.fixture(scope="module")
def cell_bomb() -> bytes:
    """One 100 MB cell."""
    head = _SHEET_HEAD + b'<row r="2"><c r="B2" t="inlineStr"><is><t>'
    return _bomb(head, b"A", 100 * MB, b"</t></is></c></row></sheetData></worksheet>")


@pytest.fixture(scope="module")
def blank_row_bomb() -> bytes:
    """235 MB of blank rows."""
    return _bomb(_SHEET_HEAD, b"<row/>", 235 * MB, b"</sheetData></worksheet>")


@contextlib.contextmanager
def _deadline(seconds: int):
    """Code that hangs on a bomb (as the import did) fails the test instead."""

    def fail(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _post_roster(client, world, content: bytes):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    url = reverse("training_admin:roster_import", args=[klass.pk])
    upload = SimpleUploadedFile("花名册.xlsx", content)
    batches = ImportBatch.objects.count()
    started = time.process_time()
    with _deadline(20):
        response = client.post(url, {"file": upload})
    work = time.process_time() - started
    assert ImportBatch.objects.count() == batches  # nothing staged
    return response, work


def test_the_bombs_are_what_the_issue_reports(cell_bomb, blank_row_bomb):
    assert len(cell_bomb) < 1 * MB and len(blank_row_bomb) < 2 * MB
    for bomb, size in ((cell_bomb, 100 * MB), (blank_row_bomb, 235 * MB)):
        with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
            assert archive.getinfo(SHEET).file_size >= size


@pytest.mark.django_db
def test_roster_import_refuses_a_zip_bomb_cell(client, world, cell_bomb):
    response, work = _post_roster(client, world, cell_bomb)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert work < 1.0


@pytest.mark.django_db
def test_roster_import_refuses_blank_row_bomb(client, world, blank_row_bomb):
    response, work = _post_roster(client, world, blank_row_bomb)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert work < 1.0


@pytest.mark.django_db
@pytest.mark.parametrize("bomb", ["cell_bomb", "blank_row_bomb"])
def test_question_import_refuses_zip_bombs(client, world, bomb, request):
    content = request.getfixturevalue(bomb)
    client.force_login(world.instructor)
    started = time.process_time()
    with _deadline(20):
        response = client.post(
            reverse("assessments_admin:questions_import"),
            {"file": SimpleUploadedFile("题库.xlsx", content)},
        )
    assert time.process_time() - started < 1.0
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not ImportBatch.objects.filter(kind=ImportBatch.Kind.QUESTIONS).exists()


def test_the_guard_names_the_bomb_with_a_code(cell_bomb, blank_row_bomb):
    for bomb in (cell_bomb, blank_row_bomb):
        with pytest.raises(ArchiveBomb) as caught:
            archive_check(bomb)
        assert caught.value.code == "archive_bomb"


def test_the_guard_refuses_too_many_members_and_caps_what_it_unpacks():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n in range(30):
            zf.writestr(f"part{n}.xml", b"x" * 1000)
    with pytest.raises(ArchiveBomb):
        archive_check(out.getvalue(), max_members=20)
    with pytest.raises(ArchiveBomb):
        archive_check(out.getvalue(), max_unpacked=10_000)
    archive_check(out.getvalue())  # an ordinary archive passes


@pytest.mark.django_db
def test_an_oversized_spreadsheet_is_refused_by_the_form(client, world, settings):
    settings.SPREADSHEET_UPLOAD_MAX_SIZE = 1000
    klass = class_for_world(world)
    client.force_login(world.organiser)
    response = client.post(
        reverse("training_admin:roster_import", args=[klass.pk]),
        {"file": SimpleUploadedFile("花名册.xlsx", b"x" * 2000)},
    )
    assert response.status_code == 200
    assert not ImportBatch.objects.exists()
    assert "MB" in response.content.decode()


def test_written_work_refuses_a_docx_bomb(cell_bomb):
    """A Word file is a zip too: graders would open it on their desks."""
    from assessments.services.written import upload_check

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as doc:
            for _ in range(60):
                doc.write(b"A" * MB)
    upload = SimpleUploadedFile("作业.docx", out.getvalue())
    with pytest.raises(ArchiveBomb):
        upload_check(upload=upload, max_mb=10)
