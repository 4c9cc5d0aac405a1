"""The printed 签到表's column headers each stay on one line (考勤状态 used to wrap into
"考勤状 / 态" in a 13 mm column; seen in the sign-in sheet browser journey)."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from .factories import AttendanceRecordFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils"),
]


def test_signin_sheet_pdf_headers_do_not_wrap(client, world, live_session, tmp_path):
    AttendanceRecordFactory(session=live_session, trainee=world.trainee_a)
    client.force_login(world.adviser)
    response = client.get(reverse("attendance_admin:signin_pdf", args=[live_session.pk]))
    pdf = tmp_path / "signin.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    header = next(line for line in text.splitlines() if "序号" in line)
    for label in ("序号", "姓名", "单位", "职务", "签到时间", "考勤状态", "本人签字"):
        assert label in header, text
