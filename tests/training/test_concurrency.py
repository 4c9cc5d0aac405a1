"""Row locks hold under real concurrency (PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from people.models import User
from people.roles import Role
from tests.factories import UserFactory
from training.models import Enrolment
from training.services import roster_import_confirm
from training.services.roster import enrolment_add

from .factories import TrainingClassFactory
from .test_roster_import import good_rows, preview

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(("ok", fn()))
        except Exception as exc:  # noqa: BLE001 - the outcome is what we test
            outcomes.append(("error", getattr(exc, "code", repr(exc))))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_one_confirm_wins_when_two_arrive_together(postgres_only, world):
    klass = TrainingClassFactory(organising_unit=world.county_a)
    batch, check = preview(world, klass, good_rows(world))
    assert check.is_valid
    users = User.objects.count()
    outcomes = _race(lambda: roster_import_confirm(actor=world.organiser, batch=batch))
    assert sorted(o[0] for o in outcomes) == ["error", "ok"]
    assert [o[1] for o in outcomes if o[0] == "error"] == ["import_batch_used"]
    assert User.objects.count() == users + 2
    assert Enrolment.objects.filter(training_class=klass).count() == 3


def test_capacity_holds_when_organisers_enrol_at_once(postgres_only, world):
    klass = TrainingClassFactory(organising_unit=world.county_a, capacity=1)
    people = [UserFactory(roles=[Role.TRAINEE], org_unit=world.village_a) for _ in range(3)]
    it = iter(people)
    lock = threading.Lock()

    def enrol():
        with lock:
            person = next(it)
        return enrolment_add(actor=world.organiser, training_class=klass, trainee=person)

    outcomes = _race(enrol, n=3)
    assert sorted(o[0] for o in outcomes) == ["error", "error", "ok"]
    assert Enrolment.objects.filter(training_class=klass).count() == 1
