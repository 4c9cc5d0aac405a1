"""ffmpeg: what an uploaded file is, and its conversion to HLS at two or three bitrates.

Runs in the task worker (`lectures.tasks`). ffmpeg is a Debian package (RUN_DEBS in the
Makefile). Progress is read from ffmpeg's `-progress` output and written to the row, so
the library in the admin shows it; a failure is stored with its reason in Chinese, the
language of the instructors who read it.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.uploads import UploadRefused

from .models import Lecture


@dataclass(frozen=True)
class Rung:
    name: str
    height: int
    video_kbps: int
    audio_kbps: int


# The ladder: a phone on a slow county link starts at the lowest rung.
LADDER = [
    Rung("240p", 240, 300, 48),
    Rung("360p", 360, 700, 64),
    Rung("720p", 720, 1800, 96),
]


class NotAVideo(UploadRefused):
    code = "not_a_video"
    message = _("The file is not a video (its contents say otherwise, whatever its name).")


def source_check(upload) -> None:
    """Refuse a file whose first bytes are not a video container, before it is stored."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    head = upload.read(8192)
    if hasattr(upload, "seek"):
        upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or not kind.mime.startswith("video/"):
        raise NotAVideo(kind.mime if kind else "unknown")


class _Failure(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _ffmpeg(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise _Failure(
            gettext("The server cannot convert videos: %(tool)s is not installed.") % {"tool": name}
        )
    return path


def probe(path: Path) -> dict:
    """Duration, picture height and whether there is sound (ffprobe)."""
    result = subprocess.run(
        [
            _ffmpeg("ffprobe"),
            "-v", "error",
            "-print_format", "json",
            "-show_format", "-show_streams",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    if result.returncode != 0:
        raise _Failure(
            gettext(
                "The file could not be read as a video (it may be damaged or in an unusual format)."
            )
        )
    info = json.loads(result.stdout or "{}")
    streams = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise _Failure(gettext("The file has no picture, only sound or data."))
    try:
        duration = float(info.get("format", {}).get("duration") or video.get("duration"))
    except (TypeError, ValueError):
        duration = 0.0
    if duration <= 0:
        raise _Failure(gettext("The length of the video could not be read."))
    return {
        "duration": duration,
        "height": int(video.get("height") or 0),
        "audio": any(s.get("codec_type") == "audio" for s in streams),
    }


def ladder_for(height: int) -> list[Rung]:
    """The rungs at or below the source's height; always at least the lowest two."""
    rungs = [rung for rung in LADDER if rung.height <= height]
    return rungs if len(rungs) >= 2 else LADDER[:2]


def hls_command(source: Path, out: Path, rungs: list[Rung], *, audio: bool) -> list[str]:
    split = "".join(f"[v{i}]" for i in range(len(rungs)))
    scales = ";".join(f"[v{i}]scale=-2:{rung.height}[v{i}o]" for i, rung in enumerate(rungs))
    cmd = [_ffmpeg("ffmpeg"), "-hide_banner", "-nostdin", "-y", "-i", str(source)]
    cmd += ["-progress", "pipe:1", "-nostats", "-loglevel", "error"]
    cmd += ["-filter_complex", f"[0:v]split={len(rungs)}{split};{scales}"]
    streams = []
    for i, rung in enumerate(rungs):
        cmd += ["-map", f"[v{i}o]"]
        if audio:
            cmd += ["-map", "0:a:0"]
        cmd += [
            f"-b:v:{i}", f"{rung.video_kbps}k",
            f"-maxrate:v:{i}", f"{int(rung.video_kbps * 1.2)}k",
            f"-bufsize:v:{i}", f"{rung.video_kbps * 2}k",
        ]  # fmt: skip
        if audio:
            cmd += [f"-b:a:{i}", f"{rung.audio_kbps}k"]
        streams.append(f"v:{i},a:{i},name:{rung.name}" if audio else f"v:{i},name:{rung.name}")
    cmd += [
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p",
        "-g", "48", "-keyint_min", "48", "-sc_threshold", "0",
    ]  # fmt: skip
    if audio:
        cmd += ["-c:a", "aac", "-ac", "2", "-ar", "44100"]
    cmd += [
        "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod",
        "-hls_segment_filename", str(out / "%v_%03d.ts"),
        "-master_pl_name", "master.m3u8",
        "-var_stream_map", " ".join(streams),
        str(out / "%v.m3u8"),
    ]  # fmt: skip
    return cmd


def _set(lecture_id: int, **fields) -> None:
    Lecture.objects.filter(pk=lecture_id).update(**fields)


def transcode(lecture_id: int) -> Lecture:
    """Convert the lecture's source to HLS with a poster; store the outcome on the row.

    Safe to repeat: the output goes to a fresh folder that replaces the old one only once
    it is complete, and a lecture already ready is left alone.
    """
    with transaction.atomic():
        lecture = Lecture.objects.select_for_update().get(pk=lecture_id)
        if lecture.status in (Lecture.Status.READY, Lecture.Status.TRANSCODING):
            return lecture
        _set(
            lecture_id,
            status=Lecture.Status.TRANSCODING,
            progress=0,
            failure_reason="",
            progress_at=timezone.now(),
        )
    target = lecture.media_folder
    work = target.with_name(target.name + ".part")
    with translation.override(settings.LANGUAGE_CODE):
        try:
            source = Path(lecture.source.path)
            info = probe(source)
            rungs = ladder_for(info["height"])
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            _run(
                hls_command(source, work, rungs, audio=info["audio"]), lecture_id, info["duration"]
            )
            _poster(source, work, info["duration"])
            shutil.rmtree(target, ignore_errors=True)
            work.rename(target)
        except Exception as error:  # the row must never stay "transcoding"
            shutil.rmtree(work, ignore_errors=True)
            reason = (
                error.reason
                if isinstance(error, _Failure)
                else gettext("Conversion stopped unexpectedly (%(error)s).")
                % {"error": type(error).__name__}
            )
            _set(lecture_id, status=Lecture.Status.FAILED, failure_reason=reason[:300])
            return Lecture.objects.get(pk=lecture_id)
    _set(
        lecture_id,
        status=Lecture.Status.READY,
        progress=100,
        duration=round(info["duration"], 2),
        renditions=[
            {
                "name": r.name,
                "height": r.height,
                "kbps": r.video_kbps + (r.audio_kbps if info["audio"] else 0),
            }
            for r in rungs
        ],
        transcoded_at=timezone.now(),
    )
    return Lecture.objects.get(pk=lecture_id)


def _run(cmd: list[str], lecture_id: int, duration: float) -> None:
    """Run ffmpeg, writing its progress to the row at most once per 2 %."""
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    shown = 0
    for line in process.stdout:
        key, _sep, value = line.strip().partition("=")
        if key == "out_time_us" and value.isdigit():
            percent = min(99, int(int(value) / 1_000_000 / duration * 100))
            if percent >= shown + 2:
                shown = percent
                _set(lecture_id, progress=percent, progress_at=timezone.now())
    stderr = process.stderr.read()
    if process.wait() != 0:
        detail = (stderr.strip().splitlines() or ["?"])[-1][:150]
        raise _Failure(
            gettext("Conversion stopped with an error from ffmpeg: %(detail)s") % {"detail": detail}
        )


def _poster(source: Path, out: Path, duration: float) -> None:
    at = min(5.0, duration / 3)
    result = subprocess.run(
        [
            _ffmpeg("ffmpeg"), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
            "-ss", f"{at:.2f}", "-i", str(source), "-frames:v", "1",
            "-vf", "scale=-2:360", str(out / "poster.jpg"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    if result.returncode != 0:
        raise _Failure(gettext("The poster frame could not be taken from the video."))
