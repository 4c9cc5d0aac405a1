from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("credit-hour entry")
        verbose_name_plural = _("credit-hour entries")
        ordering = ["-earned_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "source_key"], name="one_entry_per_source"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="credit_hours_positive"),
        ]
        indexes = [models.Index(fields=["person", "earned_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.hours} {self.title}"
