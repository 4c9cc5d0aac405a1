"""Monday's question, "who has been trained, who is falling behind, and where", answered
in the Wagtail admin by the 信阳市 organiser and by the 罗山县 organiser, who must see only
罗山县.

The data: a class running in each county this week (sessions held, attendance taken, a
required quiz), a class closed in each county this year, a 2023 city-level class that
trained both counties' village Party secretaries, and credit hours on the ledger.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessments.models import Attempt
from attendance.models import AttendanceRecord
from ledger.models import CreditEntry
from tests.assessments.factories import QuizFactory
from tests.attendance.factories import AttendanceRecordFactory, session_around
from tests.factories import TEST_PASSWORD, UserFactory
from tests.journeys.harness import journey_test
from tests.reports.factories import city_class, enrol, hours
from tests.training.factories import TrainingClassFactory, class_for_world
from training.models import Enrolment, TrainingClass

pytestmark = [pytest.mark.browser, journey_test]

S = AttendanceRecord.Status
RUNNING_A = "罗山县村党组织书记乡村振兴专题培训班"
RUNNING_B = "息县村党组织书记基层治理专题培训班"
CITY_2023 = "信阳市村党组织书记示范培训班"


@pytest.fixture
def county_data(world):
    today = timezone.localdate()
    year = today.year
    running_a = class_for_world(
        world,
        name=RUNNING_A,
        start_date=today - datetime.timedelta(days=3),
        end_date=today + datetime.timedelta(days=3),
    )
    running_b = world.extra["class_b"]
    running_b.name, running_b.start_date, running_b.end_date = (
        RUNNING_B,
        running_a.start_date,
        running_a.end_date,
    )
    running_b.save()
    people = {"学员甲": world.trainee_a, "学员乙": world.trainee_b}
    for name in ("张志强", "李秀英", "王建国"):
        people[name] = UserFactory(org_unit=world.village_a, full_name=name)
        enrol(running_a, people[name], status=Enrolment.Status.ENROLLED)
    people["赵丽华"] = UserFactory(org_unit=world.village_b, full_name="赵丽华")
    enrol(running_b, people["赵丽华"], status=Enrolment.Status.ENROLLED)

    # Three morning sessions held this week in each running class.
    base = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0)
    marks_a = {  # 张志强 missed all three: 1.5 days of 旷课 so far, and failed the quiz
        "学员甲": [S.PRESENT, S.PRESENT, S.PRESENT],
        "李秀英": [S.PRESENT, S.LATE, S.PRESENT],
        "王建国": [S.PRESENT, S.ON_LEAVE, S.PRESENT],
        "张志强": [S.ABSENT, S.ABSENT, S.ABSENT],
    }
    marks_b = {"学员乙": [S.PRESENT] * 3, "赵丽华": [S.PRESENT, S.ABSENT, S.PRESENT]}
    for klass, marks in ((running_a, marks_a), (running_b, marks_b)):
        for i in range(3):
            session = session_around(
                klass, start=base - datetime.timedelta(days=3 - i), credit_hours=Decimal("3.0")
            )
            for name, statuses in marks.items():
                status = statuses[i]
                AttendanceRecordFactory(
                    session=session,
                    trainee=people[name],
                    status=status,
                    checked_in_at=None if status in (S.ABSENT, S.ON_LEAVE) else session.starts_at,
                )
    quiz = QuizFactory(training_class=running_a, title="乡村振兴政策测验", is_required=True)
    submitted = timezone.now() - datetime.timedelta(days=1)
    for name, percent in (("学员甲", 95), ("李秀英", 82), ("王建国", 71), ("张志强", 45)):
        Attempt.objects.create(
            quiz=quiz,
            trainee=people[name],
            number=1,
            status=Attempt.Status.SUBMITTED,
            started_at=submitted - datetime.timedelta(minutes=20),
            submitted_at=submitted,
            score=Decimal(percent),
            max_score=Decimal("100"),
            percent=Decimal(percent),
            passed=percent >= 60,
        )

    # Classes closed this year: 罗山县 2 of 2 completed, 息县 1 of 2.
    closed = {"status": TrainingClass.Status.CLOSED}
    spring = {"start_date": datetime.date(year, 3, 2), "end_date": datetime.date(year, 3, 8)}
    closed_a = TrainingClassFactory(organising_unit=world.county_a, **closed, **spring)
    enrol(closed_a, people["李秀英"])
    enrol(closed_a, people["王建国"])
    closed_b = TrainingClassFactory(organising_unit=world.county_b, **closed, **spring)
    enrol(closed_b, people["赵丽华"])
    enrol(closed_b, people["学员乙"], status=Enrolment.Status.WITHDRAWN)

    # 2023: both village secretaries trained at city level (coverage 2021–2025).
    city = city_class(world, name=CITY_2023)
    enrol(city, world.trainee_a)
    enrol(city, world.trainee_b)
    hours(world.trainee_a, "42", year=year)
    hours(world.trainee_a, "12", year=year, channel=CreditEntry.Channel.ONLINE)
    hours(world.trainee_b, "36", year=year)
    world.extra.update(people=people, running_a=running_a, running_b=running_b, city=city)
    return world


def _xlsx(download) -> list[list]:
    # The saved download has no .xlsx suffix, which openpyxl insists on for a path.
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def _charts(page) -> list[str]:
    """The aria-labels of the inline SVG charts on the page."""
    return page.locator("svg.report-chart").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )


def test_city_organiser_drills_down_and_exports_county_organiser_sees_only_their_county(
    journey, county_data
):
    world = county_data
    people = world.extra["people"]
    page = journey.desktop()

    with journey.step("city organiser opens 培训统计 → 培训总览", page):
        journey.login(page, world.city_organiser.phone, TEST_PASSWORD, next_path="/admin/")
        page.get_by_role("button", name="培训统计").click()
        journey.submit(page, page.get_by_role("link", name="培训总览"))
        expect(page.locator("h1")).to_contain_text("培训总览")
        figures = page.locator(".report-figures")
        expect(figures.locator(".report-figure", has_text="进行中的培训班")).to_contain_text("2")
        expect(figures.locator(".report-figure", has_text="在训学员")).to_contain_text("6")
        # Nobody has 50 online hours this year: compliance is 0 of the 6 people in scope.
        expect(figures.locator(".report-figure", has_text="学时达标率")).to_contain_text("(0/6)")
        assert _charts(page) == ["各课次考勤", "测验成绩分布", "各单位结业率"]
        completion = page.locator(".report-card", has_text="结业率").locator("tbody")
        expect(completion.locator("tr", has_text="罗山县")).to_contain_text("100")
        expect(completion.locator("tr", has_text="息县")).to_contain_text("50")
        page.locator(".report-charts").screenshot(path=str(journey.dir / "overview-charts.png"))

    with journey.step("training coverage by county", page):
        journey.submit(page, page.get_by_role("link", name="培训覆盖情况 →"))
        expect(page.locator("h1")).to_contain_text("培训覆盖情况")
        # The page opens on this cycle; the 2023 city class counts in 2021-2025.
        page.goto(page.url.split("?")[0] + "?start=2021-01-01&end=2025-12-31")
        table = page.locator("table.report-coverage tbody")
        expect(table.locator("tr")).to_have_count(2)
        expect(table.locator("tr", has_text="罗山县").locator("td").nth(2)).to_have_text("1")
        expect(table.locator("tr", has_text="息县").locator("td").nth(2)).to_have_text("1")
        # The same rule as the overview: headcount 4 in 罗山县, none meeting the hours.
        cells = table.locator("tr", has_text="罗山县").locator("td")
        expect(cells.nth(14)).to_have_text("4")
        expect(cells.nth(15)).to_have_text("0")
        assert "村党组织书记省市级培训覆盖率" in _charts(page)
        page.locator("svg.report-chart").first.screenshot(
            path=str(journey.dir / "coverage-chart.png")
        )

    with journey.step("drill down 罗山县 → 周党镇 → 东湾村", page):
        journey.submit(
            page, page.locator("table.report-coverage").get_by_role("link", name="罗山县")
        )
        expect(page.locator(".report-trail")).to_contain_text("罗山县")
        journey.submit(
            page, page.locator("table.report-coverage").get_by_role("link", name="周党镇")
        )
        expect(page.locator(".report-trail")).to_contain_text("周党镇")
        village = page.locator("table.report-coverage tbody tr", has_text="东湾村")
        expect(village).to_be_visible()
        # Everyone counted in 东湾村 (the headcount links to the list of them).
        journey.submit(page, village.locator("td").nth(14).get_by_role("link"))
        expect(page.locator("h1")).to_contain_text("全部人员")
        listing = page.locator("main table")
        for name in ("学员甲", "张志强", "李秀英", "王建国"):
            expect(listing).to_contain_text(name)
        expect(listing).not_to_contain_text("学员乙")

    with journey.step("open a class report from 培训班报表", page):
        page.goto(journey.url("/admin/reports/classes/"))
        expect(page.locator("main table")).to_contain_text(RUNNING_B)  # both counties
        journey.submit(page, page.get_by_role("link", name=RUNNING_A))
        expect(page.locator("h1")).to_contain_text(RUNNING_A)
        risk = page.locator(".report-card", has_text="预警学员")
        expect(risk).to_contain_text("张志强")
        expect(risk).not_to_contain_text("学员甲")
        assert _charts(page) == ["各课次考勤"]
        matrix = page.locator("table.report-matrix")
        expect(matrix.locator("tbody tr")).to_have_count(4)
        expect(matrix.locator("tr.report-risk")).to_contain_text("张志强")
        page.locator(".report-card", has_text="各课次考勤").first.screenshot(
            path=str(journey.dir / "class-attendance-chart.png")
        )

    with journey.step("drill down to a person from the class", page):
        journey.submit(page, risk.get_by_role("link", name="张志强"))
        expect(page.locator("h1")).to_contain_text("张志强")
        expect(page.locator("main")).to_contain_text(RUNNING_A)
        # No hours this year against 90 in person and 50 online: not met.
        meets = page.locator(".report-figure", has_text="学时是否达标")
        expect(meets.locator(".report-figure__value")).to_have_text("否")
        expect(meets).to_have_class(re.compile("report-figure--bad"))

    with journey.step("export the class report to XLSX", page):
        page.go_back()
        expect(page.locator("h1")).to_contain_text(RUNNING_A)
        with page.expect_download() as info:
            page.get_by_role("link", name="导出 XLSX").click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        rows = _xlsx(download)
        header = rows[0]
        assert header[0] == "姓名"
        assert all(isinstance(h, str) and h for h in header), header
        assert any("\u4e00" <= ch <= "\u9fff" for h in header[1:] for ch in h), header
        by_name = {r[0]: r for r in rows[1:]}
        assert set(by_name) == {"学员甲", "张志强", "李秀英", "王建国"}
        assert "罗山县" in str(by_name["张志强"]) or "东湾村" in str(by_name["张志强"])

    with journey.step("export coverage to XLSX: Chinese headers, one row per county", page):
        page.goto(journey.url("/admin/reports/coverage/"))
        with page.expect_download() as info:
            page.get_by_role("link", name="导出 XLSX").click()
        rows = _xlsx(info.value)
        assert rows[0][0] == "单位"
        assert [r[0] for r in rows[1:]] == ["罗山县", "息县", "合计"]

    county = journey.desktop()
    with journey.step("罗山县 organiser opens the overview: only 罗山县", county):
        journey.login(county, world.organiser.phone, TEST_PASSWORD, next_path="/admin/reports/")
        expect(county.locator("h1")).to_contain_text("培训总览")
        expect(
            county.locator(".report-figure", has_text="进行中的培训班").locator(
                ".report-figure__value"
            )
        ).to_have_text("1")
        main = county.locator("main")
        expect(main).to_contain_text(RUNNING_A)
        for foreign in ("息县", RUNNING_B, "学员乙", "赵丽华"):
            expect(main).not_to_contain_text(foreign)

    with journey.step("罗山县 organiser: coverage and class list stay in the county", county):
        county.goto(journey.url("/admin/reports/coverage/"))
        expect(county.locator("table.report-coverage tbody")).to_contain_text("周党镇")
        expect(county.locator("main")).not_to_contain_text("息县")
        county.goto(journey.url("/admin/reports/coverage/people/?list=all"))
        expect(county.locator("main table")).to_contain_text("张志强")
        expect(county.locator("main")).not_to_contain_text("学员乙")
        expect(county.locator("main")).not_to_contain_text("赵丽华")
        county.goto(journey.url("/admin/reports/classes/"))
        expect(county.locator("main table")).to_contain_text(RUNNING_A)
        expect(county.locator("main table")).not_to_contain_text(RUNNING_B)

    with journey.step("罗山县 organiser: URLs outside the county are 404", county):
        for path in (
            f"/admin/reports/classes/{world.extra['running_b'].pk}/",
            f"/admin/reports/coverage/?unit={world.county_b.pk}",
            f"/admin/reports/people/{people['学员乙'].pk}/",
        ):
            response = county.goto(journey.url(path))
            assert response.status == 404, path
            expect(county.locator("main")).not_to_contain_text("学员乙")
        expect(county.locator("main")).to_contain_text("不在您管理的单位范围内")
        # An export of the other county is refused the same way.
        response = county.request.get(
            journey.url(f"/admin/reports/coverage/people/?list=all&unit={world.county_b.pk}")
            + "&export=xlsx"
        )
        assert response.status == 404

    with journey.step("罗山县 organiser's export holds only 罗山县 people", county):
        county.goto(journey.url("/admin/reports/coverage/people/?list=all"))
        with county.expect_download() as info:
            county.get_by_role("link", name="导出 XLSX").click()
        rows = _xlsx(info.value)
        assert rows[0][0] == "姓名"
        names = {r[0] for r in rows[1:]}
        assert {"学员甲", "张志强", "李秀英", "王建国"} <= names
        assert not names & {"学员乙", "赵丽华"}


def _fits(page) -> None:
    """Nothing runs off the right edge: the page scrolls only down (wide tables scroll
    inside their cards)."""
    widths = page.evaluate(
        "(() => { const m = document.querySelector('main');"
        " return [m.scrollWidth, m.clientWidth, document.documentElement.scrollWidth,"
        " document.documentElement.clientWidth]; })()"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths


@pytest.mark.parametrize("width", [1366, 1920])
def test_a_long_class_report_fits_the_screen(journey, world, width):
    """Three weeks of sessions: the trainee × session table scrolls inside its card, the
    page itself stays within the screen at 1366 and 1920 px (it used to run off the right
    edge), and the charts show every session under the class's name, not its code."""
    klass = class_for_world(world, name="三周脱产培训班")
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0)
    for day in range(21):
        session = session_around(klass, start=start - datetime.timedelta(days=30 - day))
        AttendanceRecordFactory(session=session, trainee=world.trainee_a)
    page = journey.new_page(viewport={"width": width, "height": 900})
    with journey.step(f"the organiser opens the class report at {width} px", page):
        journey.login(page, world.organiser.phone, TEST_PASSWORD, next_path="/admin/")
        page.goto(journey.url(f"/admin/reports/classes/{klass.pk}/"))
        expect(page.locator("h1")).to_contain_text("三周脱产培训班")
        _fits(page)
        chart = page.locator(".report-card", has_text="各课次考勤").locator("svg.report-chart")
        # One bar label per session, all 21 of them.
        expect(chart.locator("text[text-anchor=end]")).to_have_count(21)
        scroll = page.locator(".report-scroll")
        assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls

    with journey.step(f"the overview at {width} px: every session, under the class name", page):
        page.goto(journey.url("/admin/reports/"))
        expect(page.locator("h1")).to_contain_text("培训总览")
        _fits(page)
        card = page.locator(".report-card", has_text="各课次考勤")
        chart = card.locator("svg.report-chart")
        year = timezone.localdate().year
        shown = sum(
            1
            for day in range(21)
            if timezone.localtime(start - datetime.timedelta(days=30 - day)).year == year
        )
        # Twenty sessions a page, the newest first; the rest one click away.
        expect(chart.locator("text[text-anchor=end]")).to_have_count(min(shown, 20))
        if shown > 20:
            expect(card).to_contain_text(f"共 {shown} 个课次")
            journey.submit(page, card.get_by_role("link", name="较早的课次"))
            expect(chart.locator("text[text-anchor=end]")).to_have_count(shown - 20)
        if shown:
            expect(chart).to_contain_text("三周脱产培训班")
            assert klass.code not in chart.inner_html()
        expect(card).not_to_contain_text("最近 12")
