"""一人一档: a person's training record as a PDF, drawn with an embedded CJK font."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks

from lms.pdf import html_to_pdf

from .selectors import credit_entry_list, ledger_summary


def training_record_pdf(*, person, today: datetime.date | None = None) -> bytes:
    """The record: requirements, hours by year and entry, and whatever other apps add
    through the `training_record_sections` hook (certificates: the classes attended, with
    the result, the certificate number and the 结业鉴定)."""
    today = today or timezone.localdate()
    sections = [s for fn in hooks.get_hooks("training_record_sections") if (s := fn(person))]
    html = render_to_string(
        "ledger/record_pdf.html",
        {
            "person": person,
            "summary": ledger_summary(person=person, today=today),
            "entries": credit_entry_list(person=person),
            "sections": sections,
            "today": today,
        },
    )
    return html_to_pdf(html)
