"""Which people and classes a report may count: the viewer's units, narrowed to a unit."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from people.models import OrgUnit
from people.roles import Role, has_role
from people.selectors import unit_is_managed_by, within_units_q
from training.models import Enrolment, TrainingClass


def may_view_reports(user) -> bool:
    """Reports are for organisers (within their units) and system administrators."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.ORGANISER))


def person_q(viewer, unit: OrgUnit | None, *, field: str = "") -> Q:
    """People inside the viewer's units (and `unit`, when given); `field` leads to a User."""
    prefix = f"{field}__" if field else ""
    q = within_units_q(viewer, field=f"{prefix}org_unit")
    if unit is not None:
        q &= Q(**{f"{prefix}org_unit__path__startswith": unit.path})
    return q


def report_class_list(*, viewer, unit: OrgUnit | None = None) -> QuerySet[TrainingClass]:
    """Classes organised inside the viewer's units, and classes any of their people attend.

    A county organiser thus finds the city's class that their village secretaries sit in,
    but inside it sees only their own county's people (see `class_report`).
    """
    organised = within_units_q(viewer, field="organising_unit")
    if unit is not None:
        organised &= Q(organising_unit__path__startswith=unit.path)
    attended = Exists(
        Enrolment.objects.filter(
            person_q(viewer, unit, field="trainee"), training_class=OuterRef("pk")
        )
    )
    return TrainingClass.objects.filter(organised | Q(attended))


def manages_whole_roster(viewer, klass: TrainingClass) -> bool:
    """Organisers of the organising unit see the whole roster; others only their people."""
    return viewer.is_superuser or unit_is_managed_by(klass.organising_unit, viewer)
