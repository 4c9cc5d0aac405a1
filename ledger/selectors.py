"""Reads of the credit-hour ledger: totals by year and channel, requirements met or not."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear

from .models import CreditEntry, CreditRequirement

ZERO = Decimal("0")
FIVE_YEARS = 5


@dataclass
class YearTotals:
    year: int
    by_channel: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.by_channel.values(), ZERO)


@dataclass
class RequirementStatus:
    requirement: CreditRequirement
    earned: Decimal
    window: tuple[int, int]  # first and last calendar year counted

    @property
    def met(self) -> bool:
        return self.earned >= self.requirement.hours

    @property
    def remaining(self) -> Decimal:
        return max(self.requirement.hours - self.earned, ZERO)

    @property
    def percent(self) -> int:
        if not self.requirement.hours:
            return 100
        return min(100, int(self.earned * 100 / self.requirement.hours))


@dataclass
class LedgerSummary:
    person: object
    year: int
    years: list[YearTotals]  # the rolling five years, newest first
    five_year_by_channel: dict[str, Decimal]
    requirements: list[RequirementStatus]
    online_target: Decimal = Decimal("50")

    @property
    def online_this_year(self) -> Decimal:
        return self.years[0].by_channel.get(CreditEntry.Channel.ONLINE, ZERO)

    @property
    def online_percent(self) -> int:
        if not self.online_target:
            return 100
        return min(100, int(self.online_this_year * 100 / self.online_target))

    @property
    def online_remaining(self) -> Decimal:
        return max(self.online_target - self.online_this_year, ZERO)

    @property
    def five_year_total(self) -> Decimal:
        return sum(self.five_year_by_channel.values(), ZERO)

    @property
    def all_met(self) -> bool:
        return all(r.met for r in self.requirements)


def credit_entry_list(*, person) -> QuerySet[CreditEntry]:
    return CreditEntry.objects.filter(person=person).select_related("evidence", "recorded_by")


def _totals(person, first_year: int, last_year: int) -> dict[int, dict[str, Decimal]]:
    rows = (
        CreditEntry.objects.filter(
            person=person, earned_on__year__gte=first_year, earned_on__year__lte=last_year
        )
        .annotate(year=ExtractYear("earned_on"))
        .values("year", "channel")
        .annotate(hours=Sum("hours"))
    )
    totals: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        totals.setdefault(row["year"], {})[row["channel"]] = row["hours"]
    return totals


def requirement_list_for(*, person) -> list[CreditRequirement]:
    """Active requirements for the person's rank, plus those that apply to everyone."""
    return list(CreditRequirement.objects.filter(active=True, rank__in=["", person.rank or "none"]))


def ledger_summary(*, person, today: datetime.date | None = None) -> LedgerSummary:
    """Totals for this year and the rolling five calendar years (this year and four before)."""
    year = (today or datetime.date.today()).year
    first = year - FIVE_YEARS + 1
    totals = _totals(person, first, year)
    channels = [c.value for c in CreditEntry.Channel]
    years = [
        YearTotals(y, {c: totals.get(y, {}).get(c, ZERO) for c in channels})
        for y in range(year, first - 1, -1)
    ]
    five = {c: sum((t.by_channel[c] for t in years), ZERO) for c in channels}
    statuses = []
    for req in requirement_list_for(person=person):
        if req.period == CreditRequirement.Period.YEAR:
            scope, window = years[:1], (year, year)
        else:
            scope, window = years, (first, year)
        wanted = channels if req.channel == CreditRequirement.ChannelScope.ALL else [req.channel]
        earned = sum((t.by_channel[c] for t in scope for c in wanted), ZERO)
        statuses.append(RequirementStatus(req, earned, window))
    return LedgerSummary(person, year, years, five, statuses, _online_target(statuses))


def _online_target(statuses: list[RequirementStatus]) -> Decimal:
    """This year's online target: the person's yearly online requirement (the largest if
    several apply), else `LEDGER_ONLINE_TARGET_HOURS` (50, the 2023-2027 national plan)."""
    yearly_online = [
        s.requirement.hours
        for s in statuses
        if s.requirement.period == CreditRequirement.Period.YEAR
        and s.requirement.channel == CreditRequirement.ChannelScope.ONLINE
    ]
    if yearly_online:
        return max(yearly_online)
    return Decimal(str(getattr(settings, "LEDGER_ONLINE_TARGET_HOURS", 50)))
