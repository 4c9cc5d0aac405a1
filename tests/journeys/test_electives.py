"""Issue 20 on a 375 px phone: a trainee chooses an elective, finishes it and sees the 学时
on 我的学时; declares training taken elsewhere; the organiser approves it; it appears in
the ledger. Then the lesson stays readable offline, without a study clock."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import CourseProgress, LessonProgress, Theme
from declarations.models import Declaration
from ledger.models import CreditEntry
from tests.courses.factories import lessons_of, make_course, site_indexes
from tests.declarations.factories import PDF
from tests.factories import TEST_PASSWORD
from tests.journeys.harness import journey_test

pytestmark = [pytest.mark.browser, journey_test]


def _elective():
    courses, _cases = site_indexes()
    course = make_course(
        courses, lessons=1, minutes=1, self_selectable=True, title="区域党委+特色产业"
    )
    course.themes.set([Theme.objects.get(code=Theme.Code.INDUSTRY)])
    course.save()
    return course


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_trainee_takes_an_elective_and_declares_hours_that_the_organiser_approves(
    journey, world, settings
):
    settings.COURSES_HEARTBEAT_INTERVAL_SECONDS = 1
    settings.COURSES_HEARTBEAT_RATE_PER_MINUTE = 200
    course = _elective()
    lesson = lessons_of(course)[0]
    page = journey.phone()

    with journey.step("open the self-selected study catalogue"):
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD, next_path="/learning/electives/")
        expect(page.locator("h1")).to_contain_text("自主选学")
        shelf = page.locator(".elective-shelf").first
        expect(shelf.locator("h2")).to_contain_text("产业振兴")
        expect(shelf.locator(".elective")).to_contain_text("0.25 学时")
        _fits_the_phone(page)

    with journey.step("enrol"):
        journey.submit(page, shelf.get_by_role("button", name="选学"))
        expect(page.locator("h1")).to_contain_text(course.title)
        expect(page.locator(".messages")).to_contain_text("已选学")

    with journey.step("study the lesson to the end"):
        journey.submit(page, page.locator("a.button--block"))
        expect(page.locator("h1")).to_contain_text(lesson.title)
        # The lesson needs a minute; the journey starts near its end and lets the real
        # clock (server-measured heartbeats) finish it.
        LessonProgress.objects.filter(trainee=world.trainee_a, lesson=lesson).update(
            seconds_studied=55
        )
        for attempt in range(40):
            page.mouse.move(40 + attempt, 300)
            page.wait_for_timeout(500)
            if CourseProgress.objects.filter(
                trainee=world.trainee_a, course=course, completed_at__isnull=False
            ).exists():
                break
        expect(page.locator("#study-status")).to_contain_text("课程", timeout=5000)
        _fits_the_phone(page)

    with journey.step("see the 学时 on my credit hours"):
        page.goto(journey.url("/ledger/"))
        target = page.locator("#online-target")
        expect(target).to_contain_text("0.25")
        expect(target).to_contain_text("/ 50")
        expect(page.locator(".list")).to_contain_text(course.title)
        _fits_the_phone(page)

    with journey.step("declare training taken elsewhere"):
        page.get_by_role("link", name="申报在其他地方参加的培训").click()
        expect(page.locator("h1")).to_contain_text("学时申报")
        page.locator("#id_kind").select_option("in_person")
        page.locator("#id_title").fill("河南省村党组织书记示范培训班")
        page.locator("#id_organiser").fill("河南省委党校")
        page.locator("#id_start_date").fill("2026-03-02")
        page.locator("#id_end_date").fill("2026-03-06")
        page.locator("#id_hours").fill("40")
        page.locator("#id_evidence").set_input_files(
            files=[{"name": "结业证书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        journey.submit(page, page.get_by_role("button", name="提交申报"))
        expect(page.locator(".declaration").first).to_contain_text("待审核")
        _fits_the_phone(page)
    declaration = Declaration.objects.get(person=world.trainee_a)

    organiser = journey.phone()
    with journey.step("the organiser opens the declaration", organiser):
        journey.login(organiser, world.organiser.username, TEST_PASSWORD, next_path="/admin/")
        organiser.goto(journey.url("/admin/snippets/declarations/declaration/"))
        expect(organiser.locator("main")).to_contain_text("河南省村党组织书记示范培训班")
        organiser.goto(
            journey.url(f"/admin/snippets/declarations/declaration/inspect/{declaration.pk}/")
        )
        expect(organiser.locator("main")).to_contain_text("河南省委党校")

    with journey.step("the organiser approves", organiser):
        journey.submit(organiser, organiser.get_by_role("button", name=re.compile("批准")))
        expect(organiser.locator(".messages")).to_contain_text("已批准")
        assert CreditEntry.objects.filter(
            person=world.trainee_a, source_key=f"declaration:{declaration.pk}"
        ).exists()

    with journey.step("the trainee sees it in the ledger", page):
        page.goto(journey.url("/ledger/"))
        expect(page.locator(".list")).to_contain_text("河南省村党组织书记示范培训班")
        page.goto(journey.url("/ledger/declarations/"))
        expect(page.locator(".declaration").first).to_contain_text("已批准")
        _fits_the_phone(page)


def test_an_opened_lesson_stays_readable_offline_without_a_study_clock(journey, world, settings):
    settings.COURSES_HEARTBEAT_INTERVAL_SECONDS = 1
    settings.COURSES_HEARTBEAT_RATE_PER_MINUTE = 200
    course = _elective()
    lesson = lessons_of(course)[0]
    from courses.services import course_self_enrol

    course_self_enrol(trainee=world.trainee_a, course=course)
    # The harness adds the CSP header by routing every request through Playwright, whose
    # own fetch ignores the offline switch; this phone goes to the server directly.
    journey.csp = ""
    page = journey.phone()

    with journey.step("open the lesson online"):
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD, next_path=lesson.url)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        # The worker controls the page from its next load; this one is then kept.
        page.reload()
        assert page.evaluate("!!navigator.serviceWorker.controller")
        expect(page.locator("h1")).to_contain_text(lesson.title)
        expect(page.locator("#offline-banner")).to_be_hidden()

    with journey.step("read it again offline"):
        page.context.set_offline(True)
        page.reload()
        expect(page.locator("h1")).to_contain_text(lesson.title)
        expect(page.locator("#offline-banner")).to_be_visible()
        expect(page.locator("#study-status")).to_contain_text("离线")
        before = LessonProgress.objects.get(trainee=world.trainee_a, lesson=lesson)
        for attempt in range(6):
            page.mouse.move(40 + attempt, 300)
            page.wait_for_timeout(500)
        page.context.set_offline(False)
        for attempt in range(6):
            page.mouse.move(60 + attempt, 300)
            page.wait_for_timeout(500)
        after = LessonProgress.objects.get(trainee=world.trainee_a, lesson=lesson)
        assert after.seconds_studied == before.seconds_studied  # the kept copy runs no clock
        _fits_the_phone(page)
