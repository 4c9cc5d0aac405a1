"""Database settings for the duration of one report."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def analytic_queries():
    """Report queries read many rows once: on PostgreSQL their cost estimates cross
    `jit_above_cost`, and compiling them with JIT takes longer than running them (seen in
    EXPLAIN ANALYZE on the load data set: 3.3 s of JIT for a 0.5 s query). Off for this
    transaction only."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield
