"""A per-person, per-year summary of the credit-hour ledger, for province-scale reports.

Compliance is judged on each person's hours in a year by channel and over five years.
Summing the ledger for 50,000 people at every page view reads hundreds of thousands of
entries (seconds on the load data set); `CreditYear` holds those sums, one row per
person and year, so a report reads one row per person.

It is derived data, kept in step with the ledger by `reports.summary`: every saved or
deleted `ledger.CreditEntry` recomputes its person's rows in the same transaction
(`post_save`/`post_delete`, see `ReportsConfig.ready`), and
`manage.py rebuild_credit_summary` recomputes every row from the ledger (after a bulk
load or a restore). A person or year without a row has no hours.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HOURS = {"max_digits": 10, "decimal_places": 2, "default": 0}


class CreditYear(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="credit_years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Hours earned in the calendar year, by channel.
    in_person = models.DecimalField(_("in-person hours"), **HOURS)
    online = models.DecimalField(_("online hours"), **HOURS)
    self_selected = models.DecimalField(_("self-selected hours"), **HOURS)
    # Hours earned in the five calendar years ending with this one, by channel.
    five_in_person = models.DecimalField(_("in-person hours in five years"), **HOURS)
    five_online = models.DecimalField(_("online hours in five years"), **HOURS)
    five_self_selected = models.DecimalField(_("self-selected hours in five years"), **HOURS)

    class Meta:
        verbose_name = _("credit-hour summary")
        verbose_name_plural = _("credit-hour summaries")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_credit_year_per_person")
        ]
        indexes = [
            # The reports read one year for everyone in scope.
            models.Index(fields=["year", "person"], name="reports_credityear_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"
