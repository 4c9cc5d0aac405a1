"""A class's whole life after its last session: ended by the sweep, reviewed, closed,
certificates dated the close day, 学时 posted for exactly the sessions attended.

An in-person class of 罗山县 ran four mornings (yesterday the last), 3 学时 each:

- 学员甲 checked in at all four: 结业, 12 学时.
- 欧阳晓燕 checked in at three and was on approved 公假 (official duty, with the county's
  notice attached) for the third: 结业; the 公假 is excused by default, so 12 学时.
- 司马懿德 checked in at the first two only (one day of 旷课, under the two-day limit):
  结业, 6 学时, dated the two days attended.
- 学员丙 checked in at all four but never handed in the required 学习心得: 不予结业.
- 学员丁 never came (the sweep records the 旷课): two days, 退学.

The class is still 进行中 in the database with its end date yesterday; the sweep
(`close_sessions`, as cron runs it) records the absences and moves it to 已结束待结班.
"""

import datetime
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Grade, Submission
from attendance.models import AttendanceRecord, LeaveRequest
from attendance.services.leave import leave_approve, leave_request_create
from certificates.models import Certificate, CompletionRecord
from certificates.rendering import chinese_date
from ledger.models import CreditEntry
from tests.assessments.factories import AssignmentFactory
from tests.attendance.factories import AttendanceRecordFactory, session_around
from tests.factories import TEST_PASSWORD, UserFactory
from tests.journeys.harness import journey_test
from tests.training.factories import EnrolmentFactory, class_for_world
from training.models import Enrolment, TrainingClass

pytestmark = [pytest.mark.browser, journey_test]

CLASS_NAME = "罗山县村（社区）党组织书记乡村振兴专题培训班"
COMPLETERS = ("学员甲", "欧阳晓燕", "司马懿德")
# The lead quotes these; outside the repository, so nothing generated gets committed.
SHOTS = Path("/work/wt/journey-shots")
S = AttendanceRecord.Status
# A one-page PDF, enough for the attachment check (it reads the magic bytes).
NOTICE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _pdf_text(path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout.replace(" ", "")


def _keep(journey, page, name: str) -> None:
    """A copy of the whole screen for the lead, beside the journey's numbered screenshots.

    The Wagtail admin scrolls inside its own layout, so a full-page shot would stop at the
    window: the window is made as tall as the page for the shot.
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = journey.dir / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(document.body.scrollHeight, document.documentElement.scrollHeight, "
        "...[...document.querySelectorAll('main, .content-wrapper')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    shutil.copy(path, SHOTS / path.name)


def _no_horizontal_scroll(page, width=375):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def lived_class(world):
    today = timezone.localdate()
    klass = class_for_world(
        world,
        name=CLASS_NAME,
        credit_hours=Decimal("12.0"),
        start_date=today - datetime.timedelta(days=4),
        end_date=today - datetime.timedelta(days=1),
    )
    assert klass.status == TrainingClass.Status.RUNNING
    people = {"学员甲": world.trainee_a}
    for name in ("欧阳晓燕", "司马懿德", "学员丙", "学员丁"):
        people[name] = UserFactory(org_unit=world.village_a, full_name=name)
        EnrolmentFactory(training_class=klass, trainee=people[name])
    nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    sessions = [
        session_around(
            klass,
            start=nine - datetime.timedelta(days=4 - i),
            hours=3,
            credit_hours=Decimal("3.0"),
            title=f"第{i + 1}讲 抓党建促乡村振兴",
        )
        for i in range(4)
    ]
    attended = {
        "学员甲": sessions,
        "欧阳晓燕": [sessions[0], sessions[1], sessions[3]],
        "司马懿德": sessions[:2],
        "学员丙": sessions,
        "学员丁": [],
    }
    for name, held in attended.items():
        for session in held:
            AttendanceRecordFactory(session=session, trainee=people[name])
    # 公假 asked two days before the third session, with the notice, approved by the adviser.
    asked_at = sessions[2].starts_at - datetime.timedelta(days=2)
    leave = leave_request_create(
        trainee=people["欧阳晓燕"],
        training_class=klass,
        sessions=[sessions[2]],
        reason="县委组织部通知参加乡村振兴现场推进会",
        kind=LeaveRequest.Kind.OFFICIAL,
        attachment=SimpleUploadedFile("会议通知.pdf", NOTICE_PDF, "application/pdf"),
        now=asked_at,
    )
    leave_approve(actor=world.adviser, leave=leave, now=asked_at + datetime.timedelta(hours=2))
    # The required reflection: graded 合格 for everyone but 学员丙 (and 学员丁, who left).
    assignment = AssignmentFactory(training_class=klass, is_required=True, title="学习心得")
    for name in COMPLETERS:
        Submission.objects.create(
            assignment=assignment,
            trainee=people[name],
            text="通过学习，进一步明确了抓党建促乡村振兴的思路。",
            status=Submission.Status.GRADED,
            grade=Grade.PASS,
            submitted_at=sessions[3].ends_at,
            graded_by=world.instructor,
            graded_at=sessions[3].ends_at,
        )
    world.extra.update(people=people, sessions=sessions, attended=attended)
    return klass


def test_a_class_ends_is_closed_and_credits_exactly_what_was_attended(journey, world, lived_class):
    klass = lived_class
    people, sessions = world.extra["people"], world.extra["sessions"]
    today = timezone.localdate()
    trainee = journey.phone()

    with journey.step("past its end date, the trainee's class page already reads 已结束", trainee):
        journey.login(
            trainee, world.trainee_a.phone, TEST_PASSWORD, next_path=f"/classes/{klass.pk}/"
        )
        expect(trainee.locator("h1")).to_contain_text(CLASS_NAME)
        badge = trainee.locator(".class-hero__status .badge")
        expect(badge).to_contain_text("已结束")
        expect(trainee.locator("main")).not_to_contain_text("进行中")
        klass.refresh_from_db()
        assert klass.status == TrainingClass.Status.RUNNING  # the sweep has not run yet
        _no_horizontal_scroll(trainee)

    with journey.step("the sweep records the absences and ends the class", trainee):
        call_command("close_sessions", verbosity=0)
        klass.refresh_from_db()
        assert klass.status == TrainingClass.Status.ENDED
        absent = AttendanceRecord.objects.filter(session__training_class=klass, status=S.ABSENT)
        assert sorted(absent.values_list("trainee__full_name", "session__title")) == sorted(
            [("学员丁", s.title) for s in sessions] + [("司马懿德", s.title) for s in sessions[2:]]
        )
        on_leave = AttendanceRecord.objects.get(session__training_class=klass, status=S.ON_LEAVE)
        assert (on_leave.trainee, on_leave.session) == (people["欧阳晓燕"], sessions[2])
        call_command("close_sessions", verbosity=0)  # cron runs it again: nothing changes
        assert absent.count() == 6
        trainee.reload()
        expect(trainee.locator(".class-hero__status .badge")).to_have_text("已结束待结班")
        expect(trainee.locator("main")).not_to_contain_text("进行中")
        _no_horizontal_scroll(trainee)

    admin = journey.desktop()
    with journey.step("the organiser's class list shows 已结束待结班", admin):
        journey.login(admin, world.organiser.phone, TEST_PASSWORD, next_path="/admin/training/")
        row = admin.locator("tr", has_text=CLASS_NAME)
        expect(row).to_contain_text("已结束待结班")
        expect(row).not_to_contain_text("进行中")

    with journey.step("the completion review under 结业与证书 gives each outcome", admin):
        admin.goto(journey.url("/admin/certificates/"))
        expect(admin.locator("h1")).to_contain_text("结业与证书")
        journey.submit(admin, admin.get_by_role("link", name=CLASS_NAME))
        expect(admin.locator("main h2", has_text="结业审核")).to_contain_text(
            "5 名学员中 3 名符合结业条件"
        )
        for name in COMPLETERS:
            row = admin.locator("tr.is-complete", has_text=name)
            expect(row.locator("[data-outcome=completed]")).to_have_text("已结业")
        excused = admin.locator("tr", has_text="欧阳晓燕").locator(
            "[data-code=official_leave_excused]"
        )
        expect(excused).to_contain_text("公假不计入请假比例")
        expect(excused).to_contain_text("3")
        row = admin.locator("tr", has_text="学员丙")
        expect(row.locator("[data-outcome=not_completed]")).to_have_text("不予结业")
        expect(row.locator("[data-code=written_work_missing]")).to_contain_text("学习心得")
        row = admin.locator("tr", has_text="学员丁")
        expect(row.locator("[data-outcome=withdrawn]")).to_have_text("退学")
        expect(row.locator("[data-code=absence_over_limit]")).to_contain_text("2.0 ≥ 2")
        expect(admin.locator("[data-code=class_not_over]")).to_have_count(
            0
        )  # over: no reason asked
        _keep(journey, admin, "completion-review")

    with journey.step("the organiser closes the class", admin):
        admin.get_by_label("我已核对名单，确认结班。").check()
        journey.submit(admin, admin.get_by_role("button", name="结班并颁发证书"))
        expect(admin.locator(".messages")).to_contain_text("已结班")
        # Tests run tasks at once: the batch has finished when the page comes back.
        expect(admin.locator("[data-field=done]")).to_have_text("3")
        klass.refresh_from_db()
        assert (klass.status, klass.closed_on) == (TrainingClass.Status.CLOSED, today)
        outcomes = dict(
            Enrolment.objects.filter(training_class=klass).values_list(
                "trainee__full_name", "status"
            )
        )
        assert outcomes == {
            **dict.fromkeys(COMPLETERS, Enrolment.Status.COMPLETED),
            "学员丙": Enrolment.Status.NOT_COMPLETED,
            "学员丁": Enrolment.Status.WITHDRAWN,
        }
        for name, outcome in (("学员丙", "不予结业"), ("学员丁", "退学"), ("学员甲", "已结业")):
            row = admin.locator("tr[data-outcome]", has_text=name)
            expect(row.locator("span[data-outcome]")).to_have_text(outcome)

    certificate = Certificate.objects.get(training_class=klass, trainee=world.trainee_a)
    with journey.step("学员甲's certificate is dated the close day", admin):
        table = admin.locator("table", has=admin.locator("th", has_text="证书编号"))
        with admin.expect_download() as info:
            table.locator("tr", has_text=certificate.number).get_by_role(
                "link", name="下载"
            ).click()
        pdf = journey.dir / "certificate.pdf"
        shutil.copy(info.value.path(), pdf)
        text = _pdf_text(pdf)
        for expected in ("结业证书", "学员甲", certificate.number, chinese_date(today)):
            assert expected in text, (expected, text)
        # The stored PDF says the same: the issue date is the close day, not the end date.
        stored = journey.dir / "certificate-stored.pdf"
        with certificate.pdf.open("rb") as source:
            stored.write_bytes(source.read())
        assert chinese_date(today) in _pdf_text(stored)
        assert certificate.snapshot["issue_date"] == today.isoformat() != str(klass.end_date)
        assert sorted(
            Certificate.objects.filter(training_class=klass).values_list(
                "snapshot__name", flat=True
            )
        ) == sorted(COMPLETERS)

    with journey.step("the ledger holds exactly the sessions attended, on their dates"):
        by_person = {}
        for entry in CreditEntry.objects.filter(source_key__startswith=f"class:{klass.pk}:"):
            by_person.setdefault(entry.person.full_name, {})[entry.earned_on] = entry.hours
        credited = {
            "学员甲": sessions,
            "欧阳晓燕": sessions,  # three attended, the 公假 one excused
            "司马懿德": sessions[:2],
        }
        assert by_person == {
            name: {s.date: Decimal("3.0") for s in held} for name, held in credited.items()
        }
        assert not CreditEntry.objects.filter(
            person__in=[people["学员丙"], people["学员丁"]]
        ).exists()
        hours = {
            r.trainee.full_name: r.hours
            for r in CompletionRecord.objects.filter(training_class=klass).select_related("trainee")
        }
        assert hours == {
            "学员甲": 12,
            "欧阳晓燕": 12,
            "司马懿德": 6,
            "学员丙": None,
            "学员丁": None,
        }

    with journey.step("学员甲's class page shows the outcome and the certificate", trainee):
        trainee.reload()
        expect(trainee.locator(".class-hero__status .badge")).to_have_text("已结班")
        card = trainee.locator("#outcome")
        expect(card.locator(".badge")).to_have_text("已结业")
        expect(card).to_contain_text("12")
        expect(card).to_contain_text(certificate.number)
        expect(trainee.locator("main")).not_to_contain_text("进行中")
        _no_horizontal_scroll(trainee)
        _keep(journey, trainee, "trainee-outcome")

    with journey.step("学员甲 sees the 12 学时 under 我的学时", trainee):
        trainee.goto(journey.url("/ledger/"))
        expect(trainee.locator("h1")).to_contain_text("我的学时")
        main = trainee.locator("main")
        expect(main).to_contain_text(CLASS_NAME)
        for session in sessions:
            expect(main).to_contain_text(session.date.isoformat())
        if {s.date.year for s in sessions} == {today.year}:  # not across New Year
            requirement = trainee.locator("tr", has_text="村(社区)干部每年脱产培训")
            expect(requirement).to_contain_text("12 / 90")
        _no_horizontal_scroll(trainee)

    other = journey.phone()
    with journey.step("学员丙 reads why: 不予结业, the reflection missing", other):
        journey.login(
            other, people["学员丙"].phone, TEST_PASSWORD, next_path=f"/classes/{klass.pk}/"
        )
        card = other.locator("#outcome")
        expect(card.locator(".badge")).to_have_text("不予结业")
        expect(card.locator("[data-code=written_work_missing]")).to_contain_text("学习心得")
        other.goto(journey.url("/ledger/"))
        expect(other.locator("main")).not_to_contain_text(CLASS_NAME)
        _no_horizontal_scroll(other)
