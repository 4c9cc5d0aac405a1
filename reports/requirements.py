"""Credit-hour requirements by rank, read in one place.

The ledger app keeps them configurable (`ledger.CreditRequirement`: rank or everyone,
channel or all channels, hours, per year or over five years). Should that model be
missing, the defaults below restate the same rules: 《干部教育培训工作条例》(2023) — 乡科级
and below 90 学时 of in-person training a year, 县处级 and above 550 学时 in five years —
and the 2023-2027 national plan, 50 学时 online a year for everyone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Q

YEAR, FIVE_YEARS = "year", "five_years"
ALL_CHANNELS = "all"


@dataclass(frozen=True)
class Requirement:
    name: str
    rank: str  # "" applies to everyone; "none" also covers people with no rank recorded
    channel: str  # in_person | online | self_selected | all
    hours: Decimal
    period: str  # year | five_years

    def applies_q(self) -> Q:
        if not self.rank:
            return Q()
        if self.rank == "none":
            return Q(rank__in=["none", ""])
        return Q(rank=self.rank)

    def applies_to(self, rank: str) -> bool:
        return not self.rank or self.rank == (rank or "none")


DEFAULTS = [
    Requirement("乡科级干部每年脱产培训", "township", "in_person", Decimal("90"), YEAR),
    Requirement("科级以下干部每年脱产培训", "staff", "in_person", Decimal("90"), YEAR),
    Requirement("村(社区)干部每年脱产培训", "none", "in_person", Decimal("90"), YEAR),
    Requirement("县处级干部五年累计培训", "county", ALL_CHANNELS, Decimal("550"), FIVE_YEARS),
    Requirement("厅局级及以上干部五年累计培训", "bureau", ALL_CHANNELS, Decimal("550"), FIVE_YEARS),
    Requirement("每年网络培训", "", "online", Decimal("50"), YEAR),
]


def requirements_get() -> list[Requirement]:
    """The active requirements: the ledger's when that model exists, else the defaults."""
    try:
        model = apps.get_model("ledger", "CreditRequirement")
    except LookupError:
        return DEFAULTS
    return [
        Requirement(r.name, r.rank, r.channel, r.hours, r.period)
        for r in model.objects.filter(active=True).order_by("rank", "channel", "period")
    ]
