"""An ORM query compiled once, then run again with other values.

Django compiles a QuerySet into SQL each time it is evaluated. For a query with joins
and subqueries that costs more CPU than the database's answer (`manage.py profile_path`
shows it on the hot paths). A hot path that runs one query many times with other values
writes it here, with the ORM as usual, naming the values that change:

    _course_read = Prepared(
        lambda course_path, trainee: CoursePage.objects.filter(path=course_path)
        .annotate(is_assigned=...)
        .values_list("id", "title", "is_assigned")[:1],
        course_path=str,
        trainee=int,
    )
    rows = _course_read.rows(course_path=lesson.path[:-4], trainee=user.pk)

The query is built once per process and database with a marker in place of each value
(twice, with two sets of markers, so that no constant is taken for a value), compiled,
and the positions of the markers among the SQL's parameters remembered; a run puts the
values there and applies each column's database converters, as the ORM would. The SQL
is shared by every thread (a thread's first query pays nothing: a bench with a thread
per user measured that); the converters, bound to a connection, are looked up once per
connection.
Only values_list() and values() querysets: their rows are plain values
(`instance_from_row` makes a model instance of some of them).

A value must reach the SQL as it is (an equality, an `__in` of constants around it is
fine); one that Django transforms (`__startswith`, `__contains`, a model instance) is
refused when the query is compiled, so a mistake shows on its first run.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.base import DEFERRED
from django.db.models.query import QuerySet, ValuesIterable, ValuesListIterable


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *, using=DEFAULT_DB_ALIAS, **kinds):
        """`build(**values)` returns the queryset; `kinds` names each value: int or str."""
        for name, kind in kinds.items():
            if kind not in (int, str):
                raise ImproperlyConfigured(f"{name}: a prepared value is an int or a str")
        self.build = build
        self.kinds = kinds
        self.using = using
        self._key = object()  # this query's place in a connection's converters
        self._sql: dict[tuple[str, str], tuple] = {}  # (alias, vendor) → the compiled query

    def _compiled(self, connection):
        """(sql, slots, the selected columns) for this database; compiled on first use."""
        key = (connection.alias, connection.vendor)
        compiled = self._sql.get(key)
        if compiled is None:  # two threads may both compile: the same result either way
            compiled = self._sql[key] = self._compile(connection)
        return compiled

    def _converters(self, connection, columns) -> list:
        """[(position, converters, column)] of the columns that have any, for `connection`
        (what Django's compiler.get_converters finds)."""
        kept = connection.__dict__.setdefault("_lms_prepared_converters", {})
        converters = kept.get(self._key)
        if converters is None:
            converters = []
            for position, column in enumerate(columns):
                found = [
                    *connection.ops.get_db_converters(column),
                    *column.get_db_converters(connection),
                ]
                if found:
                    converters.append((position, found, column))
            kept[self._key] = converters
        return converters

    def _marks(self, round_: int) -> dict:
        # Small positive ints: an integer field refuses a value outside its range (Django
        # answers "no rows" without asking), and 32,767 fits every integer field.
        return {
            name: 30_000 + 500 * round_ + i if kind is int else f"\x1flms.prepared:{round_}:{i}"
            for i, (name, kind) in enumerate(self.kinds.items())
        }

    def _compile(self, connection):
        """Compile the query twice, with two sets of markers: a parameter that is a marker
        both times is that value's slot, one that is the same both times a constant."""
        compiled = []
        for round_ in (0, 1):
            marks = self._marks(round_)
            queryset = self.build(**marks)
            if not issubclass(queryset._iterable_class, (ValuesListIterable, ValuesIterable)):
                raise ImproperlyConfigured("Prepared takes a values() or values_list() queryset")
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            compiled.append((marks, compiler, sql, list(params)))
        (marks, compiler, sql, params), (other_marks, _c, other_sql, other_params) = compiled
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured("the prepared query's SQL depends on its values")
        by_mark = {(mark, other_marks[name]): name for name, mark in marks.items()}
        slots = []
        for param, other in zip(params, other_params, strict=True):
            name = by_mark.get((param, other)) if _hashable(param, other) else None
            if name is not None:
                slots.append((True, name))
            elif param == other:
                slots.append((False, param))
            else:
                named = [n for n, m in marks.items() if isinstance(m, str) and m in str(param)]
                what = ", ".join(named) or repr(param)
                raise ImproperlyConfigured(f"{what}: not a plain parameter of the prepared query")
        missing = set(marks) - {value for is_mark, value in slots if is_mark}
        if missing:
            raise ImproperlyConfigured(
                f"{', '.join(sorted(missing))}: not a plain parameter of the prepared query"
            )
        columns = [select[0] for select in compiler.select[: compiler.col_count]]
        return sql, slots, columns

    def rows(self, **values) -> list[tuple]:
        """The query's rows (tuples, in the order of its values_list) for these values."""
        connection = connections[self.using]
        sql, slots, columns = self._compiled(connection)
        given = {name: self.kinds[name](value) for name, value in values.items()}
        params = [given[value] if is_mark else value for is_mark, value in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        converters = self._converters(connection, columns)
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, column in converters:
                value = row[position]
                for function in functions:
                    value = function(value, column, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted


def _hashable(*values) -> bool:
    try:
        hash(values)
    except TypeError:  # a list parameter (an array field's value) is never a marker
        return False
    return True


def instance_from_row(model, values: dict, *, using=DEFAULT_DB_ALIAS):
    """A model instance from some of its fields' values (keyed by attname), as the ORM
    makes one for `.only(...)`: the other fields are deferred (and read if touched)."""
    row = [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields]
    return model.from_db(using, None, row)
