"""A trainee on a phone studies a lesson, is asked "还在学习吗?", and finds a case by search."""

import pytest
from playwright.sync_api import expect

from courses.models import LessonProgress
from tests.courses.factories import enrol, lessons_of, make_case, make_course, site_indexes
from tests.factories import TEST_PASSWORD
from tests.journeys.harness import journey_test

pytestmark = [pytest.mark.browser, journey_test]


def test_trainee_studies_a_lesson_and_searches_the_case_library(journey, world, settings):
    # Beat every second and call the reader idle after four, to keep the journey short.
    settings.COURSES_HEARTBEAT_INTERVAL_SECONDS = 1
    settings.COURSES_IDLE_PROMPT_SECONDS = 4
    settings.COURSES_HEARTBEAT_RATE_PER_MINUTE = 200
    courses, cases = site_indexes()
    course = make_course(courses, lessons=2, minutes=5, title="先导区建设：片区化组团式发展")
    enrol(world.trainee_a, course)
    make_case(cases, title="沁阳市：区域党委+特色产业", summary="沁阳设立4个区域党委。")
    lesson = lessons_of(course)[0]
    page = journey.phone()

    with journey.step("log in and open my learning"):
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD, next_path="/learning/")
        expect(page.locator("h1")).to_contain_text("我的学习")
        expect(page.locator(".next-up")).to_contain_text(lesson.title)

    with journey.step("start the lesson"):
        journey.submit(page, page.locator(".next-up a.button"))
        expect(page.locator("h1")).to_contain_text(lesson.title)
        page.mouse.move(40, 300)
        expect(page.locator("#study-time")).not_to_contain_text("0 分 0 秒", timeout=6000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

    with journey.step("asked whether still studying"):
        expect(page.locator("#idle-prompt")).to_be_visible(timeout=8000)
        expect(page.locator("#idle-prompt")).to_contain_text("还在学习吗")
        progress = LessonProgress.objects.get(trainee=world.trainee_a, lesson=lesson)
        paused = progress.seconds_studied
        assert paused >= 1
        page.wait_for_timeout(2500)
        progress.refresh_from_db()
        assert progress.seconds_studied == paused  # nothing credited while idle

    with journey.step("continue studying"):
        page.locator("#idle-continue").click()
        expect(page.locator("#idle-prompt")).to_be_hidden()
        # The first beat after the prompt restarts the clock without credit; the next
        # ones count. Poll (moving the mouse, as a reader does) rather than sleep once, so
        # a slow machine does not fail the step.
        for attempt in range(20):
            page.mouse.move(60 + attempt, 320)
            page.wait_for_timeout(500)
            progress.refresh_from_db()
            if progress.seconds_studied > paused:
                break
        assert progress.seconds_studied > paused

    with journey.step("search the case library"):
        page.goto(journey.url("/learning/search/?q=区域党委"))
        expect(page.locator(".search-results").first).to_contain_text("沁阳市")
