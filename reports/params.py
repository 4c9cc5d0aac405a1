"""Parse and validate what a report reads from the URL. Nothing here trusts its input."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from people.models import OrgUnit
from people.selectors import managed_unit_paths, unit_is_managed_by

from .errors import BadPage, BadPeriod, BadUnit, BadYear, UnitNotInScope


def current_cycle(today: datetime.date | None = None) -> "Period":
    """The five-year training cycle that holds today (this year included).

    Cycles run in steps of `LMS_TRAINING_CYCLE_YEARS` from `LMS_TRAINING_CYCLE_FIRST_YEAR`
    (Henan's plan ran 2021-2025, so 2026 falls in 2026-2030).
    """
    today = today or timezone.localdate()
    first = settings.LMS_TRAINING_CYCLE_FIRST_YEAR
    length = settings.LMS_TRAINING_CYCLE_YEARS
    start = first + (today.year - first) // length * length
    return Period(datetime.date(start, 1, 1), datetime.date(start + length - 1, 12, 31))


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def as_query(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw.strip())
    except (ValueError, AttributeError) as exc:
        raise BadPeriod(raw) from exc


def period_parse(*, start: str | None, end: str | None) -> Period:
    """The coverage period: the current training cycle unless the URL says otherwise."""
    cycle = current_cycle()
    first = _date(start) if start else cycle.start
    last = _date(end) if end else cycle.end
    if last < first or first.year < 2000 or last.year > 2100:
        raise BadPeriod(f"{first}..{last}")
    return Period(first, last)


def year_parse(raw: str | None, *, default: int) -> int:
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError as exc:
        raise BadYear(raw) from exc
    if not 2000 <= year <= 2100:
        raise BadYear(raw)
    return year


def page_parse(raw: str | None) -> int:
    if not raw:
        return 1
    try:
        page = int(raw)
    except ValueError as exc:
        raise BadPage(raw) from exc
    if page < 1 or page > 1_000_000:
        raise BadPage(raw)
    return page


def scope_top_units(*, viewer) -> list[OrgUnit]:
    """The units a viewer's reports start from: those they manage, minus nested ones.

    A system administrator starts from the roots (provinces).
    """
    paths = managed_unit_paths(viewer)
    if paths is None:
        return list(OrgUnit.get_root_nodes())
    if not paths:
        return []
    outermost = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    q = Q(pk__in=[])
    for path in outermost:
        q |= Q(path=path)
    return list(OrgUnit.objects.filter(q).order_by("path"))


def unit_parse(raw: str | None, *, viewer) -> OrgUnit | None:
    """The unit named by `?unit=`; None when absent (the report starts at the viewer's top).

    A malformed value is BadUnit; an unknown unit and one outside the viewer's units are
    the same UnitNotInScope, so the parameter cannot be used to probe the tree.
    """
    if raw is None or raw == "":
        return None
    try:
        pk = int(raw)
    except ValueError as exc:
        raise BadUnit(raw) from exc
    if pk < 1 or pk > 2**62:
        raise BadUnit(raw)
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None or not unit_is_managed_by(unit, viewer):
        raise UnitNotInScope(raw)
    return unit
