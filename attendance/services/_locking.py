"""Lock-or-create for the one record per (session, trainee)."""

from django.db import connection

from ..models import AttendanceRecord

_META = AttendanceRecord._meta
_FIELDS = [f for f in _META.concrete_fields if not f.primary_key]
# The columns of the unique constraint one_attendance_record_per_session.
_UNIQUE = [_META.get_field("session").column, _META.get_field("trainee").column]


def _insert_if_absent(record: AttendanceRecord) -> bool:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: True and the new id set on `record`
    if it went in, False if the trainee already has a record for the session.

    One round trip, and no savepoint: the ORM can insert while ignoring conflicts
    (bulk_create) but then cannot tell whether the row went in. PostgreSQL makes a
    racing insert wait for the other transaction, then skips it if that one committed.
    """
    qn = connection.ops.quote_name
    values = [f.get_db_prep_save(f.pre_save(record, add=True), connection) for f in _FIELDS]
    sql = (
        f"INSERT INTO {qn(_META.db_table)} ({', '.join(qn(f.column) for f in _FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(_FIELDS))}) "
        f"ON CONFLICT ({', '.join(qn(c) for c in _UNIQUE)}) DO NOTHING "
        f"RETURNING {qn(_META.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    record.pk = row[0]
    record._state.adding = False
    return True


def record_lock_or_create(*, session, trainee, defaults: dict) -> tuple[AttendanceRecord, bool]:
    """The locked record, created from `defaults` when there is none. Call inside atomic().

    The insert comes first because most calls (a scan at the door) find no record. Two
    requests racing to insert both try; the unique constraint lets one in, the other
    waits for it to commit and then locks the winner's row.
    """
    record = AttendanceRecord(session=session, trainee=trainee, **defaults)
    # The related objects are in hand; validating them would cost a query each.
    record.full_clean(
        exclude=["session", "trainee", "leave_request"],
        validate_unique=False,
        validate_constraints=False,
    )
    if _insert_if_absent(record):
        return record, True
    return AttendanceRecord.objects.select_for_update().get(session=session, trainee=trainee), False
