"""Study groups (组) and the class committee (班委)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError, PermissionDenied

from ..models import CommitteeRole, Enrolment, StudyGroup, TrainingClass
from ..selectors import can_run_class


class NotYourClass(PermissionDenied):
    code = "not_your_class"
    message = _("Only the class's advisers and organisers may do this.")


class LeaderNotInGroup(DomainError):
    code = "leader_not_in_group"
    message = _("The group leader must be a trainee of this class.")


class RoleTaken(DomainError):
    code = "committee_role_taken"
    message = _("Another trainee already holds this role.")


class GroupNameTaken(DomainError):
    code = "group_name_taken"
    message = _("The class already has a group of this name.")


def _check(actor, klass: TrainingClass) -> None:
    if not can_run_class(actor, klass):
        raise NotYourClass(str(klass.pk))


@transaction.atomic
def group_save(
    *, actor, training_class: TrainingClass, name: str, leader=None, group: StudyGroup | None = None
) -> StudyGroup:
    """Create or rename a group and set its leader; the leader joins the group if needed."""
    _check(actor, training_class)
    group = group or StudyGroup(training_class=training_class)
    if group.training_class_id != training_class.pk:
        raise NotYourClass(str(group.pk))
    leader_enrolment = None
    if leader is not None:
        leader_enrolment = Enrolment.objects.filter(
            training_class=training_class, trainee=leader, status=Enrolment.Status.ENROLLED
        ).first()
        if leader_enrolment is None:
            raise LeaderNotInGroup(str(leader.pk))
    group.name = name.strip()
    group.leader = leader
    if (
        StudyGroup.objects.filter(training_class=training_class, name=group.name)
        .exclude(pk=group.pk)
        .exists()
    ):
        raise GroupNameTaken(group.name)
    group.full_clean(validate_unique=False)
    created = group.pk is None
    group.save()
    if leader_enrolment is not None and leader_enrolment.group_id != group.pk:
        leader_enrolment.group = group
        leader_enrolment.save(update_fields=["group"])
    log(
        group,
        "training.group_create" if created else "training.group_update",
        user=actor,
        data={"leader": leader.pk if leader else None},
    )
    return group


@transaction.atomic
def enrolment_group_set(*, actor, enrolment: Enrolment, group: StudyGroup | None) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check(actor, enrolment.training_class)
    if group is not None and group.training_class_id != enrolment.training_class_id:
        raise NotYourClass(str(group.pk))
    if enrolment.group_id == (group.pk if group else None):
        return enrolment
    old = enrolment.group
    if old is not None and old.leader_id == enrolment.trainee_id:
        old.leader = None
        old.save(update_fields=["leader"])
    enrolment.group = group
    enrolment.save(update_fields=["group"])
    log(enrolment, "training.group_member", user=actor, data={"group": group.pk if group else None})
    return enrolment


@transaction.atomic
def committee_role_set(*, actor, enrolment: Enrolment, role: str) -> Enrolment:
    """Give a trainee a committee role ('' removes it); a class has one monitor and one deputy."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check(actor, enrolment.training_class)
    if role and role not in CommitteeRole.values:
        raise DomainError(role)
    if enrolment.committee_role == role:
        return enrolment
    enrolment.committee_role = role
    try:
        with transaction.atomic():
            enrolment.save(update_fields=["committee_role"])
    except IntegrityError as exc:
        raise RoleTaken(role) from exc
    log(enrolment, "training.committee_role", user=actor, data={"role": role})
    return enrolment
