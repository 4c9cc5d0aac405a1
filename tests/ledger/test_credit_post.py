import datetime
from decimal import Decimal

from ledger.models import CreditEntry
from ledger.services import credit_entry_post


def _post(person, hours="1.0"):
    return credit_entry_post(
        person=person,
        channel=CreditEntry.Channel.ONLINE,
        hours=Decimal(hours),
        earned_on=datetime.date(2026, 7, 2),
        title="先导区建设",
        source_key="course:1",
    )


def test_posting_the_same_source_twice_keeps_one_entry(world):
    first, created = _post(world.trainee_a)
    again, created_again = _post(world.trainee_a, hours="2.0")
    assert created and not created_again
    assert again.pk == first.pk and again.hours == Decimal("1.0")
    assert CreditEntry.objects.filter(person=world.trainee_a).count() == 1


def test_each_person_has_their_own_entry_for_a_source(world):
    _post(world.trainee_a)
    _post(world.trainee_b)
    assert CreditEntry.objects.count() == 2
