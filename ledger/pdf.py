"""一人一档: a person's training record as a PDF, drawn with an embedded CJK font."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import credit_entry_list, ledger_summary


def training_record_pdf(*, person, today: datetime.date | None = None) -> bytes:
    from weasyprint import HTML

    today = today or timezone.localdate()
    html = render_to_string(
        "ledger/record_pdf.html",
        {
            "person": person,
            "summary": ledger_summary(person=person, today=today),
            "entries": credit_entry_list(person=person),
            "today": today,
        },
    )
    return HTML(string=html).write_pdf()
