"""Reads scoped to what the viewer may see. Every list of people or units goes through here."""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import OrgUnit, User


def managed_unit_paths(user) -> list[str] | None:
    """Tree paths of the units the user manages; None means no limit (system administrator)."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_managed_unit_paths", None)
    if cached is None:
        cached = list(user.managed_units.values_list("path", flat=True))
        user._managed_unit_paths = cached
    return cached


def within_units_q(viewer, *, field: str = "org_unit") -> Q:
    """A filter keeping rows whose `field` (an OrgUnit relation) lies in the viewer's units.

    Usable on any model: `within_units_q(user, field="enrolments__trainee__org_unit")`.
    """
    paths = managed_unit_paths(viewer)
    if paths is None:
        # Every row. Not Q(): an empty Q vanishes when OR-ed ("in my units or attended by my
        # people" would lose its first half); NOT(pk IN ()) compiles to no condition at all.
        return ~Q(pk__in=[])
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def org_unit_list(*, viewer) -> QuerySet[OrgUnit]:
    paths = managed_unit_paths(viewer)
    units = OrgUnit.objects.all()
    if paths is None:
        return units
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return units.filter(q)


def person_list(*, viewer) -> QuerySet[User]:
    return User.objects.filter(within_units_q(viewer)).select_related("org_unit")


def person_get(*, viewer, pk: int) -> User:
    try:
        return person_list(viewer=viewer).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def unit_is_managed_by(unit: OrgUnit, viewer) -> bool:
    paths = managed_unit_paths(viewer)
    if paths is None:
        return True
    return any(unit.path.startswith(p) for p in paths)


def unit_full_names(units) -> dict[int, str]:
    """`OrgUnit.full_name` for many units in one query (a query per unit otherwise).

    The ancestors of a materialised-path node are the prefixes of its path, so every
    ancestor of every unit comes back from a single `path IN (...)` lookup.
    """
    units = [u for u in units if u is not None]
    step = OrgUnit.steplen
    prefixes = {u.path[:n] for u in units for n in range(step, len(u.path), step)}
    names = {
        path: (name, level)
        for path, name, level in OrgUnit.objects.filter(path__in=prefixes).values_list(
            "path", "name", "level"
        )
    }
    out = {}
    for unit in units:
        parts = [
            names[unit.path[:n]][0]
            for n in range(step, len(unit.path), step)
            if unit.path[:n] in names and names[unit.path[:n]][1] != OrgUnit.Level.PROVINCE
        ]
        out[unit.pk] = "".join([*parts, unit.name])
    return out
