"""Keeping `CreditYear` equal to the ledger.

One function computes a person's rows from their ledger entries in the database
(`credit_summary_refresh`), and the same statement without a person filter rebuilds the
whole table (`credit_summary_rebuild`). Refreshing recomputes rather than adding deltas,
so a refresh after any change, however it was made, leaves the right figures; a
transaction-scoped advisory lock per person (PostgreSQL) makes two concurrent postings
for one person refresh one after the other, the second seeing the first's entry.

The ledger's services call `credit_summary_refresh` in the transaction that writes an
entry: `credit_entry_post` (class closing, course completion, organisers' records of
outside training) and `credit_other_void`. Any other write to `CreditEntry` (the ORM
directly, `bulk_create`, COPY in `generate_load_data`) must call `credit_summary_refresh`
or `credit_summary_rebuild` itself.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.db.models.functions import ExtractYear

from .models import CreditEntry, CreditYear

WINDOW = 5  # "five years": the year itself and the four before it
LOCK_NAMESPACE = 73_01  # first key of pg_advisory_xact_lock(int, int): this summary
CHANNELS = ("in_person", "online", "self_selected")


def _insert_statement(entries, years: list[int]) -> tuple[str, list]:
    """INSERT … SELECT of the rows for `entries` (a CreditEntry queryset) and `years`."""
    inner = (
        entries.annotate(y=ExtractYear("earned_on"))
        .order_by()
        .values("person_id", "y", "channel")
        .annotate(h=Sum("hours"))
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    year_sql = " UNION ALL ".join(["SELECT CAST(%s AS integer) AS year"] * len(years))
    this_year = [
        "SUM(CASE WHEN s.y = y.year AND s.channel = %s THEN s.h ELSE 0 END)" for _ in CHANNELS
    ]
    five_years = ["SUM(CASE WHEN s.channel = %s THEN s.h ELSE 0 END)" for _ in CHANNELS]
    qn = connection.ops.quote_name
    columns = ["person_id", "year", *CHANNELS, *[f"five_{c}" for c in CHANNELS]]
    sql = (
        f"INSERT INTO {qn(CreditYear._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT s.person_id, y.year, {', '.join(this_year + five_years)} "
        f"FROM ({inner_sql}) s INNER JOIN ({year_sql}) y "
        f"ON s.y <= y.year AND s.y > y.year - {WINDOW} "
        "GROUP BY s.person_id, y.year"
    )
    return sql, [*CHANNELS, *CHANNELS, *inner_params, *years]


def _years(entries) -> list[int]:
    span = entries.aggregate(first=Min("earned_on"), last=Max("earned_on"))
    if span["first"] is None:
        return []
    return list(range(span["first"].year, span["last"].year + WINDOW))


def _write(entries) -> int:
    years = _years(entries)
    if not years:
        return 0
    sql, params = _insert_statement(entries, years)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def credit_summary_refresh(*, person_ids: Iterable[int]) -> None:
    """Recompute the summary rows of these people from their ledger entries."""
    ids = sorted({int(pk) for pk in person_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for pk in ids:  # in id order, so two refreshes never wait on each other
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, pk])
        CreditYear.objects.filter(person_id__in=ids).delete()
        _write(CreditEntry.objects.filter(person_id__in=ids))


def credit_summary_rebuild() -> int:
    """Recompute the whole table from the ledger in one transaction. Returns its rows."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Postings (and reports) wait until the rebuild commits.
                table = connection.ops.quote_name(CreditYear._meta.db_table)
                cursor.execute(f"TRUNCATE {table}")
        else:
            CreditYear.objects.all().delete()
        _write(CreditEntry.objects.all())
    return CreditYear.objects.count()
