"""Every ledger URL: a trainee's own record, and organisers' views of people in their units."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.services import credit_other_record
from tests.permissions.harness import (
    ADMIN_DENIED,
    DENIED,
    LOGIN,
    OK,
    Rule,
    everyone_signed_in,
    only,
)


def k(**names):
    return lambda world, ctx: {key: getattr(world, value).pk for key, value in names.items()}


PERSON_A = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,  # no admin access: Wagtail sends them to its login
    "trainee_b": LOGIN,
    "instructor_other": ADMIN_DENIED,
    "adviser_other": ADMIN_DENIED,
    "organiser_other": DENIED,  # trainee_a lives in 罗山县, outside 息县
    "organiser": OK,
}


def setup(world):
    entry = credit_other_record(
        actor=world.organiser,
        person=world.trainee_a,
        channel="self_selected",
        hours=Decimal("3"),
        earned_on=datetime.date(2026, 5, 4),
        title="专题讲座",
        evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 evidence"),
    )
    return {"evidence": entry.evidence, "entry": entry}


evidence_kw = lambda world, ctx: {"pk": ctx["evidence"].pk}  # noqa: E731

RULES = {
    "ledger:my_ledger": Rule(expect=everyone_signed_in()),
    "ledger:my_record_pdf": Rule(expect=everyone_signed_in()),
    "ledger_admin:index": Rule(expect={**PERSON_A, "organiser_other": OK}),
    "ledger_admin:index_results": Rule(expect={**PERSON_A, "organiser_other": OK}, query="?q=学员"),
    "ledger_admin:person": Rule(kwargs=k(pk="trainee_a"), expect=PERSON_A),
    "ledger_admin:entry_add": Rule(kwargs=k(pk="trainee_a"), expect=PERSON_A),
    "ledger_admin:record_pdf": Rule(kwargs=k(pk="trainee_a"), expect=PERSON_A),
    # Evidence: the person's own, and organisers of their units; nobody else.
    "ledger:my_evidence": Rule(kwargs=evidence_kw, expect=only({"trainee_a": OK})),
    "ledger_admin:evidence": Rule(kwargs=evidence_kw, expect=PERSON_A),
    "ledger_admin:entry_void": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["entry"].pk}, expect=PERSON_A
    ),
}
