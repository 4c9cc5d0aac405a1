"""The credit-hour summary (`ledger.CreditYear`) equals the ledger after every write the
ledger's services make, in the same transaction; `rebuild_credit_summary` repairs any
other write."""

import datetime
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction

from ledger.models import CreditEntry, CreditYear
from ledger.services import credit_entry_post, credit_other_record, credit_other_void
from ledger.summary import WINDOW, credit_summary_rebuild, credit_summary_refresh
from tests.factories import UserFactory
from tests.reports.factories import hours

CHANNELS = ("in_person", "online", "self_selected")


def ground_truth() -> dict:
    """(person, year) → the six sums, computed in Python from every ledger entry."""
    per_year = defaultdict(Decimal)
    for person, channel, amount, earned in CreditEntry.objects.values_list(
        "person_id", "channel", "hours", "earned_on"
    ):
        per_year[(person, earned.year, channel)] += amount
    rows = {}
    for person, year, _ in list(per_year):
        for y in range(year, year + WINDOW):
            rows[(person, y)] = tuple(
                [per_year.get((person, y, c), Decimal(0)) for c in CHANNELS]
                + [
                    sum(per_year.get((person, k, c), Decimal(0)) for k in range(y - 4, y + 1))
                    for c in CHANNELS
                ]
            )
    return rows


def summary() -> dict:
    return {
        (r[0], r[1]): tuple(Decimal(v).quantize(Decimal("0.01")) for v in r[2:])
        for r in CreditYear.objects.values_list(
            "person_id",
            "year",
            *CHANNELS,
            *[f"five_{c}" for c in CHANNELS],
        )
    }


def assert_summary_is_ledger():
    expected = {
        k: tuple(Decimal(v).quantize(Decimal("0.01")) for v in vs)
        for k, vs in ground_truth().items()
    }
    assert summary() == expected


def post(person, amount, year, channel="in_person", source=None, month=6):
    return credit_entry_post(
        person=person,
        channel=channel,
        hours=Decimal(amount),
        earned_on=datetime.date(year, month, 1),
        title="学时",
        source_key=source or f"t:{year}:{channel}:{amount}:{month}",
    )[0]


@pytest.mark.django_db
def test_posting_keeps_the_summary_equal_to_the_ledger(world):
    a, b = world.trainee_a, world.trainee_b
    post(a, "12.5", 2022, "online")
    assert_summary_is_ledger()
    post(a, "42", 2024)
    post(a, "6", 2024, "self_selected")
    post(b, "90", 2026)
    assert_summary_is_ledger()
    row = CreditYear.objects.get(person=a, year=2026)
    assert (row.in_person, row.online, row.five_in_person, row.five_online) == (0, 0, 42, 12.5)
    assert not CreditYear.objects.filter(person=a, year=2021).exists()  # before any hours
    assert CreditYear.objects.get(person=a, year=2026).five_online == Decimal("12.5")
    assert CreditYear.objects.get(person=a, year=2027).five_online == 0  # 2022 fell out
    # Posting the same source again changes nothing.
    post(a, "42", 2024)
    assert_summary_is_ledger()


@pytest.mark.django_db
def test_recording_and_withdrawing_outside_training_keep_the_summary(
    world, django_capture_on_commit_callbacks
):
    a = world.trainee_a
    hours(a, "15", year=2025, channel=CreditEntry.Channel.ONLINE)
    entry = credit_other_record(
        actor=world.organiser,
        person=a,
        channel="self_selected",
        hours=Decimal("8"),
        earned_on=datetime.date(2024, 12, 31),
        title="自主选学",
        evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 evidence", "application/pdf"),
    )
    assert_summary_is_ledger()
    assert CreditYear.objects.get(person=a, year=2025).five_self_selected == 8
    with django_capture_on_commit_callbacks(execute=True):
        credit_other_void(actor=world.organiser, entry_id=entry.pk, reason="重复录入")
    assert_summary_is_ledger()
    assert CreditYear.objects.get(person=a, year=2025).five_self_selected == 0


@pytest.mark.django_db
def test_a_posting_rolled_back_leaves_no_summary_behind(world):
    """The summary is written in the posting's transaction, not after it: both go or stay."""
    with pytest.raises(RuntimeError), transaction.atomic():
        post(world.trainee_a, "42", 2026)
        assert CreditYear.objects.get(person=world.trainee_a, year=2026).in_person == 42
        raise RuntimeError("the caller fails after posting")
    assert not CreditEntry.objects.exists()
    assert not CreditYear.objects.exists()


@pytest.mark.django_db
def test_rebuild_repairs_writes_that_bypass_the_services(world, capsys):
    post(world.trainee_a, "10", 2024)
    CreditEntry.objects.create(  # not through the ledger's services: the summary is behind
        person=world.trainee_a,
        channel="self_selected",
        hours=Decimal("8"),
        earned_on=datetime.date(2024, 12, 31),
        title="自主选学",
        source_key="x",
    )
    CreditEntry.objects.bulk_create(
        [
            CreditEntry(
                person=world.trainee_b,
                channel="online",
                hours=Decimal(n),
                earned_on=datetime.date(2020 + n, 1, 1),
                title="批量",
                source_key=f"bulk:{n}",
            )
            for n in (1, 2, 3)
        ]
    )
    with pytest.raises(AssertionError):
        assert_summary_is_ledger()
    call_command("rebuild_credit_summary")
    assert "credit-hour summary:" in capsys.readouterr().out
    assert_summary_is_ledger()
    # A refresh of one person gives the same rows the rebuild did.
    before = summary()
    credit_summary_refresh(person_ids=[world.trainee_b.pk, world.trainee_a.pk])
    assert summary() == before
    assert credit_summary_rebuild() == len(before)


@pytest.mark.django_db
def test_compliance_in_the_report_follows_a_new_posting(client, world):
    from django.urls import reverse

    client.force_login(world.organiser)
    url = reverse("reports_admin:coverage") + "?year=2026"
    before = client.get(url).context["report"].total.compliant
    for channel, amount in (("in_person", "90"), ("online", "50")):
        post(world.trainee_a, amount, 2026, channel)
    after = client.get(url).context["report"].total.compliant
    assert after == before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_for_one_person_are_all_counted(postgres_only):
    person = UserFactory()
    errors = []

    def worker(n):
        try:
            for k in range(5):
                post(person, "3", 2025, source=f"c:{n}:{k}", month=1 + k)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert CreditYear.objects.get(person=person, year=2025).in_person == Decimal("60")
    assert_summary_is_ledger()
