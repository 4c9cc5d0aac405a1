import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.storage import private_storage
from people.models import User


class CreditEntry(models.Model):
    """One line of a person's credit-hour ledger (学时档案).

    `source_key` names what earned the hours ("class:12", "course:7"), so posting the
    same source twice is refused by the database, not by luck.
    """

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In-person training")
        ONLINE = "online", _("Online training")
        SELF_SELECTED = "self_selected", _("Self-selected study")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="credit_entries",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=2)
    earned_on = models.DateField(_("earned on"))
    title = models.CharField(_("title"), max_length=200)
    source_key = models.CharField(_("source"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("credit-hour entry")
        verbose_name_plural = _("credit-hour entries")
        ordering = ["-earned_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "source_key"], name="one_entry_per_source"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="credit_hours_positive"),
        ]
        indexes = [
            models.Index(fields=["person", "earned_on"]),
            # Province-wide compliance counts scan a period and channel for every person;
            # covering `hours` keeps that an index-only scan on PostgreSQL.
            models.Index(
                fields=["earned_on", "channel", "person"],
                include=["hours"],
                name="ledger_entry_period_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.hours} {self.title}"

    @property
    def is_recorded_by_hand(self) -> bool:
        """Recorded by an organiser with evidence, not posted by a class or a course."""
        return self.source_key.startswith("other:")


def evidence_path(instance, filename: str) -> str:
    """An unguessable name; the file is served only by a permission-checked view."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"ledger/evidence/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class CreditEvidence(models.Model):
    """The proof behind hours an organiser records by hand (a certificate scan, a letter).

    Kept beside the entry instead of on it, so `CreditEntry` stays the one shape every
    app posts to.
    """

    entry = models.OneToOneField(
        CreditEntry,
        verbose_name=_("credit-hour entry"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(
        _("evidence"), upload_to=evidence_path, storage=private_storage, max_length=200
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.file.name


class CreditRequirement(models.Model):
    """How many hours a rank must earn, per channel, per year or per five years.

    The defaults restate 《干部教育培训工作条例》(2023) and the 2023-2027 national plan;
    organisers change them in the admin, the code never hard-codes a figure.
    """

    class Period(models.TextChoices):
        YEAR = "year", _("Per calendar year")
        FIVE_YEARS = "five_years", _("Over five years")

    class ChannelScope(models.TextChoices):
        ALL = "all", _("All channels")
        IN_PERSON = CreditEntry.Channel.IN_PERSON.value, CreditEntry.Channel.IN_PERSON.label
        ONLINE = CreditEntry.Channel.ONLINE.value, CreditEntry.Channel.ONLINE.label
        SELF_SELECTED = (
            CreditEntry.Channel.SELF_SELECTED.value,
            CreditEntry.Channel.SELF_SELECTED.label,
        )

    name = models.CharField(_("name"), max_length=100)
    rank = models.CharField(
        _("rank"),
        max_length=16,
        blank=True,
        choices=User.Rank.choices,
        help_text=_("Leave empty for a requirement that applies to everyone."),
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=ChannelScope.choices, default=ChannelScope.ALL
    )
    hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=1)
    period = models.CharField(
        _("period"), max_length=16, choices=Period.choices, default=Period.YEAR
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("credit-hour requirement")
        verbose_name_plural = _("credit-hour requirements")
        ordering = ["rank", "channel", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["rank", "channel", "period"], name="one_requirement_per_rank_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="requirement_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- the per-person, per-year summary ----------------------------------------------------
# Compliance is judged on each person's hours in a year by channel and over five years.
# Summing the ledger for 50,000 people at every page view reads hundreds of thousands of
# entries (seconds on the load data set); `CreditYear` holds those sums, one row per person
# and year, so a report reads one row per person. It is derived data, kept equal to the
# ledger by `ledger.summary`: the services that post or void an entry recompute its
# person's rows in the same transaction, and `manage.py rebuild_credit_summary` recomputes
# every row (after a bulk load or a restore). A person or year without a row has no hours.

SUM_HOURS = {"max_digits": 10, "decimal_places": 2, "default": 0}
HOURS_COLUMNS = (
    "in_person",
    "online",
    "self_selected",
    "five_in_person",
    "five_online",
    "five_self_selected",
)


class CreditYear(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="credit_years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Hours earned in the calendar year, by channel.
    in_person = models.DecimalField(_("in-person hours"), **SUM_HOURS)
    online = models.DecimalField(_("online hours"), **SUM_HOURS)
    self_selected = models.DecimalField(_("self-selected hours"), **SUM_HOURS)
    # Hours earned in the five calendar years ending with this one, by channel.
    five_in_person = models.DecimalField(_("in-person hours in five years"), **SUM_HOURS)
    five_online = models.DecimalField(_("online hours in five years"), **SUM_HOURS)
    five_self_selected = models.DecimalField(_("self-selected hours in five years"), **SUM_HOURS)

    class Meta:
        verbose_name = _("credit-hour summary")
        verbose_name_plural = _("credit-hour summaries")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_credit_year_per_person")
        ]
        indexes = [
            # The reports read one year for everyone in scope: the hours come from the
            # index alone (an index-only scan of ~400 pages for 50,000 people, where the
            # rows of a year lie on 4,300 pages among the other years').
            models.Index(
                fields=["year", "person"],
                include=[*HOURS_COLUMNS],
                name="credit_year_hours",
            ),
        ]
        # Made by the reports app, which first kept it; the table stayed where it was.
        db_table = "reports_credityear"

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"
