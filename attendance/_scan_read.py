"""The one read of a check-in scan, compiled once (lms.prepared).

A scan needs the session, its class, the class's attendance policy (if any) and whether
the trainee is on the roster: one query, the one

    ClassSession.objects.select_related("training_class", "training_class__attendance_policy")
    .annotate(trainee_on_roster=on_roster(trainee)).filter(pk=pk)

runs. The ORM would compile that query (46 columns, two joins, a subquery) anew on every
scan, which cost more CPU than anything else the scan does; here it is compiled once and
its values become the three model instances, linked as select_related links them.
"""

from lms.prepared import Prepared, instance_from_row
from training.models import ClassSession, TrainingClass

from .models import AttendancePolicy
from .selectors import on_roster

_PARTS = (
    (ClassSession, ""),
    (TrainingClass, "training_class__"),
    (AttendancePolicy, "training_class__attendance_policy__"),
)
_COLUMNS = [
    (model, f.attname, prefix + f.attname)
    for model, prefix in _PARTS
    for f in model._meta.concrete_fields
]

_read = Prepared(
    lambda pk, trainee: (
        ClassSession.objects.filter(pk=pk)
        .annotate(trainee_on_roster=on_roster(trainee))
        .values_list(*(lookup for _model, _attname, lookup in _COLUMNS), "trainee_on_roster")
    ),
    pk=int,
    trainee=int,
)


def session_for_scan(*, pk: int, trainee) -> ClassSession | None:
    """The session with its class and policy loaded, and `trainee_on_roster` set; None if
    there is no such session. The same objects as the ORM query above."""
    rows = _read.rows(pk=pk, trainee=trainee.pk)
    if not rows:
        return None
    *values, on_roster = rows[0]
    fields = {model: {} for model, _prefix in _PARTS}
    for (model, attname, _lookup), value in zip(_COLUMNS, values, strict=True):
        fields[model][attname] = value
    session = instance_from_row(ClassSession, fields[ClassSession])
    training_class = instance_from_row(TrainingClass, fields[TrainingClass])
    policy = None
    if fields[AttendancePolicy]["id"] is not None:  # the class has a policy row
        policy = instance_from_row(AttendancePolicy, fields[AttendancePolicy])
    ClassSession._meta.get_field("training_class").set_cached_value(session, training_class)
    TrainingClass.attendance_policy.related.set_cached_value(training_class, policy)
    if policy is not None:
        AttendancePolicy._meta.get_field("training_class").set_cached_value(policy, training_class)
    session.trainee_on_roster = on_roster
    return session
