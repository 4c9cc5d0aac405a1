"""Lock-or-create for the one record per (session, trainee)."""

from django.db import IntegrityError, transaction

from ..models import AttendanceRecord


def record_lock_or_create(*, session, trainee, defaults: dict) -> tuple[AttendanceRecord, bool]:
    """The locked record, created from `defaults` when there is none. Call inside atomic().

    Two requests racing to insert both pass the first lookup; the unique constraint lets
    one insert win, and the loser (after the winner commits) locks the winner's row.
    """
    manager = AttendanceRecord.objects.select_for_update()
    try:
        return manager.get(session=session, trainee=trainee), False
    except AttendanceRecord.DoesNotExist:
        pass
    record = AttendanceRecord(session=session, trainee=trainee, **defaults)
    # The related objects are in hand; validating them would cost a query each.
    record.full_clean(
        exclude=["session", "trainee", "leave_request"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        return manager.get(session=session, trainee=trainee), False
    return record, True
