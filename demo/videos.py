"""Demo video lectures: two short recordings made by ffmpeg here (no download), converted
to HLS at once (synchronously, not through the worker), and a course that places them.

Safe to run again: a lecture already converted is kept, and the pages are found by slug.
"""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File

from courses.models import ClassCourse, CourseEnrolment, CoursePage, LessonPage
from demo.courses import _add, _heading, _text
from lectures.media import transcode
from lectures.models import Lecture

# After the courses (40): the video course goes into their index and the demo class.
ORDER = 45

LECTURES = [
    # title, slug, tone (Hz), pattern
    ("专题讲座一：基层治理中的“四下基层”", "grassroots-governance", 440, "testsrc2"),
    ("专题讲座二：党建引领乡村振兴的信阳实践", "party-building-xinyang", 523, "smptebars"),
]


def _make_clip(path: Path, *, seconds: int, tone: int, pattern: str) -> None:
    """A low-resolution test picture with a running clock and a tone: enough to watch."""
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", f"{pattern}=size=426x240:rate=15:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency={tone}:duration={seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "32", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "48k", "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip


def _lecture(title: str, slug: str, *, seconds: int, tone: int, pattern: str, uploader):
    lecture = Lecture.objects.filter(title=title).first()
    folder_ok = lecture is not None and (lecture.media_folder / "master.m3u8").exists()
    if lecture is not None and lecture.is_ready and folder_ok:
        return lecture
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / f"{slug}.mp4"
        _make_clip(clip, seconds=seconds, tone=tone, pattern=pattern)
        if lecture is None:
            lecture = Lecture(title=title, uploaded_by=uploader)
        with clip.open("rb") as fh:
            lecture.source.save(f"{slug}.mp4", File(fh), save=False)
        lecture.status = Lecture.Status.QUEUED
        lecture.save()
    return transcode(lecture.pk)


def seed(context) -> None:
    courses = context.get("courses")
    if not courses:
        return
    staff = context.get("staff", {})
    lengths = getattr(settings, "DEMO_LECTURE_SECONDS", (150, 120))
    lectures = [
        _lecture(title, slug, seconds=seconds, tone=tone, pattern=pattern,
                 uploader=staff.get("instructor"))
        for (title, slug, tone, pattern), seconds in zip(LECTURES, lengths, strict=True)
    ]  # fmt: skip
    course = _add(
        courses["index"],
        CoursePage(
            title="视频课：基层治理与党建引领",
            slug="video-lectures-grassroots",
            summary="两段视频讲座。观看时长由服务器计量，须看完九成；第一次观看时不能快进。",
            requirement=CoursePage.Requirement.ELECTIVE,
            estimated_minutes=10,
        ),
    )
    for number, lecture in enumerate(lectures, start=1):
        _add(
            course,
            LessonPage(
                title=lecture.title,
                slug=f"lecture-{number}",
                summary="观看视频讲座，完成后自动计入学时。",
                min_study_minutes=1,
                body=[
                    _heading("视频讲座"),
                    {
                        "type": "lecture",
                        "value": {
                            "lecture": lecture.pk,
                            "required_percent": 90,
                            "skip_forbidden": True,
                            "caption": "可在手机上观看；下次打开会从上次的位置继续。",
                        },
                    },
                    _text("<p>看完视频后，可返回课程继续学习下一课。</p>"),
                ],
            ),
        )
    demo_class = context.get("demo_class")
    if demo_class is not None:
        ClassCourse.objects.get_or_create(training_class=demo_class, course=course)
    else:
        for trainee in context.get("trainees", [])[:10]:
            CourseEnrolment.objects.get_or_create(trainee=trainee, course=course)
    courses["video"] = course
