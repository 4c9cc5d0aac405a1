"""Attendance as the class lives it: the adviser's check-in display and trainees scanning its
QR code on their phones (a forwarded photo refused, a logged-out phone let in after login),
then leave asked and approved, the at-risk flag, a correction and the sign-in sheet."""

import datetime
import io
import re
import subprocess
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from attendance.models import (
    AttendanceCorrection,
    AttendancePolicy,
    AttendanceRecord,
    CheckinAttempt,
    LeaveRequest,
)
from attendance.tokens import token_make, token_read
from tests.attendance.factories import AttendanceRecordFactory
from tests.factories import TEST_PASSWORD
from tests.factories import trainee as make_trainee
from tests.journeys.harness import journey_test
from tests.training.factories import ClassSessionFactory, EnrolmentFactory, class_for_world
from training.models import ClassSession

pytestmark = [pytest.mark.browser, journey_test]

S = AttendanceRecord.Status
LIFETIME = 15  # seconds a code lives in the check-in journey's class


def fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def scan_qr(page) -> str:
    """What a phone camera reads off the display: decode the QR in a screenshot of it."""
    import zxingcpp  # the project already depends on zxing-cpp; a real decoder, as phones have

    # The container, not the <svg>: the display swaps the <svg> when the code rotates,
    # and a screenshot of an element that is replaced mid-capture fails.
    image = Image.open(io.BytesIO(page.locator("#qr").screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code on the display"
    return found[0].text


def a_photo() -> bytes:
    """A small PNG, as a phone would attach a photo of a notice."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def session_now(training_class, *, title, started_minutes_ago=2, days=0, hours=2):
    """A session that began a few minutes ago (or `days` later), in its right half-day."""
    start = timezone.now() - datetime.timedelta(minutes=started_minutes_ago, days=-days)
    local = timezone.localtime(start)
    H = ClassSession.HalfDay
    half = H.MORNING if local.hour < 12 else H.AFTERNOON if local.hour < 18 else H.EVENING
    return ClassSessionFactory(
        training_class=training_class,
        title=title,
        date=local.date(),
        half_day=half,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
    )


def token_of(url: str) -> str:
    return re.search(r"[?&]t=([^&]+)", url).group(1)


def test_adviser_shows_the_qr_and_trainees_check_in_by_phone(journey, world, site):
    klass = class_for_world(world, name="信阳市乡镇党委书记能力提升培训班")
    colleague = make_trainee(full_name="缺席的同事", org_unit=world.village_a)
    latecomer = make_trainee(full_name="未登录学员", org_unit=world.village_a)
    for person in (colleague, latecomer):
        EnrolmentFactory(training_class=klass, trainee=person)
    session = session_now(klass, title="学习贯彻党的二十届三中全会精神")
    # A short-lived code keeps the login-grace step short (it waits for the code to expire)
    # and still leaves a loaded machine time to open a fresh code before it dies.
    AttendancePolicy.objects.create(
        training_class=klass, token_rotate_seconds=5, token_lifetime_seconds=LIFETIME
    )
    adviser = journey.desktop()

    with journey.step("adviser opens the check-in display from the session page", adviser):
        journey.login(
            adviser,
            world.adviser.phone,
            TEST_PASSWORD,
            next_path=f"/admin/attendance/session/{session.pk}/",
        )
        expect(adviser.locator("main")).to_contain_text(session.title)
        with adviser.context.expect_page() as popup:
            adviser.get_by_role("link", name="打开签到大屏").click()
        display = popup.value
        display.set_viewport_size({"width": 1366, "height": 900})
        expect(display.locator(".display__title")).to_have_text(session.title)
        expect(display.locator("#qr svg")).to_be_visible()
        expect(display.locator("#n-checked")).to_have_text("0")
        expect(display.locator("#n-roster")).to_have_text("3")
        expect(display.locator("#missing-list")).to_contain_text(world.trainee_a.full_name)

    with journey.step("the code on the screen changes", display):
        first = scan_qr(display)
        assert first.startswith(journey.url(f"/attendance/checkin/{session.pk}/?t="))
        data = token_read(token_of(first))
        assert (data.session_id, data.mode) == (session.pk, "i")
        for _ in range(40):
            display.wait_for_timeout(250)
            if scan_qr(display) != first:
                break
        assert scan_qr(display) != first, "the QR code did not rotate"

    trainee = journey.phone()
    with journey.step("trainee logs in on the phone and scans the code", trainee):
        journey.login(trainee, world.trainee_a.phone, TEST_PASSWORD)
        link = scan_qr(display)
        trainee.goto(link)
        result = trainee.locator(".checkin-result")
        expect(result).to_have_attribute("data-code", "present")
        expect(result.locator("h1")).to_have_text("签到成功")
        expect(result.locator(".badge")).to_have_text("出勤")
        expect(result).to_contain_text(world.trainee_a.full_name)
        expect(result).to_contain_text(session.title)
        fits_a_phone(trainee)
        record = AttendanceRecord.objects.get(session=session, trainee=world.trainee_a)
        assert (record.status, record.source) == (S.PRESENT, AttendanceRecord.Source.QR)
        assert record.checked_in_at is not None

    with journey.step("the display counts the trainee within one refresh", display):
        expect(display.locator("#n-checked")).to_have_text("1", timeout=12000)
        expect(display.locator("#checked-list")).to_contain_text(world.trainee_a.full_name)
        expect(display.locator("#missing-list")).not_to_contain_text(world.trainee_a.full_name)
        expect(display.locator("#missing-list")).to_contain_text(colleague.full_name)

    with journey.step("a second scan says already checked in, still one record", trainee):
        trainee.goto(scan_qr(display))
        expect(trainee.locator(".checkin-result")).to_have_attribute("data-code", "already")
        expect(trainee.locator(".checkin-result h1")).to_have_text("您已签到")
        assert (
            AttendanceRecord.objects.filter(session=session, trainee=world.trainee_a).count() == 1
        )
        assert CheckinAttempt.objects.filter(
            session=session, trainee=world.trainee_a, reason="already_checked_in"
        ).exists()

    forwarded = journey.phone()
    with journey.step("a photo of the code forwarded a minute later is refused", forwarded):
        journey.login(forwarded, colleague.phone, TEST_PASSWORD)
        old = token_make(session_id=session.pk, now=time.time() - 60)
        forwarded.goto(journey.url(f"/attendance/checkin/{session.pk}/?t={old}"))
        result = forwarded.locator(".checkin-result")
        expect(result).to_have_attribute("data-code", "token_expired")
        expect(result.locator("h1")).to_have_text("二维码已过期")
        expect(result).to_contain_text("请重新扫描教室屏幕上的二维码")
        fits_a_phone(forwarded)
        assert not AttendanceRecord.objects.filter(session=session, trainee=colleague).exists()
        attempt = CheckinAttempt.objects.get(session=session, trainee=colleague)
        assert attempt.reason == CheckinAttempt.Reason.EXPIRED
        assert 55 <= attempt.token_age_seconds <= 120

    late = journey.phone()
    with journey.step("a logged-out phone opens a fresh code and is sent to log in", late):
        link = scan_qr(display)
        issued = token_read(token_of(link)).issued_at
        late.goto(link)
        expect(late).to_have_url(re.compile(r"/accounts/login/\?next="))
        fits_a_phone(late)
        late.locator("input[name=login]").fill(latecomer.phone)
        late.locator("input[name=password]").fill(TEST_PASSWORD)

    with journey.step("logging in after the code expired still checks in (login grace)", late):
        # Typing the password took longer than the code lives: only the grace lets it in.
        wait = issued + LIFETIME + 1.5 - time.time()
        if wait > 0:
            late.wait_for_timeout(wait * 1000)
        with late.expect_navigation():
            late.locator("main form button[type=submit]").click()
        expect(late.locator(".checkin-result")).to_have_attribute("data-code", "present")
        expect(late.locator(".checkin-result h1")).to_have_text("签到成功")
        assert time.time() - issued > LIFETIME
        assert AttendanceRecord.objects.get(session=session, trainee=latecomer).status == S.PRESENT
        assert not CheckinAttempt.objects.filter(trainee=latecomer).exists()

    with journey.step("the adviser's session page lists the refused scan", adviser):
        adviser.reload()
        failed = adviser.locator("table.listing").last
        expect(failed).to_contain_text(colleague.full_name)
        expect(failed).to_contain_text("二维码已过期")
        expect(display.locator("#n-checked")).to_have_text("2", timeout=12000)


def test_leave_approval_at_risk_flag_correction_and_sign_in_sheet(journey, world, site):
    # 18 credit hours: one approved half-day (3 h) is over the 1/7 cap, so the flag shows.
    klass = class_for_world(
        world, name="罗山县村党组织书记示范培训班", credit_hours=Decimal("18.0")
    )
    other = make_trainee(full_name="张卫东", org_unit=world.village_a)
    EnrolmentFactory(training_class=klass, trainee=other)
    today = session_now(klass, title="乡村振兴战略专题", started_minutes_ago=20)
    AttendanceRecordFactory(session=today, trainee=world.trainee_a, status=S.PRESENT)
    tomorrow = session_now(klass, title="现场教学：何家冲红色教育基地", days=1)
    phone = journey.phone()

    with journey.step("trainee opens my attendance on the phone", phone):
        journey.login(phone, world.trainee_a.phone, TEST_PASSWORD, next_path="/attendance/")
        expect(phone.locator("h1")).to_have_text("我的考勤")
        expect(phone.locator(".session-list")).to_contain_text(today.title)
        fits_a_phone(phone)

    with journey.step("trainee asks for leave for tomorrow's session", phone):
        journey.submit(phone, phone.get_by_role("link", name="请假"))
        expect(phone.locator("h1")).to_have_text("请假")
        fits_a_phone(phone)
        phone.get_by_label(re.compile(tomorrow.title)).check()
        # 公假 (official duty) is excused from the cap in this class: the share says so.
        phone.get_by_label("公假", exact=True).check()
        share = phone.locator("#leave-share")
        expect(share).to_have_attribute("data-excused", "yes")
        expect(share.locator(".leave-share__text")).to_contain_text("公假不计入请假比例")
        expect(share.locator(".leave-share__warn")).to_be_hidden()
        # 事假 counts: 3 of 18 学时 is over 1/7, and the warning shows before sending.
        phone.get_by_label("事假", exact=True).check()
        expect(share).to_have_attribute("data-excused", "no")
        expect(share.locator(".leave-share__warn")).to_be_visible()
        phone.locator("textarea[name=reason]").fill("家中老人住院，需陪护")
        phone.locator("input[name=attachment]").set_input_files(
            {"name": "住院证明.png", "mimeType": "image/png", "buffer": a_photo()}
        )
        journey.submit(phone, phone.get_by_role("button", name="提交申请"))
        expect(phone.locator(".card__title .badge")).to_have_text("待审批")
        expect(phone.locator(".session-list")).to_contain_text(tomorrow.title)
        fits_a_phone(phone)
        leave = LeaveRequest.objects.get(trainee=world.trainee_a, training_class=klass)
        assert leave.status == LeaveRequest.Status.PENDING
        assert list(leave.sessions.all()) == [tomorrow]
        assert (leave.half_days, leave.hours, leave.needs_organiser) == (1, Decimal("3.0"), False)
        assert leave.kind == LeaveRequest.Kind.PERSONAL

    adviser = journey.desktop()
    with journey.step("adviser approves the leave in the admin", adviser):
        journey.login(
            adviser, world.adviser.phone, TEST_PASSWORD, next_path="/admin/attendance/leave/"
        )
        row = adviser.locator("table.listing tbody tr", has_text=world.trainee_a.full_name)
        expect(row).to_contain_text("家中老人住院，需陪护")
        journey.submit(adviser, row.get_by_role("link", name=world.trainee_a.full_name))
        attachment = adviser.get_by_role("link", name="查看")
        photo = adviser.context.request.get(journey.url(attachment.get_attribute("href")))
        assert photo.headers["content-type"] == "image/png" and photo.body() == a_photo()
        adviser.get_by_label("批准", exact=True).check()
        adviser.locator("textarea[name=note]").fill("同意，注意安全")
        journey.submit(adviser, adviser.get_by_role("button", name="保存审批"))
        expect(adviser.locator(".messages")).to_contain_text("审批已保存")
        expect(adviser.locator("main")).to_contain_text("暂无请假申请")  # none pending
        adviser.goto(journey.url(reverse("attendance_admin:leave_list") + "?status=approved"))
        expect(adviser.locator("table.listing")).to_contain_text(world.trainee_a.full_name)
        leave.refresh_from_db()
        assert leave.status == LeaveRequest.Status.APPROVED and leave.decided_by == world.adviser
        record = AttendanceRecord.objects.get(session=tomorrow, trainee=world.trainee_a)
        assert (record.status, record.leave_request) == (S.ON_LEAVE, leave)
        assert ModelLogEntry.objects.filter(action="attendance.leave_approve").count() == 1

    with journey.step("trainee sees the leave approved and the at-risk warning", phone):
        phone.reload()
        expect(phone.locator(".card__title .badge")).to_have_text("已批准")
        expect(phone.locator(".profile")).to_contain_text("同意，注意安全")
        phone.goto(journey.url("/attendance/"))
        expect(phone.locator(".risk")).to_contain_text("您的请假已超过本班学时的 1/7")
        expect(phone.locator(".risk")).to_contain_text("请及时联系班主任")
        fits_a_phone(phone)

    with journey.step("adviser sees the at-risk flag on the class page", adviser):
        adviser.goto(journey.url(f"/admin/attendance/class/{klass.pk}/"))
        expect(adviser.locator("main h2", has_text="1 人预警")).to_be_visible()
        flagged = adviser.locator("tr.at-risk")
        expect(flagged).to_have_count(1)
        expect(flagged).to_contain_text(world.trainee_a.full_name)
        expect(flagged.locator("[data-reason=leave_over_cap]")).to_have_text("请假超限")

    with journey.step("adviser corrects a trainee's record with a reason", adviser):
        adviser.goto(journey.url(f"/admin/attendance/session/{today.pk}/"))
        row = adviser.locator("table.listing tbody tr", has_text=other.full_name).first
        journey.submit(adviser, row.get_by_role("link", name="修改"))
        adviser.locator("select[name=status]").select_option(S.LATE)
        journey.submit(adviser, adviser.get_by_role("button", name="保存修改"))
        expect(adviser.locator("main")).to_contain_text("必需字段")
        assert not AttendanceRecord.objects.filter(session=today, trainee=other).exists()
        adviser.locator("textarea[name=reason]").fill("手机没电，班主任现场点名确认迟到")
        journey.submit(adviser, adviser.get_by_role("button", name="保存修改"))
        expect(adviser.locator(".messages")).to_contain_text("考勤已修改")
        row = adviser.locator("table.listing tbody tr", has_text=other.full_name).first
        expect(row).to_contain_text("迟到")
        expect(row).to_contain_text("人工登记")
        journey.submit(adviser, row.get_by_role("link", name="修改"))
        history = adviser.locator("table.listing").last
        expect(history).to_contain_text("手机没电，班主任现场点名确认迟到")
        expect(history).to_contain_text(world.adviser.full_name)
        expect(history).to_contain_text("— → 迟到")
        adviser.go_back()
        record = AttendanceRecord.objects.get(session=today, trainee=other)
        assert (record.status, record.source) == (S.LATE, AttendanceRecord.Source.ADVISER)
        correction = AttendanceCorrection.objects.get(record=record)
        assert (correction.actor, correction.old_status, correction.new_status) == (
            world.adviser,
            "",
            S.LATE,
        )
        assert correction.reason == "手机没电，班主任现场点名确认迟到"
        assert ModelLogEntry.objects.filter(action="attendance.record_correct").count() == 1

    with journey.step("adviser downloads the sign-in sheet as XLSX", adviser):
        with adviser.expect_download() as info:
            adviser.get_by_role("link", name="签到表（XLSX）").click()
        sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
        assert any(klass.name in c for c in cells)
        assert world.trainee_a.full_name in cells and other.full_name in cells
        names = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
        assert "出勤" in names[world.trainee_a.full_name]
        assert "迟到" in names[other.full_name]

    with journey.step(
        "adviser downloads the sign-in sheet as PDF and it has Chinese text", adviser
    ):
        # The printable sheet opens in a new tab (inline PDF); the adviser saves it from there.
        link = adviser.get_by_role("link", name="签到表（PDF）")
        href = link.get_attribute("href")
        with adviser.expect_popup() as popup:
            link.click()
        assert popup.value.url == journey.url(href)
        response = adviser.context.request.get(journey.url(href))
        assert response.headers["content-type"] == "application/pdf"
        pdf = journey.dir / "signin.pdf"
        pdf.write_bytes(response.body())
        assert pdf.read_bytes().startswith(b"%PDF")
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert cjk, fonts
        assert all(line.split()[-5] == "yes" for line in cjk), fonts  # the "emb" column
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(journey.dir / "signin"),
            ],
            check=True,
        )
        assert (journey.dir / "signin-1.png").stat().st_size > 5000
