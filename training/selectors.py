"""Who may see and run which class. Every app asks these, never the roles directly."""

from django.db.models import Q, QuerySet
from django.http import Http404

from people.roles import Role, has_role
from people.selectors import unit_is_managed_by, within_units_q

from .models import ClassSession, Enrolment, TrainingClass


def class_list_for_staff(*, viewer) -> QuerySet[TrainingClass]:
    """Classes a staff member works on: organisers by unit, advisers and instructors by name."""
    if viewer.is_superuser:
        return TrainingClass.objects.all()
    q = Q(pk__in=[])
    if has_role(viewer, Role.ORGANISER):
        q |= within_units_q(viewer, field="organising_unit")
    if has_role(viewer, Role.ADVISER):
        q |= Q(advisers=viewer)
    if has_role(viewer, Role.INSTRUCTOR):
        q |= Q(sessions__instructor=viewer)
    return TrainingClass.objects.filter(q).distinct()


def class_get_for_staff(*, viewer, pk: int) -> TrainingClass:
    try:
        return class_list_for_staff(viewer=viewer).get(pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


def can_manage_class(viewer, training_class: TrainingClass) -> bool:
    """Create, import, close, issue certificates: organisers of the organising unit."""
    if viewer.is_superuser:
        return True
    return has_role(viewer, Role.ORGANISER) and unit_is_managed_by(
        training_class.organising_unit, viewer
    )


def is_adviser_of(viewer, training_class: TrainingClass) -> bool:
    return (
        viewer.is_authenticated
        and has_role(viewer, Role.ADVISER)
        and training_class.advisers.filter(pk=viewer.pk).exists()
    )


def can_run_class(viewer, training_class: TrainingClass) -> bool:
    """Day-to-day work (check-in screen, corrections, short leave): its advisers and managers."""
    return is_adviser_of(viewer, training_class) or can_manage_class(viewer, training_class)


def class_list_for_trainee(*, trainee) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(
        enrolments__trainee=trainee,
        enrolments__status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED],
    ).distinct()


def enrolment_get(*, trainee, training_class: TrainingClass) -> Enrolment | None:
    return Enrolment.objects.filter(trainee=trainee, training_class=training_class).first()


def session_list_for_trainee_on(*, trainee, date) -> QuerySet[ClassSession]:
    """The trainee's 今日课程: sessions of their current classes on one day."""
    return (
        ClassSession.objects.filter(
            date=date,
            training_class__enrolments__trainee=trainee,
            training_class__enrolments__status=Enrolment.Status.ENROLLED,
        )
        .select_related("training_class")
        .order_by("starts_at")
    )
