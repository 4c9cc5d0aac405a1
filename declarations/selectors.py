"""Reads of 学时申报: a trainee's own, and the ones an organiser may decide."""

from django.db.models import QuerySet

from people.roles import Role, has_role
from people.selectors import within_units_q

from .models import Declaration


def declaration_list_for_trainee(*, trainee) -> QuerySet[Declaration]:
    return Declaration.objects.filter(person=trainee).select_related("decided_by")


def can_decide_declarations(user) -> bool:
    return user.is_active and (user.is_superuser or has_role(user, Role.ORGANISER))


def declaration_list_for_staff(*, viewer) -> QuerySet[Declaration]:
    """Organisers: declarations of people in their units (and below); administrators: all."""
    if not can_decide_declarations(viewer):
        return Declaration.objects.none()
    return Declaration.objects.filter(within_units_q(viewer, field="person__org_unit"))
