"""签到表: XLSX with Chinese headers and widths, and a PDF that carries its CJK fonts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from attendance.models import AttendanceRecord

from .factories import AttendanceRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(world, live_session):
    AttendanceRecordFactory(session=live_session, trainee=world.trainee_a)
    return live_session


def test_signin_sheet_xlsx(client, world, signed):
    client.force_login(world.adviser)
    response = client.get(reverse("attendance_admin:signin_xlsx", args=[signed.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(response.getvalue())).active
    assert [c.value for c in ws[3]] == [
        "序号",
        "姓名",
        "单位",
        "职务",
        "手机号",
        "签到时间",
        "签退时间",
        "考勤状态",
        "本人签字",
    ]
    assert ws["A1"].value.endswith("签到表")
    assert ws["B4"].value == "学员甲" and ws["H4"].value == "出勤"
    assert int(ws.column_dimensions["C"].width) == 30  # XlsxWriter adds Excel's 0.71 padding


def test_signin_sheet_pdf_embeds_the_cjk_font(client, world, signed):
    client.force_login(world.adviser)
    response = client.get(reverse("attendance_admin:signin_pdf", args=[signed.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for d in descendants:
                descriptor = d.get_object().get("/FontDescriptor")
                if descriptor and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    fonts.add(str(font["/BaseFont"]))
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts
    text = reader.pages[0].extract_text()
    assert "签到表" in text.replace(" ", "") and "学员甲" in text


def test_class_report_xlsx(client, world, klass, signed):
    client.force_login(world.organiser)
    response = client.get(reverse("attendance_admin:class_report", args=[klass.pk]))
    wb = load_workbook(io.BytesIO(response.getvalue()))
    sessions, trainees, _leaves = wb.worksheets
    assert [c.value for c in sessions[3]][3:] == ["出勤", "迟到", "早退", "请假", "旷课"]
    assert sessions["D4"].value == 1
    assert trainees["A4"].value == "学员甲" and trainees["C4"].value == 1
    # Titles in Chinese: the words were inside f-strings, which makemessages cannot read.
    assert sessions["A1"].value == f"{klass.name} 各课次考勤"
    assert trainees["A1"].value == f"{klass.name} 学员考勤汇总"
    assert AttendanceRecord.objects.count() == 1


def test_signin_rows_name_units_in_full_with_queries_that_do_not_grow(world, live_session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from attendance.exports import signin_rows
    from tests.factories import UserFactory
    from tests.training.factories import EnrolmentFactory

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = signin_rows(session=live_session)
        return rows, len(queries)

    rows, few = count()
    for _ in range(5):
        EnrolmentFactory(
            training_class=live_session.training_class,
            trainee=UserFactory(org_unit=world.village_a),
        )
    rows, many = count()
    assert many == few
    village = next(r for r in rows if r["unit"].endswith(world.village_a.name))
    assert village["unit"] == world.village_a.full_name  # 市县乡村, without the province
