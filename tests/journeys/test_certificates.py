"""结班 to 结业证书 to 学时档案, as the people involved do it.

The organiser closes a class in the Wagtail admin and watches the certificate batch run in
the background, downloads a certificate, revokes it; a verifier opens the certificate's
link on a phone; the trainee downloads their training record (一人一档).

Issuing is a background task. The test settings run tasks immediately, which would hide
the progress bar; this journey switches to the database-backed queue production uses, so
closing the class only *queues* the batch (the page shows 0 of N), and then runs one pass
of `manage.py db_worker --batch` while the page is open, as the worker process would. The
bar moves only because the page polls the batch's progress.
"""

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from urllib.parse import urlsplit

import pikepdf
import pytest
import zxingcpp
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from attendance.models import AttendanceRecord
from certificates import rendering
from certificates.models import Certificate, CompletionRecord, IssueBatch
from ledger.models import CreditEntry
from tests.attendance.factories import AttendanceRecordFactory, session_around
from tests.factories import TEST_PASSWORD, UserFactory
from tests.journeys.harness import journey_test
from tests.training.factories import EnrolmentFactory, class_for_world
from training.models import Enrolment, TrainingClass

pytestmark = [pytest.mark.browser, journey_test]

CLASS_NAME = "信阳市乡镇（街道）党（工）委书记能力提升培训班"
S = AttendanceRecord.Status
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _certificate_row(page, number):
    """The certificate's row in the 结业证书 table (not the outcome table above it)."""
    table = page.locator("table", has=page.locator("th", has_text="证书编号"))
    return table.locator("tbody tr", has_text=number)


def _pdf_fonts(path) -> list[dict]:
    """`pdffonts` as rows: name, type, emb (yes/no)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        cells = line.split()
        # name type [type…] encoding emb sub uni object ID: emb/sub/uni are the yes/no trio.
        flags = [i for i, c in enumerate(cells) if c in ("yes", "no")]
        rows.append({"name": cells[0], "line": line, "emb": cells[flags[0]] if flags else ""})
    return rows


def _assert_cjk_embedded(path):
    fonts = _pdf_fonts(path)
    cjk = [f for f in fonts if "CJK" in f["name"]]
    assert cjk, f"no CJK font in {path}: {[f['line'] for f in fonts]}"
    assert all(f["emb"] == "yes" for f in cjk), [f["line"] for f in cjk]
    # Nothing drawn in a font the PDF does not carry (a reader would substitute, or box).
    assert all(f["emb"] == "yes" for f in fonts), [f["line"] for f in fonts]


def _to_png(pdf_path, png_stem) -> list:
    """`pdftoppm -png -r 80`, the pages as PNGs beside the journey's screenshots."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(pdf_path), str(png_stem)], check=True, timeout=60
    )
    return sorted(png_stem.parent.glob(png_stem.name + "*.png"))


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return out.stdout


@pytest.fixture
def closing_class(world):
    """The 罗山县 class at its end: four sessions held, three trainees complete, two not.

    学员甲, 欧阳晓燕 and 司马懿德 attended every session; 学员丙 was on leave for three
    of them (9 of 12 学时, over the 1/7 cap); 学员丁 missed all four without leave (two
    days of 旷课).
    """
    today = timezone.localdate()
    klass = class_for_world(
        world,
        name=CLASS_NAME,
        credit_hours=Decimal("12.0"),
        start_date=today - datetime.timedelta(days=6),
        end_date=today - datetime.timedelta(days=1),
    )
    people = {"学员甲": world.trainee_a}
    for name in ("欧阳晓燕", "司马懿德", "学员丙", "学员丁"):
        people[name] = UserFactory(org_unit=world.village_a, full_name=name)
        EnrolmentFactory(training_class=klass, trainee=people[name])
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0)
    for i in range(4):
        session = session_around(
            klass,
            start=start - datetime.timedelta(days=5 - i),
            credit_hours=Decimal("3.0"),
            title=f"第{i + 1}讲 宜居宜业和美乡村建设",
        )
        for name in ("学员甲", "欧阳晓燕", "司马懿德"):
            AttendanceRecordFactory(session=session, trainee=people[name])
        AttendanceRecordFactory(
            session=session,
            trainee=people["学员丙"],
            status=S.ON_LEAVE if i < 3 else S.PRESENT,
            checked_in_at=None if i < 3 else session.starts_at,
        )
        AttendanceRecordFactory(
            session=session, trainee=people["学员丁"], status=S.ABSENT, checked_in_at=None
        )
    world.extra["people"] = people
    return klass


def test_organiser_closes_a_class_and_certificates_are_verified_and_revoked(
    journey, world, closing_class, settings, tmp_path
):
    settings.TASKS = DB_QUEUE  # closing queues the batch; the "worker" below runs it
    klass = closing_class
    completers = ["学员甲", "欧阳晓燕", "司马懿德"]
    admin = journey.desktop()

    with journey.step("organiser opens the class under 结业与证书", admin):
        journey.login(admin, world.organiser.phone, TEST_PASSWORD, next_path="/admin/")
        admin.goto(journey.url("/admin/certificates/"))
        expect(admin.locator("h1")).to_contain_text("结业与证书")
        journey.submit(admin, admin.get_by_role("link", name=CLASS_NAME))
        expect(admin.locator("main h2", has_text="结业审核")).to_contain_text(
            "5 名学员中 3 名符合结业条件"
        )

    with journey.step("review says who misses what", admin):
        row = admin.locator("tr", has_text="学员丙")
        expect(row.locator(".cert-bad")).to_be_visible()
        expect(row.locator("[data-code=leave_over_cap]")).to_contain_text("请假超过规定比例")
        expect(row.locator("[data-code=leave_over_cap]")).to_contain_text("75.0%")
        expect(row.locator("[data-outcome=withdrawn]").first).to_contain_text("退学")
        row = admin.locator("tr", has_text="学员丁")
        expect(row.locator("[data-code=absence_over_limit]")).to_be_visible()
        for name in completers:
            expect(admin.locator("tr.is-complete", has_text=name)).to_have_count(1)

    with journey.step("write an appraisal and close the class", admin):
        admin.get_by_role("textbox", name="学员甲").fill("学习认真，积极参与研讨，结业鉴定合格。")
        admin.get_by_label("我已核对名单，确认结班。").check()
        journey.submit(admin, admin.get_by_role("button", name="结班并颁发证书"))
        expect(admin.locator(".messages")).to_contain_text("已结班，正在颁发结业证书。")
        # Queued, not yet run: the bar stands at 0 of 3.
        bar = admin.get_by_role("progressbar")
        expect(bar).to_have_attribute("aria-valuenow", "0")
        expect(admin.locator("[data-field=total]")).to_have_text("3")
        expect(admin.locator("[data-field=done]")).to_have_text("0")
        klass.refresh_from_db()
        assert klass.status == TrainingClass.Status.CLOSED
        statuses = dict(
            Enrolment.objects.filter(training_class=klass).values_list(
                "trainee__full_name", "status"
            )
        )
        assert statuses == {
            **dict.fromkeys(completers, Enrolment.Status.COMPLETED),
            "学员丙": Enrolment.Status.WITHDRAWN,
            "学员丁": Enrolment.Status.WITHDRAWN,
        }
        # One entry per session date for each completer, 3 学时 each: 12 in all.
        posted = CreditEntry.objects.filter(source_key__startswith=f"class:{klass.pk}:")
        assert sorted(set(posted.values_list("person__full_name", flat=True))) == sorted(completers)
        assert {e.hours for e in posted} == {Decimal("3.0")} and posted.count() == 12
        assert {e.earned_on for e in posted} == {s.date for s in klass.sessions.all()}
        assert (
            CompletionRecord.objects.get(training_class=klass, trainee=world.trainee_a).appraisal
            == "学习认真，积极参与研讨，结业鉴定合格。"
        )
        batch = IssueBatch.objects.get(training_class=klass)
        assert (batch.status, batch.total, batch.done) == ("queued", 3, 0)
        assert not Certificate.objects.filter(training_class=klass).exists()

    with journey.step("the worker issues; the progress bar reaches the end", admin):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
        # The page polls the batch and reloads itself when it finishes.
        expect(admin.get_by_role("progressbar")).to_have_attribute(
            "aria-valuenow", "100", timeout=20_000
        )
        expect(admin.locator("[data-field=done]")).to_have_text("3")
        expect(admin.locator("[data-field=status]")).to_have_text("已完成")
        batch.refresh_from_db()
        assert (batch.status, batch.done, batch.failed) == ("finished", 3, 0)
        certificates = {
            c.snapshot["name"]: c for c in Certificate.objects.filter(training_class=klass)
        }
        assert sorted(certificates) == sorted(completers)
        assert all(c.pdf for c in certificates.values())
        numbers = sorted(c.number for c in certificates.values())
        assert len(set(numbers)) == 3 and all(re.fullmatch(r".+-\d{4}-\d{5}", n) for n in numbers)
        for name in completers:
            expect(_certificate_row(admin, certificates[name].number)).to_contain_text("有效")

    certificate = certificates["学员甲"]
    cert_pdf = journey.dir / "certificate.pdf"
    with journey.step("download 学员甲's certificate and look at it", admin):
        row = _certificate_row(admin, certificate.number)
        with admin.expect_download() as info:
            row.get_by_role("link", name="下载").click()
        download = info.value
        assert download.suggested_filename == f"{certificate.number}.pdf"
        shutil.copy(download.path(), cert_pdf)
        with pikepdf.open(cert_pdf) as pdf:
            assert len(pdf.pages) == 1
            box = [float(v) for v in pdf.pages[0].mediabox]
            assert box[2] > box[3]  # A4 landscape
        _assert_cjk_embedded(cert_pdf)
        text = _pdf_text(cert_pdf)
        for expected in ("学员甲", "结业证书", certificate.number, "12"):
            assert expected in text.replace(" ", ""), expected
        pngs = _to_png(cert_pdf, journey.dir / "certificate")
        assert len(pngs) == 1 and pngs[0].stat().st_size > 20_000
        # Scan the QR off the rendering, as a phone camera would.
        codes = zxingcpp.read_barcodes(Image.open(pngs[0]))
        assert [c.format for c in codes] == [zxingcpp.BarcodeFormat.QRCode]
        scanned = codes[0].text

    phone = journey.phone()
    with journey.step("a verifier opens the QR link on a phone: valid", phone):
        # The QR carries the public base URL (WAGTAILADMIN_BASE_URL, "http://testserver"
        # in tests); the phone opens the same path on the live server.
        assert scanned == rendering.verify_url(certificate.verification_code)
        verify_path = urlsplit(scanned).path
        assert verify_path.endswith(f"/{certificate.verification_code}/")
        phone.goto(journey.url(verify_path))
        expect(phone.locator("h1")).to_contain_text("证书验证")
        expect(phone.locator(".verify-result .badge")).to_have_text("有效")
        facts = phone.locator(".verify-facts")
        for shown in ("学员甲", CLASS_NAME, certificate.number, "12"):
            expect(facts).to_contain_text(shown)
        # Only what the paper shows: no phone number, no unit.
        assert world.trainee_a.phone not in phone.content()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    with journey.step("organiser revokes the certificate with a reason", admin):
        row = _certificate_row(admin, certificate.number)
        journey.submit(admin, row.get_by_role("link", name="撤销"))
        admin.get_by_role("textbox").fill("姓名有误，重新核发")
        journey.submit(admin, admin.get_by_role("button", name="撤销"))
        expect(admin.locator(".messages")).to_contain_text(certificate.number)
        row = _certificate_row(admin, certificate.number)
        expect(row).to_contain_text("已撤销")
        expect(row).to_contain_text("姓名有误，重新核发")
        certificate.refresh_from_db()
        assert certificate.revoked_at is not None
        assert certificate.revoke_reason == "姓名有误，重新核发"
        assert ModelLogEntry.objects.filter(action="certificates.revoke").count() == 1

    with journey.step("the verification page now says revoked", phone):
        phone.reload()
        expect(phone.locator(".verify-result .badge")).to_have_text("已撤销")
        expect(phone.locator(".verify-result")).to_contain_text("不再有效")
        expect(phone.locator(".verify-facts")).to_contain_text(certificate.number)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    with journey.step("download the class ZIP: one PDF per valid certificate", admin):
        with admin.expect_download() as info:
            admin.get_by_role("link", name="下载全班证书（ZIP）").click()
        archive = zipfile.ZipFile(info.value.path())
        valid = Certificate.objects.filter(training_class=klass, revoked_at__isnull=True)
        assert valid.count() == 2
        expected = sorted(f"{c.number}-{c.snapshot['name']}.pdf" for c in valid)
        assert sorted(archive.namelist()) == expected
        for name in archive.namelist():
            data = archive.read(name)
            assert data.startswith(b"%PDF-")
            with pikepdf.open(io.BytesIO(data)) as pdf:
                assert len(pdf.pages) == 1
        assert not any(certificate.number in n for n in archive.namelist())
        one = tmp_path / "from-zip.pdf"
        one.write_bytes(archive.read(expected[0]))
        _assert_cjk_embedded(one)  # each file stands alone with its font

    trainee = journey.phone()
    with journey.step("学员甲 sees the revoked certificate under 我的证书", trainee):
        journey.login(trainee, world.trainee_a.phone, TEST_PASSWORD, next_path="/certificates/")
        expect(trainee.locator("h1")).to_contain_text("我的证书")
        card = trainee.locator("article.card", has_text=certificate.number)
        expect(card).to_contain_text(CLASS_NAME)
        expect(card.locator(".badge")).to_have_text("已撤销")
        expect(card.get_by_role("link")).to_have_count(0)  # nothing to download or show
        assert trainee.evaluate("document.documentElement.scrollWidth") <= 375

    with journey.step("学员甲 opens 我的学时 on a phone", trainee):
        trainee.goto(journey.url("/ledger/"))
        expect(trainee.locator("h1")).to_contain_text("我的学时")
        expect(trainee.locator("main")).to_contain_text(CLASS_NAME)
        expect(trainee.locator("main")).to_contain_text("12")
        # 12 of the 90 in-person hours a village cadre needs a year: not met yet.
        requirement = trainee.locator("tr", has_text="村(社区)干部每年脱产培训")
        expect(requirement).to_contain_text("12 / 90")
        expect(requirement).to_contain_text("未达标")
        assert trainee.evaluate("document.documentElement.scrollWidth") <= 375

    record_pdf = journey.dir / "training-record.pdf"
    with journey.step("download the training record (一人一档)", trainee):
        with trainee.expect_download() as info:
            trainee.get_by_role("link", name="下载我的培训档案（PDF）").click()
        shutil.copy(info.value.path(), record_pdf)
        _assert_cjk_embedded(record_pdf)
        text = _pdf_text(record_pdf).replace(" ", "")
        assert "学员甲" in text and CLASS_NAME in text
        assert "村(社区)干部每年脱产培训" in text and "未达标" in text
        pngs = _to_png(record_pdf, journey.dir / "training-record")
        assert pngs and pngs[0].stat().st_size > 10_000
