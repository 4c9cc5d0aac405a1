import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import OrgUnit


class TrainingClass(models.Model):
    """培训班 / 班次: one run of a programme, with its roster, timetable and completion."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("In preparation")
        ENROLLING = "enrolling", _("Enrolling")
        RUNNING = "running", _("In progress")
        # Past its last session; the organiser reviews completion and closes it (结班).
        ENDED = "ended", _("Ended, awaiting close")
        CLOSED = "closed", _("Closed")

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In-person class")
        ONLINE = "online", _("Online thematic class")

    class Level(models.TextChoices):
        """Who runs it; the coverage target counts provincial and city-level training."""

        PROVINCIAL = "provincial", _("Provincial-level")
        CITY = "city", _("City-level")
        COUNTY = "county", _("County-level")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("class code"), max_length=40, unique=True)
    organising_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    provider = models.CharField(_("training provider"), max_length=100)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.IN_PERSON)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.CITY)
    is_rotation = models.BooleanField(
        _("rotation training"),
        default=False,
        help_text=_("Counts towards the rotation training (轮训) of village cadres."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    credit_hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=1)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    advisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("class advisers"),
        blank=True,
        related_name="advised_classes",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNING
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    # The most 学时 a trainee was awarded at close: the class's hours, or (closed early, or
    # an in-person class with a timetable) those of the sessions held. Each trainee's own
    # hours, by the sessions they attended, are on their completion record and ledger.
    awarded_hours = models.DecimalField(
        _("credit hours awarded"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="training_class_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_over(self) -> bool:
        """Past its end date: ended or closed, whether or not the sweep has run yet."""
        return self.status in (self.Status.ENDED, self.Status.CLOSED) or (
            self.end_date < timezone.localdate()
        )

    @property
    def phase(self) -> str:
        """The status as people should read it today: a class past its end date that the
        sweep has not reached yet already reads 已结束, never 进行中."""
        if self.status in (self.Status.ENDED, self.Status.CLOSED):
            return self.status
        return self.Status.ENDED if self.is_over else self.status

    def get_phase_display(self) -> str:
        return str(self.Status(self.phase).label)

    @property
    def hours_awarded(self):
        return self.credit_hours if self.awarded_hours is None else self.awarded_hours

    @property
    def last_day(self):
        """The day it really ended: its end date, or the day it was closed if earlier."""
        return min(self.end_date, self.closed_on) if self.closed_on else self.end_date


class CommitteeRole(models.TextChoices):
    """班委: the trainees who help the adviser run the class."""

    MONITOR = "monitor", _("Class monitor")
    DEPUTY_MONITOR = "deputy_monitor", _("Deputy class monitor")
    STUDY = "study", _("Study officer")
    ORGANISATION = "organisation", _("Organisation officer")
    LIFE = "life", _("Welfare officer")
    PUBLICITY = "publicity", _("Publicity officer")


class Enrolment(models.Model):
    """A trainee on a class roster. One row per (class, trainee), whatever the imports do."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")
        # 不予结业: stayed to the end but missed a completion rule; no certificate.
        NOT_COMPLETED = "not_completed", _("Not completed")

    # On the class to its end, whatever the result: they keep its pages, courses and
    # results. Only 退学 (withdrawn) takes a trainee off the class.
    STAYED = (Status.ENROLLED, Status.COMPLETED, Status.NOT_COMPLETED)

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ENROLLED
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    group = models.ForeignKey(
        "StudyGroup",
        verbose_name=_("study group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    committee_role = models.CharField(
        _("class committee role"), max_length=16, choices=CommitteeRole.choices, blank=True
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "trainee"], name="one_enrolment_per_trainee"
            ),
            # A class has one monitor and one deputy; the other roles may be shared.
            models.UniqueConstraint(
                fields=["training_class", "committee_role"],
                condition=models.Q(committee_role__in=["monitor", "deputy_monitor"]),
                name="one_monitor_per_class",
            ),
        ]
        indexes = [
            # Coverage reports ask "who completed a class of this level" for every person.
            models.Index(
                fields=["status", "training_class", "trainee"], name="enrolment_status_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} @ {self.training_class}"


class ClassSession(models.Model):
    """课次: one half-day slot of the timetable; attendance is taken per session."""

    class HalfDay(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")
        EVENING = "evening", _("Evening")

    class Method(models.TextChoices):
        LECTURE = "lecture", _("Lecture")
        SEMINAR = "seminar", _("Seminar")
        CASE = "case", _("Case teaching")
        FIELD = "field", _("Field teaching")
        EXCHANGE = "exchange", _("Exchange and discussion")
        OTHER = "other", _("Other")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    date = models.DateField(_("date"))
    half_day = models.CharField(_("half day"), max_length=16, choices=HalfDay.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=200)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taught_sessions",
    )
    instructor_name = models.CharField(
        _("instructor name"),
        max_length=100,
        blank=True,
        help_text=_("For guest speakers without an account."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    method = models.CharField(
        _("teaching method"), max_length=16, choices=Method.choices, default=Method.LECTURE
    )
    credit_hours = models.DecimalField(_("credit hours"), max_digits=4, decimal_places=1)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course or lesson page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Optional: the course or lesson this session teaches."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["training_class", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_half_day_display()} {self.title}"


class StudyGroup(models.Model):
    """学习小组 (组): trainees split for discussion, field visits and seating; one leader."""

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    name = models.CharField(_("name"), max_length=50)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("group leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_groups",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["training_class", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "name"], name="study_group_name_unique_in_class"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """班级通知: a message from the class's adviser to every trainee on the roster."""

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    is_pinned = models.BooleanField(_("pinned"), default=False)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("class notice")
        verbose_name_plural = _("class notices")
        ordering = ["-is_pinned", "-published_at"]

    def __str__(self) -> str:
        return self.title


class NoticeReceipt(models.Model):
    """A read receipt: written the first time a trainee opens the notice, never again."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="receipts"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="notice_receipts",
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "reader"], name="one_receipt_per_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.reader} read {self.notice}"


class SessionEvaluation(models.Model):
    """评教: one rating per trainee and session, given after the session has ended."""

    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="session_evaluations",
    )
    content = models.PositiveSmallIntegerField(pgettext_lazy("evaluation", "content"))
    teaching = models.PositiveSmallIntegerField(_("teaching"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness"))
    comment = models.TextField(pgettext_lazy("evaluation", "comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session evaluation")
        verbose_name_plural = _("session evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"], name="one_evaluation_per_trainee"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"evaluation_{f}_1_to_5",
                )
                for f in ("content", "teaching", "usefulness")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.content}/{self.teaching}/{self.usefulness}"


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret in a trainee's subscribable .ics URL; phone calendars send no session cookie.

    Replacing the token revokes every old subscription.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"


class ImportBatch(models.Model):
    """A parsed upload waiting for its confirmation: the one staging model of every
    import with a preview (a class's roster, timetable or pasted phones; the question
    bank, which belongs to no class).

    The rows live here, not in the browser, so what is confirmed is what was previewed;
    the confirm step validates them again against the database of that moment, and a
    batch is confirmed once (`confirmed_at`). Unconfirmed batches are purged after a day.
    """

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Roster")
        TIMETABLE = "timetable", _("Timetable")
        # Mobile numbers pasted on the roster page; `rows` holds them as written.
        PHONES = "phones", _("Pasted mobile numbers")
        # The question bank (assessments); `rows` holds the parsed questions.
        QUESTIONS = "questions", _("Question bank")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    training_class = models.ForeignKey(
        TrainingClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("training class"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("created by"),
    )
    filename = models.CharField(max_length=200, blank=True, verbose_name=_("file name"))
    rows = models.JSONField(default=list, verbose_name=_("rows"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="questions") | models.Q(training_class__isnull=False),
                name="training_importbatch_class_unless_questions",
                violation_error_message=_("A roster or timetable upload belongs to a class."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"
