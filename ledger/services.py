"""Posting to the credit-hour ledger. Every source posts once, however often it is asked."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from .models import CreditEntry


def credit_entry_post(
    *,
    person,
    channel: str,
    hours: Decimal,
    earned_on: datetime.date,
    title: str,
    source_key: str,
    recorded_by=None,
    note: str = "",
) -> tuple[CreditEntry, bool]:
    """Post hours earned from `source_key` ("class:12", "course:7", …).

    Returns (entry, created). A second call for the same person and source returns the
    existing entry untouched: the unique constraint decides, so concurrent posts are safe.
    """
    entry = CreditEntry(
        person=person,
        channel=channel,
        hours=hours,
        earned_on=earned_on,
        title=title,
        source_key=source_key,
        recorded_by=recorded_by,
        note=note,
    )
    entry.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return CreditEntry.objects.get(person=person, source_key=source_key), False
    log(
        entry,
        "ledger.credit_post",
        user=recorded_by,
        data={"source": source_key, "hours": str(hours)},
    )
    return entry, True
