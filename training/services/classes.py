"""A class's own record and its life cycle 筹备 → 报名 → 进行中 → 已结束待结班 → 已结班."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError, PermissionDenied
from people.selectors import unit_is_managed_by

from ..models import ClassSession, TrainingClass
from ..selectors import can_manage_class

S = TrainingClass.Status

# Which step may follow which. Going back one step is allowed before the class runs
# (a date moved, enrolment reopened); a closed class is final. Closing itself is done by
# `certificates.services.class_close`, which checks `status_change_allowed(klass, CLOSED)`.
TRANSITIONS: dict[str, set[str]] = {
    S.PLANNING: {S.ENROLLING},
    S.ENROLLING: {S.PLANNING, S.RUNNING},
    S.RUNNING: {S.ENROLLING, S.ENDED, S.CLOSED},
    # Reopened when its dates were moved on; the sweep ends it again once they pass.
    S.ENDED: {S.RUNNING, S.CLOSED},
    S.CLOSED: set(),
}


class ClassStatusError(DomainError):
    code = "bad_status_change"
    message = _("A class cannot move from this status to that one.")


class CloseThroughCompletion(DomainError):
    code = "close_through_completion"
    message = _("Close a class from its completion page, where certificates are issued.")


class ClassNotManaged(PermissionDenied):
    code = "class_not_managed"
    message = _("Only organisers of the organising unit may change this class.")


class UnitOutOfScope(PermissionDenied):
    code = "unit_out_of_scope"
    message = _("This org unit is outside the units you manage.")


def status_change_allowed(training_class: TrainingClass, status: str) -> bool:
    return status in TRANSITIONS.get(training_class.status, set())


def _check_unit(actor, unit) -> None:
    if not actor.is_superuser and not unit_is_managed_by(unit, actor):
        raise UnitOutOfScope(str(unit))


CLASS_FIELDS = (
    "name",
    "code",
    "organising_unit",
    "provider",
    "venue",
    "kind",
    "level",
    "is_rotation",
    "start_date",
    "end_date",
    "credit_hours",
    "capacity",
    "description",
)


@transaction.atomic
def class_create(*, actor, advisers=(), **fields) -> TrainingClass:
    """A new class starts in preparation (筹备), inside a unit the organiser manages."""
    unknown = set(fields) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _check_unit(actor, fields["organising_unit"])
    klass = TrainingClass(status=S.PLANNING, **fields)
    klass.full_clean()
    klass.save()
    klass.advisers.set(advisers)
    log(klass, "training.class_create", user=actor)
    return klass


@transaction.atomic
def class_update(*, actor, training_class: TrainingClass, advisers=None, **fields) -> TrainingClass:
    """Edit the record; status has its own service. Moving a class to another unit needs
    both units in scope."""
    unknown = set(fields) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if not can_manage_class(actor, klass):
        raise ClassNotManaged(str(klass.pk))
    if "organising_unit" in fields:
        _check_unit(actor, fields["organising_unit"])
    changed = [k for k, v in fields.items() if getattr(klass, k) != v]
    for key in changed:
        setattr(klass, key, fields[key])
    klass.full_clean()
    klass.save()
    if advisers is not None:
        before = set(klass.advisers.values_list("pk", flat=True))
        klass.advisers.set(advisers)
        if before != {a.pk for a in advisers}:
            changed.append("advisers")
    if changed:
        log(klass, "training.class_update", user=actor, data={"fields": sorted(changed)})
    return klass


@transaction.atomic
def class_status_change(*, actor, training_class: TrainingClass, status: str) -> TrainingClass:
    """Move along the life cycle. Repeating the current status is a no-op, not an error."""
    klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if not can_manage_class(actor, klass):
        raise ClassNotManaged(str(klass.pk))
    if klass.status == status:
        return klass
    if status == S.CLOSED:
        raise CloseThroughCompletion(str(klass.pk))
    if not status_change_allowed(klass, status):
        raise ClassStatusError(f"{klass.status}->{status}")
    before = klass.status
    klass.status = status
    klass.save(update_fields=["status"])
    log(klass, "training.class_status", user=actor, data={"from": before, "to": status})
    return klass


def classes_end_past(*, now: datetime.datetime | None = None) -> int:
    """The calendar sweep: a class past its end date whose sessions have all ended moves
    to 已结束待结班 (ended, awaiting close). Safe to repeat and to run in several workers
    at once (each class is locked and checked again); audited. Returns how many moved."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending_session = ClassSession.objects.filter(training_class=OuterRef("pk"), ends_at__gt=now)
    candidates = TrainingClass.objects.filter(
        status__in=[S.ENROLLING, S.RUNNING], end_date__lt=today
    ).exclude(Exists(pending_session))
    moved = 0
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            klass = TrainingClass.objects.select_for_update().get(pk=pk)
            if klass.status not in (S.ENROLLING, S.RUNNING) or klass.end_date >= today:
                continue
            before = klass.status
            klass.status = S.ENDED
            klass.save(update_fields=["status"])
            log(
                klass,
                "training.class_ended",
                data={"from": before, "end_date": str(klass.end_date)},
            )
            moved += 1
    return moved
