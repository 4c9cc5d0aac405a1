"""Video lectures: an uploaded recording, its HLS renditions, and what each trainee watched.

A lecture is uploaded once to the library and placed in any number of lessons with the
`lecture` block. Everything is private: the source (the instructor's upload), the
subtitles, and the folder the worker transcodes it into under PRIVATE_MEDIA_ROOT
(`lectures/<folder>/`: a master playlist, one playlist per bitrate, a poster), which the
player reads through `lectures.views.stream_view` with the lesson page's signed token
(lectures/stream.py).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.storage import private_storage

SOURCE_EXTENSIONS = ["mp4", "mov", "m4v", "mkv", "webm", "avi", "flv", "wmv", "mpg", "mpeg", "ts"]


class Lecture(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("lecture status", "Queued")
        TRANSCODING = "transcoding", pgettext_lazy("lecture status", "Transcoding")
        READY = "ready", pgettext_lazy("lecture status", "Ready")
        FAILED = "failed", pgettext_lazy("lecture status", "Failed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.FileField(
        _("video file"),
        upload_to="lectures/sources/",
        storage=private_storage,
        validators=[FileExtensionValidator(SOURCE_EXTENSIONS)],
        help_text=_("MP4, MOV, MKV, WebM, AVI and other common video files."),
    )
    subtitles = models.FileField(
        _("subtitles (WebVTT)"),
        upload_to="lectures/subtitles/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(["vtt"])],
        help_text=_("Optional: a .vtt subtitle file in Chinese."),
    )
    folder = models.UUIDField(_("folder"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_at = models.DateTimeField(
        _("last progress"),
        null=True,
        blank=True,
        help_text=_("When the conversion was queued or last moved on."),
    )
    failure_reason = models.CharField(_("reason for failure"), max_length=300, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    renditions = models.JSONField(_("renditions"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    transcoded_at = models.DateTimeField(_("transcoded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("video lecture")
        verbose_name_plural = _("video lectures")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def media_path(self) -> str:
        """The folder of the renditions, relative to PRIVATE_MEDIA_ROOT."""
        return f"lectures/{self.folder}"

    @property
    def media_folder(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.media_path


class LectureWatch(models.Model):
    """What one trainee has watched of one lecture, measured by the server.

    `intervals` are the parts of the video actually played at an allowed speed, merged
    ([[start, end], ...] in seconds, sorted, disjoint); `seconds_credited` is their total.
    Heartbeats lock this row: only the tab holding `active_token` is credited, so two tabs
    or two phones never double the time.
    """

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lecture_watches",
        verbose_name=_("trainee"),
    )
    lecture = models.ForeignKey(
        Lecture, on_delete=models.CASCADE, related_name="watches", verbose_name=_("video lecture")
    )
    intervals = models.JSONField(_("watched parts"), default=list, blank=True)
    seconds_credited = models.FloatField(_("seconds watched"), default=0)
    furthest = models.FloatField(_("furthest point watched (seconds)"), default=0)
    position = models.FloatField(_("resume position (seconds)"), default=0)
    skip_forbidden = models.BooleanField(_("skipping ahead refused"), default=True)
    active_token = models.UUIDField(_("active player"), null=True, blank=True)
    last_beat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    playing = models.BooleanField(_("playing"), default=False)
    skips_refused = models.PositiveIntegerField(_("skips refused"), default=0)
    watched_once_at = models.DateTimeField(_("watched to the end at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("lecture viewing")
        verbose_name_plural = _("lecture viewings")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "lecture"], name="one_watch_per_lecture")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.lecture_id}"
