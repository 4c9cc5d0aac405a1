"""Which people and classes a report may count: the viewer's units, narrowed to a unit."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from people.models import OrgUnit, User
from people.roles import Role, has_role
from people.selectors import managed_unit_paths, unit_is_managed_by, within_units_q
from training.models import Enrolment, TrainingClass


def may_view_reports(user) -> bool:
    """Reports are for organisers (within their units) and system administrators."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.ORGANISER))


def holds_every_unit(viewer, unit: OrgUnit | None) -> bool:
    """Whether the scope (`unit` inside the viewer's units, else all the viewer's units)
    holds the whole tree: a province organiser, or the administrator on the province, when
    the site has one province. "Inside the scope" is then "has a unit", which needs no
    join of the unit table: at province scale each report query would otherwise hash
    every person's unit (48,000 of them) only to keep them all. The roots are asked once
    a request, and only of a viewer managing a root (an index scan; kept on the viewer as
    `managed_unit_paths` keeps its paths)."""
    paths = managed_unit_paths(viewer)
    if unit is not None:
        if unit.depth != 1 or (paths is not None and unit.path not in paths):
            return False
        paths = [unit.path]
    elif paths is None:
        return False  # the administrator's "everything" keeps people without a unit
    paths = [p for p in paths if len(p) == OrgUnit.steplen]  # roots of the viewer's
    if not paths:
        return False  # nothing to ask: below the roots, a scope never holds them all
    roots = getattr(viewer, "_report_root_paths", None)
    if roots is None:
        roots = set(OrgUnit.get_root_nodes().values_list("path", flat=True))
        viewer._report_root_paths = roots
    return bool(roots) and roots <= set(paths)


def units_q(viewer, unit: OrgUnit | None, *, relation: str) -> Q:
    """Rows whose `relation` (a path to an OrgUnit) lies in the viewer's units and `unit`."""
    if unit is None:
        return within_units_q(viewer, field=relation)
    inside = Q(**{f"{relation}__path__startswith": unit.path})
    paths = managed_unit_paths(viewer)
    if paths is None or any(unit.path.startswith(path) for path in paths):
        # The unit lies in the viewer's units, so its own prefix says it all. Both prefixes
        # together (the same one, when the report shows the viewer's unit) would make
        # PostgreSQL count the condition twice in its estimates: a city's 2,700 people
        # estimated as 180, and the plans chosen for that.
        return inside
    return within_units_q(viewer, field=relation) & inside


def person_q(viewer, unit: OrgUnit | None, *, field: str = "") -> Q:
    """People inside the viewer's units (and `unit`, when given); `field` leads to a User."""
    prefix = f"{field}__" if field else ""
    if holds_every_unit(viewer, unit):
        if field and "__" not in field:
            # Not joined at all: the few people without a unit, hashed once and left out.
            return ~Q(**{f"{field}__in": User.objects.filter(org_unit__isnull=True).values("pk")})
        return Q(**{f"{prefix}org_unit__isnull": False})
    return units_q(viewer, unit, relation=f"{prefix}org_unit")


def report_class_list(*, viewer, unit: OrgUnit | None = None) -> QuerySet[TrainingClass]:
    """Classes organised inside the viewer's units, and classes any of their people attend.

    A county organiser thus finds the city's class that their village secretaries sit in,
    but inside it sees only their own county's people (see `class_report`).
    """
    if holds_every_unit(viewer, unit):
        organised = Q(organising_unit__isnull=False)
    else:
        organised = units_q(viewer, unit, relation="organising_unit")
    attended = Exists(
        Enrolment.objects.filter(
            person_q(viewer, unit, field="trainee"), training_class=OuterRef("pk")
        )
    )
    return TrainingClass.objects.filter(organised | Q(attended))


def manages_whole_roster(viewer, klass: TrainingClass) -> bool:
    """Organisers of the organising unit see the whole roster; others only their people."""
    return viewer.is_superuser or unit_is_managed_by(klass.organising_unit, viewer)
