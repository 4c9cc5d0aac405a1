"""Credit-hour requirements by rank, read in one place.

The ledger keeps them configurable (`ledger.CreditRequirement`: rank or everyone, channel
or all channels, hours, per year or over five years); its migrations load the rules of
《干部教育培训工作条例》(2023) and the 2023-2027 national plan.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from ledger.models import CreditRequirement

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


def requirements_get() -> list[Requirement]:
    """The active requirements, as the ledger keeps them."""
    return [
        Requirement(r.name, r.rank, r.channel, r.hours, r.period)
        for r in CreditRequirement.objects.filter(active=True).order_by("rank", "channel", "period")
    ]
