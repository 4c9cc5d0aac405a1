"""The one read of a check-in scan, without the ORM's compiler on every scan.

A scan needs the session, its class, the class's attendance policy (if any) and whether
the trainee is on the roster: one query. Built with select_related and an Exists, the
ORM compiles that query (46 columns, two joins, a subquery) anew on every scan, which
cost more CPU than anything else the scan does. Here the SQL is written once per
process from the models' _meta (so it follows their fields) and the rows are turned
into model instances with each field's own database converters, as the ORM does.
"""

from django.db import connection

from training.models import ClassSession, Enrolment, TrainingClass

from .models import AttendancePolicy

_MODELS = (ClassSession, TrainingClass, AttendancePolicy)
_ALIASES = ("s", "c", "p")
_sql_by_vendor: dict[str, tuple[str, list]] = {}


def _build():
    qn = connection.ops.quote_name
    columns, parts = [], []
    for model, alias in zip(_MODELS, _ALIASES, strict=True):
        fields = list(model._meta.concrete_fields)
        converters = []
        for f in fields:
            col = f.get_col(alias)
            funcs = [*connection.ops.get_db_converters(col), *f.get_db_converters(connection)]
            converters.append((col, funcs) if funcs else None)
            columns.append(f"{alias}.{qn(f.column)}")
        parts.append((model, [f.attname for f in fields], converters))

    def col(model, name):
        return qn(model._meta.get_field(name).column)

    sql = (
        f"SELECT {', '.join(columns)}, EXISTS (SELECT 1 FROM {qn(Enrolment._meta.db_table)} e"
        f" WHERE e.{col(Enrolment, 'training_class')} = s.{col(ClassSession, 'training_class')}"
        f" AND e.{col(Enrolment, 'trainee')} = %s AND e.{col(Enrolment, 'status')} = %s)"
        f" FROM {qn(ClassSession._meta.db_table)} s"
        f" INNER JOIN {qn(TrainingClass._meta.db_table)} c"
        f" ON c.{col(TrainingClass, 'id')} = s.{col(ClassSession, 'training_class')}"
        f" LEFT OUTER JOIN {qn(AttendancePolicy._meta.db_table)} p"
        f" ON p.{col(AttendancePolicy, 'training_class')} = c.{col(TrainingClass, 'id')}"
        f" WHERE s.{col(ClassSession, 'id')} = %s"
    )
    return sql, parts


def _instance(model, attnames, converters, values):
    converted = []
    for value, conv in zip(values, converters, strict=True):
        if conv:
            col, funcs = conv
            for func in funcs:
                value = func(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, attnames, converted)


def session_for_scan(*, pk: int, trainee) -> ClassSession | None:
    """The session with its class and policy loaded, and `trainee_on_roster` set; None if
    there is no such session. The same objects as
    `ClassSession.objects.select_related("training_class",
    "training_class__attendance_policy").annotate(trainee_on_roster=on_roster(trainee))`."""
    built = _sql_by_vendor.get(connection.vendor)
    if built is None:
        built = _sql_by_vendor[connection.vendor] = _build()
    sql, parts = built
    with connection.cursor() as cursor:
        cursor.execute(sql, [trainee.pk, Enrolment.Status.ENROLLED, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model, attnames, converters in parts:
        values = row[start : start + len(attnames)]
        start += len(attnames)
        if model is AttendancePolicy and values[attnames.index("id")] is None:  # no policy
            objects.append(None)
        else:
            objects.append(_instance(model, attnames, converters, values))
    session, training_class, policy = objects
    ClassSession._meta.get_field("training_class").set_cached_value(session, training_class)
    TrainingClass.attendance_policy.related.set_cached_value(training_class, policy)
    if policy is not None:
        AttendancePolicy._meta.get_field("training_class").set_cached_value(policy, training_class)
    session.trainee_on_roster = bool(row[start])
    return session
