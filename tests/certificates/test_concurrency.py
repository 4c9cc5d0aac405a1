"""Races that only a real database shows: run with PostgreSQL (`-m postgres`)."""

import threading

import pytest
from django.db import connection, transaction

from certificates.models import Certificate
from certificates.services import (
    certificate_issue,
    certificate_number_next,
    certificates_issue_for_class,
)
from tests.certificates.factories import closed_class
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n: int, work):
    """Run `work(i)` in n threads released at once; returns (results, errors)."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_issue_for_one_trainee_yields_one_certificate(postgres_only, world):
    klass = closed_class(world, [world.trainee_a])

    def issue(_i):
        cert, created = certificate_issue(
            actor=world.organiser, training_class=klass, trainee=world.trainee_a
        )
        return cert.pk, created

    results, errors = _race(6, issue)
    assert errors == []
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Certificate.objects.filter(training_class=klass).count() == 1


def test_concurrent_numbering_has_no_gaps_or_collisions(postgres_only, db):
    def take(_i):
        with transaction.atomic():
            return certificate_number_next(prefix="RACE", year=2025)

    results, errors = _race(12, take)
    assert errors == []
    assert sorted(results) == [f"RACE-2025-{n:05d}" for n in range(1, 13)]


def test_concurrent_issue_for_many_trainees_numbers_them_one_to_n(postgres_only, world):
    people = [UserFactory(full_name=f"学员{n}") for n in range(8)]
    klass = closed_class(world, people)

    def issue(i):
        return certificate_issue(actor=world.organiser, training_class=klass, trainee=people[i])[
            0
        ].number

    results, errors = _race(8, issue)
    assert errors == []
    year = klass.end_date.year
    assert sorted(results) == [f"CERT-{year}-{n:05d}" for n in range(1, 9)]


def test_bulk_issue_racing_single_issues_gives_each_trainee_one_certificate(postgres_only, world):
    people = [UserFactory(full_name=f"学员{n}") for n in range(6)]
    klass = closed_class(world, people)

    def work(i):
        if i < 2:  # the background job, started twice
            return certificates_issue_for_class(training_class=klass)
        return certificate_issue(actor=world.organiser, training_class=klass, trainee=people[i])

    results, errors = _race(6, work)
    assert errors == []
    certificates = Certificate.objects.filter(training_class=klass)
    assert sorted(c.trainee_id for c in certificates) == sorted(p.pk for p in people)
    year = klass.end_date.year
    assert sorted(c.number for c in certificates) == [f"CERT-{year}-{n:05d}" for n in range(1, 7)]
