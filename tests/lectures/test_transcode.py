"""An uploaded recording becomes HLS at two bitrates with a poster and its length (ffmpeg)."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lectures import services
from lectures.media import NotAVideo
from lectures.models import Lecture

pytestmark = pytest.mark.django_db


def clip(tmp_path, seconds=3) -> bytes:
    out = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=size=426x240:rate=24:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(out),
        ],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


def upload(world, content, name="讲座.mp4"):
    return services.lecture_create(
        actor=world.instructor,
        title="干部作风建设专题讲座",
        source=SimpleUploadedFile(name, content, content_type="video/mp4"),
    )


def test_an_upload_is_transcoded_to_hls_with_a_poster(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lecture = upload(world, clip(tmp_path))
    lecture.refresh_from_db()
    assert lecture.status == Lecture.Status.READY, lecture.failure_reason
    assert lecture.progress == 100
    assert lecture.duration == pytest.approx(3, abs=0.2)
    assert [r["name"] for r in lecture.renditions] == ["240p", "360p"]
    folder = lecture.media_folder
    assert folder.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    master = (folder / "master.m3u8").read_text()
    assert "240p.m3u8" in master and "360p.m3u8" in master
    assert (folder / "poster.jpg").stat().st_size > 0
    assert list(folder.glob("240p_*.ts"))
    assert not (settings.MEDIA_ROOT / "lectures").exists()


def test_a_broken_file_fails_with_the_reason_in_chinese(world, django_capture_on_commit_callbacks):
    # An MP4 header and nothing after it: the contents pass the first look, ffmpeg cannot read it.
    broken = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2000
    with django_capture_on_commit_callbacks(execute=True):
        lecture = upload(world, broken)
    lecture.refresh_from_db()
    assert lecture.status == Lecture.Status.FAILED
    assert "无法" in lecture.failure_reason or "不能" in lecture.failure_reason


def test_a_file_that_is_not_a_video_is_refused_before_it_is_stored(world):
    with pytest.raises(NotAVideo):
        upload(world, b"%PDF-1.4 not a video", name="讲座.mp4")
    assert not Lecture.objects.exists()
