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
        # Read as a person does, moving now and then, until the server credits a beat; a
        # reader who keeps still for the 4 s idle limit would (rightly) be asked instead.
        study_time = page.locator("#study-time")
        for attempt in range(24):
            page.mouse.move(40 + attempt, 300)
            if study_time.inner_text().strip() != "已学 0 分 0 秒":
                break
            page.wait_for_timeout(500)
        expect(page.locator("#idle-prompt")).to_be_hidden()
        expect(study_time).not_to_have_text("已学 0 分 0 秒")
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


def test_lesson_is_written_approved_and_reaches_the_class(journey, world):
    """An instructor writes a lesson and submits it; the organiser approves it, puts the
    course on a class's curriculum, and a trainee of that class finds it on the phone."""
    from courses.models import ClassCourse, LessonPage
    from tests.training.factories import class_for_world

    courses, _cases = site_indexes()
    course = make_course(
        courses, lessons=1, minutes=5, title="乡村组织振兴专题", instructors=[world.instructor]
    )
    klass = class_for_world(world)

    author = journey.desktop()
    with journey.step("instructor opens a new lesson in the admin", author):
        journey.login(author, world.instructor.phone, TEST_PASSWORD, next_path="/admin/")
        author.goto(journey.url(f"/admin/pages/add/courses/lessonpage/{course.pk}/"))
        author.locator("#id_title").fill("党支部领办合作社")
        author.locator("#id_summary").fill("党支部+合作社+龙头企业+农户的组织方式。")
        author.locator("#id_min_study_minutes").fill("5")

    with journey.step("instructor writes the body", author):
        author.locator(".c-sf-add-button").first.click()
        author.get_by_role("option", name="富文本").first.click()
        editor = author.locator(".public-DraftEditor-content").first
        editor.click()
        editor.type("村党支部牵头成立合作社，带动农户入股分红。")
        expect(editor).to_contain_text("带动农户入股分红")
        # Draftail writes its content to the form's hidden input a moment after typing;
        # submitting before that would send an empty body.
        author.wait_for_function(
            """() => [...document.querySelectorAll('input[type=hidden]')]
                .some((input) => input.value.includes('带动农户入股分红'))"""
        )

    with journey.step("instructor submits it for approval", author):
        author.locator(".w-dropdown-button [data-w-dropdown-target='toggle']").first.click()
        journey.submit(author, author.locator("button[name='action-submit']"))
        expect(author.locator(".messages")).to_contain_text("党支部领办合作社")
        lesson = LessonPage.objects.get(title="党支部领办合作社")
        assert not lesson.live and lesson.current_workflow_state.status == "in_progress"

    reviewer = journey.desktop()
    with journey.step("organiser approves the lesson", reviewer):
        journey.login(reviewer, world.organiser.phone, TEST_PASSWORD, next_path="/admin/")
        reviewer.goto(journey.url(f"/admin/pages/{lesson.pk}/edit/"))
        reviewer.locator(".w-dropdown-button [data-w-dropdown-target='toggle']").first.click()
        approve = reviewer.locator("button[data-workflow-action-name='approve']").first
        journey.submit(reviewer, approve)
        lesson.refresh_from_db()
        assert lesson.live

    with journey.step("organiser finds the class under 课程分配", reviewer):
        reviewer.goto(journey.url("/admin/"))
        reviewer.get_by_role("button", name="课程分配").click()
        reviewer.get_by_role("link", name="培训班课程").click()
        reviewer.get_by_role("link", name=klass.name).click()
        expect(reviewer.locator("h1")).to_contain_text(klass.name)
        expect(reviewer.locator("table.listing")).to_contain_text("还没有网络课程")

    with journey.step("organiser adds the course to the class", reviewer):
        reviewer.locator("#id_course").select_option(label=course.title)
        journey.submit(reviewer, reviewer.get_by_role("button", name="添加到本班"))
        expect(reviewer.locator(".messages")).to_contain_text(f"已添加“{course.title}”")
        expect(reviewer.locator("table.listing")).to_contain_text(course.title)
        expect(reviewer.locator("table.listing")).to_contain_text("必修")
        assert ClassCourse.objects.filter(training_class=klass, course=course).exists()

    phone = journey.phone()
    with journey.step("trainee sees the course under 我的学习", phone):
        journey.login(phone, world.trainee_a.phone, TEST_PASSWORD, next_path="/learning/")
        expect(phone.locator("h1")).to_contain_text("我的学习")
        expect(phone.locator("main")).to_contain_text(course.title)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    with journey.step("trainee opens the course and finds the new lesson", phone):
        journey.submit(phone, phone.get_by_role("link", name=course.title).first)
        expect(phone.locator("main")).to_contain_text("党支部领办合作社")

    with journey.step("organiser follows the course's progress and finds a trainee", reviewer):
        reviewer.goto(journey.url("/admin/"))
        reviewer.get_by_role("button", name="课程分配").click()
        reviewer.get_by_role("link", name="个人分配与学习进度").click()
        reviewer.get_by_role("link", name=course.title).click()
        roster = reviewer.locator("table.listing").last
        expect(roster).to_contain_text("学员甲")
        expect(roster).to_contain_text(klass.name)
        reviewer.get_by_role("searchbox").fill(world.trainee_a.phone[-4:])
        journey.submit(reviewer, reviewer.get_by_role("button", name="查找学员"))
        expect(reviewer.locator("form table.listing")).to_contain_text("学员甲")
