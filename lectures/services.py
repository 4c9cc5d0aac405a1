"""Writes: uploading and transcoding lectures, and crediting what a trainee watched.

Watch time is measured as the study clock measures reading time (courses/services.py):
the server's own clock between heartbeats decides what may be credited, and the viewer's
row is locked so that heartbeats from two tabs queue instead of adding up. The rule
itself is pure arithmetic in `lectures.watch`.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lms.admin_scope import policy_for
from lms.audit import log
from lms.uploads import FileTooLarge

from . import errors, watch
from .media import source_check
from .models import Lecture, LectureWatch
from .tasks import transcode_lecture


def max_speed() -> float:
    return float(getattr(settings, "LECTURES_MAX_PLAYBACK_RATE", 2.0))


def heartbeat_interval_seconds() -> int:
    return int(getattr(settings, "LECTURES_HEARTBEAT_INTERVAL_SECONDS", 15))


def heartbeat_cap_seconds() -> int:
    return int(getattr(settings, "LECTURES_HEARTBEAT_CAP_SECONDS", 60))


# ---------------------------------------------------------------------------------------
# The library


def lecture_create(*, actor, title: str, source, subtitles=None, description: str = "") -> Lecture:
    """An instructor uploaded a recording: store it and queue the transcoding."""
    if getattr(source, "size", 0) > settings.LECTURES_UPLOAD_MAX_SIZE:
        raise FileTooLarge(f"{source.size} bytes")
    source_check(source)
    lecture = Lecture(title=title, description=description, source=source, uploaded_by=actor)
    if subtitles:
        lecture.subtitles = subtitles
    lecture.full_clean()
    lecture.save()
    log(lecture, "lectures.upload", user=actor, data={"title": title})
    transcode_enqueue(lecture=lecture)
    return lecture


def transcode_enqueue(*, lecture: Lecture) -> None:
    """Queue the transcoding after the upload is committed (the worker must see the row)."""
    Lecture.objects.filter(pk=lecture.pk).update(
        status=Lecture.Status.QUEUED, progress=0, failure_reason="", progress_at=timezone.now()
    )
    transaction.on_commit(lambda: transcode_lecture.enqueue(lecture.pk))


def transcode_stuck_after() -> datetime.timedelta:
    minutes = int(getattr(settings, "LECTURES_TRANSCODE_STUCK_MINUTES", 30))
    return datetime.timedelta(minutes=minutes)


def transcode_retryable(lecture: Lecture, *, now: datetime.datetime | None = None) -> bool:
    """A conversion may be started again when it failed, or when it has been queued or
    converting with no progress for longer than LECTURES_TRANSCODE_STUCK_MINUTES (the
    worker was stopped, or lost the task). One that is moving on is left to finish."""
    if lecture.status == Lecture.Status.FAILED:
        return True
    if lecture.status in (Lecture.Status.QUEUED, Lecture.Status.TRANSCODING):
        since = lecture.progress_at or lecture.created_at
        return since is not None and since < (now or timezone.now()) - transcode_stuck_after()
    return False


def transcode_retry(*, actor, lecture: Lecture, now: datetime.datetime | None = None) -> bool:
    """重新转码: queue the conversion of a failed or stuck lecture again.

    Only for those who may change the lecture (LecturePolicy: the uploader, organisers of
    the uploader's units, administrators). Idempotent: the row is locked and re-queued
    with a fresh progress time, so a second click (or a second organiser) finds it queued
    and moving, and queues nothing. Returns whether a conversion was queued.
    """
    if not policy_for(Lecture).user_has_permission_for_instance(actor, "change", lecture):
        raise errors.LectureNotYours(str(lecture.pk))
    now = now or timezone.now()
    with transaction.atomic():
        row = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if row.status == Lecture.Status.READY:
            raise errors.TranscodeNotRetryable(str(row.pk))
        if not transcode_retryable(row, now=now):
            return False
        previous = {"status": row.status, "reason": row.failure_reason, "progress": row.progress}
        transcode_enqueue(lecture=row)
        log(row, "lectures.retranscode", user=actor, data=previous)
    return True


# ---------------------------------------------------------------------------------------
# Watching


@dataclass(frozen=True)
class WatchStart:
    token: uuid.UUID
    position: float
    furthest: float
    seconds_credited: float
    watched_once: bool


def watch_start(*, trainee, lecture: Lecture, skip_forbidden: bool) -> WatchStart:
    """A player opened the lecture: it becomes the one tab whose heartbeats are credited.

    Any other tab of the same trainee is told it was superseded at its next beat. The
    resume position is the same on every device: it is the row's.
    """
    if not lecture.is_ready:
        raise errors.LectureNotReady(str(lecture.pk))
    token = uuid.uuid4()
    with transaction.atomic():
        LectureWatch.objects.get_or_create(trainee=trainee, lecture=lecture)
        row = LectureWatch.objects.select_for_update().get(trainee=trainee, lecture=lecture)
        row.active_token = token
        row.playing = False
        row.last_beat_at = None
        row.skip_forbidden = skip_forbidden
        row.save(update_fields=["active_token", "playing", "last_beat_at", "skip_forbidden"])
    position = row.position if row.position < (lecture.duration or 0) - 1 else 0.0
    return WatchStart(
        token, position, row.furthest, row.seconds_credited, row.watched_once_at is not None
    )


@dataclass(frozen=True)
class WatchBeat:
    credited: float
    refused: bool
    allowed_position: float | None
    seconds_credited: float
    furthest: float
    watched_once: bool
    percent: int


def watch_heartbeat(
    *,
    trainee,
    lecture_id: int,
    token: uuid.UUID,
    start: float,
    position: float,
    playing: bool,
    now: datetime.datetime | None = None,
) -> WatchBeat:
    """Credit the part of the video played since the player's previous beat."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            # Only the viewer's row: every viewer's beat joins the same lecture row.
            LectureWatch.objects.select_for_update(of=("self",))
            .select_related("lecture")
            .filter(trainee=trainee, lecture_id=lecture_id)
            .first()
        )
        if row is None or row.active_token is None or not row.lecture.duration:
            raise errors.WatchRejected("unknown_watch")
        if row.active_token != token:
            raise errors.WatchSuperseded(str(token))
        duration = row.lecture.duration
        state = watch.WatchState(
            intervals=row.intervals,
            furthest=row.furthest,
            position=row.position,
            playing=row.playing,
            clock=row.last_beat_at,
            watched_once=row.watched_once_at is not None,
        )
        outcome = watch.apply_beat(
            state,
            start=start,
            end=position,
            playing=playing,
            now=now,
            duration=duration,
            max_speed=max_speed(),
            cap_seconds=heartbeat_cap_seconds(),
            skip_forbidden=row.skip_forbidden,
        )
        row.intervals = [[round(a, 2), round(b, 2)] for a, b in state.intervals]
        row.seconds_credited = round(watch.covered(row.intervals), 2)
        row.furthest = state.furthest
        row.position = state.position
        row.playing = state.playing
        row.last_beat_at = state.clock
        fields = ["intervals", "seconds_credited", "furthest", "position", "playing"]
        fields += ["last_beat_at", "updated_at"]
        if outcome.refused:
            row.skips_refused += 1
            fields.append("skips_refused")
        if state.watched_once and row.watched_once_at is None:
            row.watched_once_at = now
            fields.append("watched_once_at")
            log(row, "lectures.watched", user=trainee, data={"lecture": lecture_id})
        row.save(update_fields=fields)
    return WatchBeat(
        credited=outcome.credited,
        refused=outcome.refused,
        allowed_position=outcome.allowed_position,
        seconds_credited=row.seconds_credited,
        furthest=row.furthest,
        watched_once=row.watched_once_at is not None,
        percent=min(100, int(100 * row.seconds_credited / duration)),
    )
