"""我的学时: this year's online hours against the target (the yearly online requirement,
else LEDGER_ONLINE_TARGET_HOURS)."""

import datetime
from decimal import Decimal

import pytest

from ledger.models import CreditEntry, CreditRequirement
from ledger.selectors import ledger_summary
from ledger.services import credit_entry_post

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 2)


def _online(person, hours, day=TODAY, key="course:1"):
    credit_entry_post(
        person=person,
        channel=CreditEntry.Channel.ONLINE,
        hours=Decimal(hours),
        earned_on=day,
        title="网络课程",
        source_key=key,
    )


def test_only_this_years_online_hours_count_towards_the_target(world):
    _online(world.trainee_a, "12.5")
    _online(world.trainee_a, "30", day=datetime.date(2025, 12, 31), key="course:2")
    credit_entry_post(
        person=world.trainee_a,
        channel=CreditEntry.Channel.IN_PERSON,
        hours=Decimal("40"),
        earned_on=TODAY,
        title="集中培训",
        source_key="class:1",
    )
    summary = ledger_summary(person=world.trainee_a, today=TODAY)
    assert summary.online_this_year == Decimal("12.5")
    assert (summary.online_target, summary.online_percent) == (Decimal("50"), 25)
    assert summary.online_remaining == Decimal("37.5")


def test_the_target_follows_the_yearly_online_requirement(world):
    CreditRequirement.objects.filter(channel="online", period="year").update(hours=60)
    assert ledger_summary(person=world.trainee_a, today=TODAY).online_target == Decimal("60")


def test_without_a_requirement_the_setting_is_the_target(world, settings):
    CreditRequirement.objects.filter(channel="online").update(active=False)
    settings.LEDGER_ONLINE_TARGET_HOURS = 40
    _online(world.trainee_a, "50")
    summary = ledger_summary(person=world.trainee_a, today=TODAY)
    assert summary.online_target == Decimal("40")
    assert summary.online_percent == 100 and summary.online_remaining == 0
