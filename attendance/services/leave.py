"""请假 / 销假: asking for leave, deciding it, and reporting back.

Who decides follows the length: up to the policy's `adviser_max_leave_half_days` (one
half-day by default) a class adviser, longer an organiser of the organising unit.
Approval marks the sessions 请假 in the records, idempotently; a trainee who checked in
anyway stays present (they were there), and an absence already recorded becomes leave.
"""

import datetime
from decimal import Decimal

import filetype
from django.db import transaction
from django.utils import timezone

from lms.audit import log
from lms.errors import PermissionDenied
from training.models import Enrolment
from training.selectors import can_manage_class, can_run_class

from .. import errors
from ..models import AttendanceRecord, LeaveRequest
from ..notify import leave_decided
from ..selectors import policy_for
from ._locking import record_lock_or_create

S = AttendanceRecord.Status
L = LeaveRequest.Status
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def attachment_check(upload) -> None:
    """By content, not by name: the first bytes must say JPEG, PNG or PDF."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise errors.LeaveBadAttachment
    upload.seek(0)
    kind = filetype.guess(upload.read(262))
    upload.seek(0)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise errors.LeaveBadAttachment


def leave_request_create(
    *,
    trainee,
    training_class,
    sessions,
    reason: str,
    kind: str = LeaveRequest.Kind.PERSONAL,
    attachment=None,
    now: datetime.datetime | None = None,
) -> LeaveRequest:
    """病假 / 事假 / 公假 for some of the class's coming sessions.

    公假 (official duty) must attach the notice or letter that calls the trainee away
    when the class's policy says so (`official_leave_needs_attachment`, on by default):
    it is the leave that may not count towards the cap, so it is the one to prove.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise errors.ReasonRequired
    if kind not in LeaveRequest.Kind.values:
        raise errors.LeaveKindUnknown
    sessions = sorted(set(sessions), key=lambda s: s.starts_at)
    if not sessions or any(s.training_class_id != training_class.pk for s in sessions):
        raise errors.LeaveNoSessions
    if any(s.ends_at <= now for s in sessions):
        raise errors.LeaveSessionPast
    if attachment:
        attachment_check(attachment)
    policy = policy_for(training_class)
    official = kind == LeaveRequest.Kind.OFFICIAL
    if official and policy.official_leave_needs_attachment and not attachment:
        raise errors.LeaveAttachmentRequired
    with transaction.atomic():
        # The enrolment row serialises one trainee's requests, so overlaps cannot slip in.
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(
                training_class=training_class, trainee=trainee, status=Enrolment.Status.ENROLLED
            )
            .first()
        )
        if enrolment is None:
            raise errors.NotOnRoster
        if LeaveRequest.objects.filter(
            trainee=trainee,
            status__in=[L.PENDING, L.APPROVED],
            sessions__in=[s.pk for s in sessions],
        ).exists():
            raise errors.LeaveOverlap
        leave = LeaveRequest(
            trainee=trainee,
            training_class=training_class,
            kind=kind,
            reason=reason,
            half_days=len(sessions),
            hours=sum((s.credit_hours for s in sessions), Decimal("0")),
            needs_organiser=len(sessions) > policy.adviser_max_leave_half_days,
        )
        if attachment:
            leave.attachment = attachment
        leave.full_clean()
        leave.save()
        leave.sessions.set(sessions)
        log(
            leave,
            "attendance.leave_request",
            user=trainee,
            data={
                "sessions": [s.pk for s in sessions],
                "half_days": len(sessions),
                "kind": kind,
            },
        )
    return leave


def can_decide_leave(actor, leave: LeaveRequest) -> bool:
    if leave.needs_organiser:
        return can_manage_class(actor, leave.training_class)
    return can_run_class(actor, leave.training_class)


def _decide_lock(*, actor, leave: LeaveRequest) -> LeaveRequest:
    if not can_run_class(actor, leave.training_class):
        raise PermissionDenied
    if not can_decide_leave(actor, leave):
        raise errors.LeaveNeedsOrganiser
    return LeaveRequest.objects.select_for_update().get(pk=leave.pk)


def leave_approve(
    *, actor, leave: LeaveRequest, note: str = "", now: datetime.datetime | None = None
) -> LeaveRequest:
    """Approve and mark the sessions 请假. Approving twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _decide_lock(actor=actor, leave=leave)
        if locked.status == L.APPROVED:
            return locked
        if locked.status != L.PENDING:
            raise errors.LeaveNotPending
        locked.status = L.APPROVED
        locked.decided_by = actor
        locked.decided_at = now
        locked.decision_note = (note or "").strip()
        locked.full_clean()
        locked.save()
        marked, kept = [], []
        for session in locked.sessions.order_by("pk"):
            record, created = record_lock_or_create(
                session=session,
                trainee=locked.trainee,
                defaults={
                    "status": S.ON_LEAVE,
                    "source": AttendanceRecord.Source.LEAVE,
                    "leave_request": locked,
                },
            )
            if created:
                marked.append(session.pk)
            elif record.checked_in_at is not None:
                kept.append(session.pk)  # came after all: the scan stands
            else:
                record.status = S.ON_LEAVE
                record.source = AttendanceRecord.Source.LEAVE
                record.leave_request = locked
                record.save(update_fields=["status", "source", "leave_request", "updated_at"])
                marked.append(session.pk)
        log(
            locked,
            "attendance.leave_approve",
            user=actor,
            data={"marked": marked, "kept_checked_in": kept, "note": locked.decision_note},
        )
        leave_decided(locked)
    return locked


def leave_reject(*, actor, leave: LeaveRequest, note: str, now=None) -> LeaveRequest:
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise errors.ReasonRequired
    with transaction.atomic():
        locked = _decide_lock(actor=actor, leave=leave)
        if locked.status == L.REJECTED:
            return locked
        if locked.status != L.PENDING:
            raise errors.LeaveNotPending
        locked.status = L.REJECTED
        locked.decided_by = actor
        locked.decided_at = now
        locked.decision_note = note
        locked.full_clean()
        locked.save()
        log(locked, "attendance.leave_reject", user=actor, data={"note": note})
        leave_decided(locked)
    return locked


def leave_withdraw(*, trainee, leave: LeaveRequest) -> LeaveRequest:
    """The trainee takes back a request nobody has decided yet."""
    if leave.trainee_id != trainee.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
        if locked.status == L.WITHDRAWN:
            return locked
        if locked.status != L.PENDING:
            raise errors.LeaveNotPending
        locked.status = L.WITHDRAWN
        locked.save(update_fields=["status"])
        log(locked, "attendance.leave_withdraw", user=trainee)
    return locked


def leave_report_back(
    *, trainee, leave: LeaveRequest, note: str = "", now: datetime.datetime | None = None
) -> LeaveRequest:
    """销假: the trainee says they are back. Reporting twice keeps the first time."""
    now = now or timezone.now()
    if leave.trainee_id != trainee.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
        if locked.status != L.APPROVED:
            raise errors.LeaveNotApproved
        if locked.reported_back_at is not None:
            return locked
        locked.reported_back_at = now
        locked.report_back_note = (note or "").strip()[:200]
        locked.save(update_fields=["reported_back_at", "report_back_note"])
        log(locked, "attendance.leave_report_back", user=trainee)
    return locked
