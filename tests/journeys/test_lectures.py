"""An instructor uploads a lecture and places it in a lesson; a trainee on a phone
watches part of it, reloads and resumes, is refused a skip ahead, finishes it, and finds
the 学时 on 我的学时."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courses.models import CourseProgress, LessonPage, LessonProgress
from lectures.models import Lecture, LectureWatch
from tests.courses.factories import enrol, lessons_of, make_course, site_indexes
from tests.factories import TEST_PASSWORD
from tests.journeys.harness import journey_test

pytestmark = [pytest.mark.browser, journey_test]


def _clip(path: Path, seconds: int = 10) -> Path:
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=426x240:rate=15:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def _video_time(page) -> float:
    return page.evaluate("document.querySelector('video[data-lecture-player]').currentTime")


def test_a_lecture_is_uploaded_placed_watched_and_credited(journey, world, settings, tmp_path):
    settings.LECTURES_HEARTBEAT_INTERVAL_SECONDS = 1
    settings.LECTURES_HEARTBEAT_RATE_PER_MINUTE = 600
    settings.COURSES_HEARTBEAT_INTERVAL_SECONDS = 1
    settings.COURSES_HEARTBEAT_RATE_PER_MINUTE = 600
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    courses, _cases = site_indexes()
    course = make_course(
        courses, lessons=1, minutes=1, title="基层治理专题", instructors=[world.instructor]
    )
    course.credit_hours = "0.5"
    course.save_revision().publish()
    enrol(world.trainee_a, course)
    lesson = lessons_of(course)[0]

    teacher = journey.phone()
    with journey.step("instructor uploads a lecture from the phone", teacher):
        journey.login(teacher, world.instructor.phone, TEST_PASSWORD, next_path="/admin/")
        teacher.goto(journey.url("/admin/lectures/new/"))
        teacher.locator("#id_title").fill("四下基层专题讲座")
        teacher.locator("#id_source").set_input_files(str(_clip(tmp_path / "讲座.mp4")))
        # Chromium hands an intercepted request a file-backed body as empty: the harness's
        # CSP route steps aside for this one upload and comes back after it.
        teacher.context.unroute_all()
        journey.submit(teacher, teacher.locator("form button[type=submit]").last)
        teacher.context.route(re.compile(re.escape(journey.url("")) + ".*"), journey._with_csp)
        expect(teacher.locator("table.listing")).to_contain_text("四下基层专题讲座")
        expect(teacher.locator("table.listing")).to_contain_text("可播放")
        lecture = Lecture.objects.get(title="四下基层专题讲座")
        assert lecture.status == Lecture.Status.READY and len(lecture.renditions) == 2

    with journey.step("instructor places it in the lesson", teacher):
        teacher.goto(journey.url(f"/admin/pages/{lesson.pk}/edit/"))
        teacher.locator(".c-sf-add-button").first.click()
        teacher.get_by_role("option", name="视频讲座").first.click()
        teacher.get_by_role("button", name="选择视频讲座").first.click()
        teacher.locator(".modal-content").get_by_role("link", name="四下基层专题讲座").click()
        expect(teacher.locator(".modal-content")).to_be_hidden()
        teacher.locator(".w-dropdown-button [data-w-dropdown-target='toggle']").first.click()
        journey.submit(teacher, teacher.locator("button[name='action-submit']"))
        lesson = LessonPage.objects.get(pk=lesson.pk)
        assert lesson.current_workflow_state.status == "in_progress"

    reviewer = journey.desktop()
    with journey.step("organiser approves the lesson", reviewer):
        journey.login(reviewer, world.organiser.phone, TEST_PASSWORD, next_path="/admin/")
        reviewer.goto(journey.url(f"/admin/pages/{lesson.pk}/edit/"))
        reviewer.locator(".w-dropdown-button [data-w-dropdown-target='toggle']").first.click()
        journey.submit(
            reviewer, reviewer.locator("button[data-workflow-action-name='approve']").first
        )
        lesson = LessonPage.objects.get(pk=lesson.pk)
        assert [b.block_type for b in lesson.body].count("lecture") == 1

    # The lesson's minute of reading time is already on the study clock (its own journey
    # tests it): here the video's share is what the lesson still waits for.
    LessonProgress.objects.create(
        trainee=world.trainee_a, lesson=lesson, course=course, seconds_studied=60
    )
    phone = journey.phone()
    with journey.step("trainee watches part of the lecture", phone):
        journey.login(phone, world.trainee_a.phone, TEST_PASSWORD, next_path=lesson.url)
        video = phone.locator("video[data-lecture-player]")
        expect(video).to_be_visible()
        phone.evaluate("const v = document.querySelector('video'); v.muted = true; v.play()")
        phone.wait_for_function(
            "() => document.querySelector('video').currentTime > 4", timeout=20000
        )
        phone.evaluate("document.querySelector('video').pause()")
        expect(phone.locator("[data-lecture-watched]")).not_to_have_text("已观看 0%")
        watch = LectureWatch.objects.get(trainee=world.trainee_a, lecture=lecture)
        assert watch.seconds_credited >= 2
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    with journey.step("trainee reloads and resumes where they left off", phone):
        watch.refresh_from_db()
        phone.reload()
        expect(phone.locator("[data-lecture-message]")).to_contain_text("继续播放")
        assert abs(_video_time(phone) - watch.position) < 1.5

    with journey.step("trainee tries to skip ahead and is refused", phone):
        phone.evaluate("document.querySelector('video').currentTime = 9")
        expect(phone.locator("[data-lecture-message]")).to_contain_text("不能快进")
        phone.wait_for_function("() => document.querySelector('video').currentTime < 7")
        watch.refresh_from_db()
        assert watch.skips_refused >= 1 and watch.furthest < 8

    with journey.step("trainee watches to the end; the lesson and course complete", phone):
        phone.evaluate("const v = document.querySelector('video'); v.muted = true; v.play()")
        phone.wait_for_function("() => document.querySelector('video').ended", timeout=30000)
        expect(phone.locator("[data-lecture-watched]")).to_contain_text(re.compile(r"(9\d|100)%"))
        # The study clock completes the lesson at its next beat, once both the reading
        # time and the video's share are reached.
        for _ in range(40):
            phone.mouse.move(30, 300)
            phone.wait_for_timeout(500)
            if CourseProgress.objects.filter(
                trainee=world.trainee_a, course=course, completed_at__isnull=False
            ).exists():
                break
        assert LessonProgress.objects.get(trainee=world.trainee_a, lesson=lesson).completed_at

    with journey.step("trainee finds the 学时 on 我的学时", phone):
        phone.goto(journey.url("/ledger/"))
        expect(phone.locator("main")).to_contain_text("基层治理专题")
        expect(phone.locator("main")).to_contain_text("0.5")


# Chromium plays HLS natively, so the journey above never loads hls.js. This one makes the
# browser say it cannot (as Chrome on a desktop, Firefox and most Android browsers do).
NO_NATIVE_HLS = """
const canPlayType = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "" : canPlayType.call(this, type);
};
"""


def test_without_native_hls_the_player_uses_hls_js_and_time_is_credited(
    journey, world, settings, tmp_path
):
    from django.core.files import File

    from lectures.media import transcode
    from tests.lectures.test_lesson_completion import place

    settings.LECTURES_HEARTBEAT_INTERVAL_SECONDS = 1
    settings.LECTURES_HEARTBEAT_RATE_PER_MINUTE = 600
    settings.COURSES_HEARTBEAT_RATE_PER_MINUTE = 600
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    courses, _cases = site_indexes()
    course = make_course(courses, lessons=1, minutes=1, title="基层治理专题")
    enrol(world.trainee_a, course)
    lesson = lessons_of(course)[0]
    lecture = Lecture(title="hls.js 讲座", uploaded_by=world.instructor)
    with _clip(tmp_path / "clip.mp4", seconds=8).open("rb") as fh:
        lecture.source.save("clip.mp4", File(fh))
    lecture = transcode(lecture.pk)
    assert lecture.is_ready, lecture.failure_reason
    place(lesson, lecture, 50)

    phone = journey.phone()
    phone.add_init_script(NO_NATIVE_HLS)
    fetched = []
    phone.on(
        "response",
        lambda r: fetched.append((r.status, r.url)) if "/lectures/stream/" in r.url else None,
    )
    with journey.step("without native HLS, hls.js plays the private stream", phone):
        journey.login(phone, world.trainee_a.phone, TEST_PASSWORD, next_path=lesson.url)
        video = phone.locator("video[data-lecture-player]")
        expect(video).to_be_visible()
        phone.wait_for_function("() => !!document.querySelector('video').lmsHls")
        assert phone.evaluate("document.querySelector('video').src").startswith("blob:")
        phone.evaluate("const v = document.querySelector('video'); v.muted = true; v.play()")
        phone.wait_for_function(
            "() => document.querySelector('video').currentTime > 4", timeout=20000
        )
        phone.evaluate("document.querySelector('video').pause()")
        expect(phone.locator("[data-lecture-watched]")).not_to_have_text("已观看 0%")
        segments = [url for status, url in fetched if url.endswith(".ts") and status == 200]
        assert segments, fetched
        assert all(status == 200 for status, _url in fetched), fetched

    with journey.step("the heartbeats credited the time played", phone):
        watch = LectureWatch.objects.get(trainee=world.trainee_a, lecture=lecture)
        assert watch.seconds_credited >= 2
