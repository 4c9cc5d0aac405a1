"""Data for report tests: classes at each level with enrolments and credit entries."""

import datetime
from decimal import Decimal

from ledger.models import CreditEntry
from ledger.services import credit_entry_post
from tests.training.factories import EnrolmentFactory, TrainingClassFactory
from training.models import Enrolment, TrainingClass

_sources = iter(range(1, 10**9))


def city_class(world, **kwargs) -> TrainingClass:
    """A closed city-level class of 2023 organised by 信阳市."""
    defaults = {
        "organising_unit": world.city,
        "level": TrainingClass.Level.CITY,
        "start_date": datetime.date(2023, 5, 8),
        "end_date": datetime.date(2023, 5, 14),
        "status": TrainingClass.Status.CLOSED,
    }
    return TrainingClassFactory(**{**defaults, **kwargs})


def enrol(klass, trainee, status=Enrolment.Status.COMPLETED) -> Enrolment:
    return EnrolmentFactory(training_class=klass, trainee=trainee, status=status)


def hours(person, amount, *, year, channel=CreditEntry.Channel.IN_PERSON) -> CreditEntry:
    """Hours posted as the apps post them: through the ledger's service, which keeps the
    credit-hour summary the reports read."""
    return credit_entry_post(
        person=person,
        channel=channel,
        hours=Decimal(amount),
        earned_on=datetime.date(year, 6, 1),
        title="测试学时",
        source_key=f"test:{next(_sources)}",
    )[0]
