"""Credit-hour requirements by rank, in one place.

The regulations (《干部教育培训工作条例》 2023, national plan 2023-2027): 乡科级 and below
90 学时 of in-person training a year; 县处级 and above 550 学时 in five years; everyone
50 学时 online a year. If the ledger app grows a configurable requirements model, it wins;
until then these defaults apply.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps

from people.models import User

# Ranks held to the five-year total instead of the yearly in-person one.
SENIOR_RANKS = (User.Rank.COUNTY, User.Rank.BUREAU)


@dataclass(frozen=True)
class Requirements:
    yearly_in_person: Decimal = Decimal("90")
    five_year_total: Decimal = Decimal("550")
    yearly_online: Decimal = Decimal("50")
    source: str = "defaults"


DEFAULTS = Requirements()


def requirements_get() -> Requirements:
    """The requirements in force: the ledger's configured ones when that model exists."""
    try:
        model = apps.get_model("ledger", "CreditRequirement")
    except LookupError:
        return DEFAULTS
    try:  # pragma: no cover - depends on a model another app may add
        values = {row.rank: row for row in model.objects.all()}
    except Exception:  # noqa: BLE001 - a missing table must not break the reports
        return DEFAULTS
    if not values:  # pragma: no cover
        return DEFAULTS
    township = values.get(User.Rank.TOWNSHIP)  # pragma: no cover
    county = values.get(User.Rank.COUNTY)  # pragma: no cover
    return Requirements(  # pragma: no cover
        yearly_in_person=getattr(township, "yearly_in_person_hours", DEFAULTS.yearly_in_person),
        five_year_total=getattr(county, "five_year_hours", DEFAULTS.five_year_total),
        yearly_online=getattr(township, "yearly_online_hours", DEFAULTS.yearly_online),
        source="ledger",
    )
