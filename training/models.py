from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import OrgUnit


class TrainingClass(models.Model):
    """培训班 / 班次: one run of a programme, with its roster, timetable and completion."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("In preparation")
        ENROLLING = "enrolling", _("Enrolling")
        RUNNING = "running", _("In progress")
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
    created_at = models.DateTimeField(auto_now_add=True)

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


class Enrolment(models.Model):
    """A trainee on a class roster. One row per (class, trainee), whatever the imports do."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

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

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "trainee"], name="one_enrolment_per_trainee"
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
