"""Staff work on records: closing a session, correcting a record, the class's policy."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.audit import log
from lms.errors import PermissionDenied
from training.models import ClassSession, Enrolment, TrainingClass
from training.selectors import can_manage_class, can_run_class

from .. import errors
from ..models import (
    AttendanceCorrection,
    AttendancePolicy,
    AttendanceRecord,
    LeaveRequest,
    SessionClosure,
)
from ..selectors import attendance_taken
from ._locking import record_lock_or_create

S = AttendanceRecord.Status


def session_close(
    *, session: ClassSession, actor=None, now: datetime.datetime | None = None
) -> SessionClosure:
    """Record everyone still without a record as absent, or on leave if leave was approved.

    Safe to repeat and to run beside late check-ins: existing records are never touched
    (bulk insert ignoring conflicts on the unique constraint). Only trainees enrolled
    before the session began are expected. `actor` None means the scheduled worker.
    """
    now = now or timezone.now()
    if actor is not None and not can_run_class(actor, session.training_class):
        raise PermissionDenied
    if now < session.ends_at:
        raise errors.SessionNotEnded
    with transaction.atomic():
        try:
            with transaction.atomic():
                closure = SessionClosure.objects.create(session=session, closed_by=actor)
        except IntegrityError:
            pass
        closure = SessionClosure.objects.select_for_update().get(session=session)
        # Someone enrolled after the session began was not expected at it.
        roster = set(
            Enrolment.objects.filter(
                training_class_id=session.training_class_id,
                status=Enrolment.Status.ENROLLED,
                enrolled_at__lt=session.starts_at,
            ).values_list("trainee_id", flat=True)
        )
        have = set(
            AttendanceRecord.objects.filter(session=session).values_list("trainee_id", flat=True)
        )
        missing = roster - have
        if not missing:
            return closure
        leave_by_trainee = dict(
            LeaveRequest.objects.filter(
                sessions=session, status=LeaveRequest.Status.APPROVED, trainee_id__in=missing
            ).values_list("trainee_id", "pk")
        )
        new = [
            AttendanceRecord(
                session=session,
                trainee_id=tid,
                status=S.ON_LEAVE if tid in leave_by_trainee else S.ABSENT,
                source=(
                    AttendanceRecord.Source.LEAVE
                    if tid in leave_by_trainee
                    else AttendanceRecord.Source.AUTO
                ),
                leave_request_id=leave_by_trainee.get(tid),
            )
            for tid in sorted(missing)
        ]
        AttendanceRecord.objects.bulk_create(new, ignore_conflicts=True)
        absent = sorted(r.trainee_id for r in new if r.status == S.ABSENT)
        on_leave = sorted(r.trainee_id for r in new if r.status == S.ON_LEAVE)
        closure.marked_absent += len(absent)
        closure.marked_on_leave += len(on_leave)
        closure.save(update_fields=["marked_absent", "marked_on_leave"])
        log(
            closure,
            "attendance.session_close",
            user=actor,
            data={"session": session.pk, "absent": absent, "on_leave": on_leave},
        )
    return closure


def sessions_close_ended(*, now: datetime.datetime | None = None, days: int = 14) -> int:
    """Close every session that ended within `days` and is not closed yet; for the worker.

    Only sessions of in-person classes where attendance was taken (someone scanned in or
    was recorded by staff): an online session, one signed in on paper or one whose QR
    display failed would otherwise make the whole class 旷课. Staff close those by hand
    (`session_close` with an actor) once they have entered what they know.
    """
    now = now or timezone.now()
    pending = (
        ClassSession.objects.filter(
            ends_at__lte=now,
            ends_at__gte=now - datetime.timedelta(days=days),
            attendance_closure__isnull=True,
            training_class__kind=TrainingClass.Kind.IN_PERSON,
        )
        .filter(attendance_taken())
        .select_related("training_class")
    )
    count = 0
    for session in pending:
        session_close(session=session, now=now)
        count += 1
    return count


def record_correct(
    *,
    actor,
    session: ClassSession,
    trainee,
    status: str,
    reason: str,
) -> AttendanceRecord:
    """Set a trainee's status for a session, with a reason kept in the record's history."""
    if not can_run_class(actor, session.training_class):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise errors.ReasonRequired
    if status not in S.values:
        raise errors.InvalidStatus
    if not Enrolment.objects.filter(
        training_class_id=session.training_class_id, trainee=trainee
    ).exists():
        raise errors.NotOnRoster
    with transaction.atomic():
        record, created = record_lock_or_create(
            session=session,
            trainee=trainee,
            defaults={"status": status, "source": AttendanceRecord.Source.ADVISER},
        )
        old = "" if created else record.status
        if not created:
            if record.status == status:
                raise errors.StatusUnchanged
            record.status = status
            record.source = AttendanceRecord.Source.ADVISER
            record.save(update_fields=["status", "source", "updated_at"])
        correction = AttendanceCorrection(
            record=record, actor=actor, old_status=old, new_status=status, reason=reason
        )
        correction.full_clean()
        correction.save()
        log(
            record,
            "attendance.record_correct",
            user=actor,
            data={"session": session.pk, "old": old, "new": status, "reason": reason},
        )
    return record


POLICY_FIELDS = [
    "grace_minutes",
    "opens_minutes_before",
    "checkout_opens_minutes_before_end",
    "checkout_closes_minutes_after",
    "token_rotate_seconds",
    "token_lifetime_seconds",
    "login_grace_seconds",
    "leave_cap_numerator",
    "leave_cap_denominator",
    "absence_limit_days",
    "adviser_max_leave_half_days",
    "official_leave_needs_attachment",
    "official_leave_excused",
]


def policy_save(*, actor, training_class, values: dict) -> AttendancePolicy:
    """Change a class's attendance rules: organisers of the organising unit only."""
    if not can_manage_class(actor, training_class):
        raise PermissionDenied
    with transaction.atomic():
        policy, _ = AttendancePolicy.objects.select_for_update().get_or_create(
            training_class=training_class
        )
        before = {f: str(getattr(policy, f)) for f in POLICY_FIELDS}
        for name in POLICY_FIELDS:
            if name in values:
                setattr(policy, name, values[name])
        policy.full_clean()
        policy.save()
        after = {f: str(getattr(policy, f)) for f in POLICY_FIELDS}
        changed = {f: [before[f], after[f]] for f in POLICY_FIELDS if before[f] != after[f]}
        if changed:
            log(policy, "attendance.policy_change", user=actor, data=changed)
    training_class._attendance_policy = policy
    return policy
