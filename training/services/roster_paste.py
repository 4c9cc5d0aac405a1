"""Enrolling people already in the system by pasting their mobile numbers.

The same two steps as the XLSX import (roster.py): `roster_paste_preview` reads the
numbers however they are written (people.phones.phones_in_text), keeps them in an
ImportBatch and reports each one with a status; `roster_paste_confirm` checks them again
against the database of that moment and enrols all of them or, if any has an error, none.
A batch is confirmed once; pasting the same list again finds everyone already enrolled.

Only people who exist are enrolled: a number nobody in the organiser's units has is an
error here (a new person comes in through the XLSX import, which carries name and unit).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError
from people.models import User
from people.phones import phones_in_text
from people.roles import Role
from people.selectors import unit_is_managed_by

from ..models import Enrolment, ImportBatch, TrainingClass
from .roster import (
    PROBLEMS,
    ImportBatchUsed,
    RosterCheck,
    RosterRow,
    _check_manager,
    import_batches_purge,
)

PHONE = "手机号"
MAX_NUMBERS = 500

# Row statuses, as the import has them (roster.PROBLEMS), plus the two a paste adds.
PASTE_PROBLEMS = {
    **PROBLEMS,
    "unknown_phone": _(
        "Nobody in your units has this number. Create the person first, or import a roster."
    ),
    "reenrol": _("Withdrew from this class earlier; will be enrolled again."),
}
# Not errors: the row is skipped (already on the roster, a repeat) or done as said.
PASTE_NOTES = {"already_enrolled", "duplicate_row", "reenrol"}


class NothingPasted(DomainError):
    code = "nothing_pasted"
    message = _("Paste at least one mobile number.")


class PasteInvalid(DomainError):
    code = "paste_invalid"
    message = _(
        "Some numbers have problems, so nobody was enrolled. Correct the list and check it again."
    )


class TooManyNumbers(DomainError):
    code = "too_many_numbers"
    message = _("Paste at most 500 numbers at a time.")


class PasteRow(RosterRow):
    @property
    def errors(self) -> list[str]:
        return [p for p in self.problems if p not in PASTE_NOTES]

    @property
    def messages(self) -> list[tuple[str, str]]:
        return [(p, PASTE_PROBLEMS[p]) for p in self.problems]

    @property
    def status(self) -> str:
        """One word for the row: enrol, reenrol, already_enrolled, duplicate_row, or its
        first error (bad_phone, unknown_phone, person_out_of_scope, …)."""
        if self.errors:
            return self.errors[0]
        if self.action == "skip":
            return self.problems[0]
        return "reenrol" if "reenrol" in self.problems else "enrol"


@dataclass
class PasteCheck(RosterCheck):
    @property
    def n_reenrol(self) -> int:
        return sum(1 for r in self.rows if r.status == "reenrol")

    @property
    def n_enrol(self) -> int:
        return self.count("enrol")


def paste_check(*, actor, training_class: TrainingClass, raw_rows: list) -> PasteCheck:
    """Each pasted number with its status, judged against the database now. Writes nothing.

    `raw_rows` are (as written, 11 digits or None) pairs from `phones_in_text`."""
    rows = [
        PasteRow(row=n, raw={PHONE: raw}, phone=phone or "")
        for n, (raw, phone) in enumerate(raw_rows, start=1)
    ]
    people = {
        p.phone: p
        for p in User.objects.filter(phone__in={r.phone for r in rows if r.phone}).select_related(
            "org_unit"
        )
    }
    trainees = set(
        User.objects.filter(
            pk__in=[p.pk for p in people.values()], groups__name=Role.TRAINEE
        ).values_list("pk", flat=True)
    )
    enrolments = {
        e.trainee_id: e
        for e in Enrolment.objects.filter(
            training_class=training_class, trainee__in=list(people.values())
        )
    }
    seats_left = None
    if training_class.capacity is not None:
        taken = training_class.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
        seats_left = training_class.capacity - taken
    seen: set[str] = set()
    for r in rows:
        r.action = "skip"
        if not r.phone:
            r.problems.append("bad_phone")
            continue
        if r.phone in seen:
            r.problems.append("duplicate_row")
            continue
        seen.add(r.phone)
        person = people.get(r.phone)
        if person is None:
            r.problems.append("unknown_phone")
            continue
        if person.org_unit is None or not unit_is_managed_by(person.org_unit, actor):
            # Whose number it is stays unsaid: the row shows only what was pasted.
            r.problems.append("person_out_of_scope")
            continue
        r.person = person
        if person.pk not in trainees:
            r.problems.append("not_a_trainee")
            continue
        enrolment = enrolments.get(person.pk)
        if enrolment is not None and enrolment.status != Enrolment.Status.WITHDRAWN:
            r.problems.append("already_enrolled")
            continue
        if enrolment is not None:
            r.problems.append("reenrol")
        r.action = "enrol"
        if seats_left is not None:
            if seats_left <= 0:
                r.problems.append("over_capacity")
            seats_left -= 1
    return PasteCheck(rows=rows)


def roster_paste_preview(*, actor, training_class: TrainingClass, text: str):
    """Read the pasted numbers and keep them; returns (batch, check). Only the batch is
    written."""
    _check_manager(actor, training_class)
    raw_rows = phones_in_text(text)
    if not raw_rows:
        raise NothingPasted()
    if len(raw_rows) > MAX_NUMBERS:
        raise TooManyNumbers(str(len(raw_rows)))
    import_batches_purge()
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.PHONES,
        training_class=training_class,
        created_by=actor,
        rows=[list(row) for row in raw_rows],
    )
    return batch, paste_check(actor=actor, training_class=training_class, raw_rows=raw_rows)


def batch_check(*, actor, batch: ImportBatch) -> PasteCheck:
    return paste_check(actor=actor, training_class=batch.training_class, raw_rows=batch.rows)


def batch_text(batch: ImportBatch) -> str:
    """The numbers as pasted, one a line: to correct and preview again."""
    return "\n".join(raw for raw, _phone in batch.rows)


@dataclass
class PasteResult:
    enrolled: list[User]
    reenrolled: int
    skipped: int


@transaction.atomic
def roster_paste_confirm(*, actor, batch: ImportBatch) -> PasteResult:
    """Enrol every number of the batch, or nobody if any of them has an error now."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.confirmed_at is not None:
        raise ImportBatchUsed(str(batch.pk))
    # The class row lock serialises this with imports and hand enrolments: capacity holds.
    klass = TrainingClass.objects.select_for_update().get(pk=batch.training_class_id)
    _check_manager(actor, klass)
    check = paste_check(actor=actor, training_class=klass, raw_rows=batch.rows)
    if not check.is_valid:
        raise PasteInvalid(f"{check.error_count} problems")
    enrolled, reenrolled, skipped = [], 0, 0
    existing = {
        e.trainee_id: e
        for e in Enrolment.objects.select_for_update().filter(
            training_class=klass, trainee__in=[r.person for r in check.rows if r.person]
        )
    }
    for r in check.rows:
        if r.action != "enrol":
            skipped += 1
            continue
        enrolment = existing.get(r.person.pk) or Enrolment(training_class=klass, trainee=r.person)
        reenrolled += int(enrolment.pk is not None)
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.full_clean()
        enrolment.save()
        enrolled.append(r.person)
    batch.confirmed_at = timezone.now()
    batch.rows = []  # the numbers are not kept once enrolled
    batch.save(update_fields=["confirmed_at", "rows"])
    log(
        klass,
        "training.roster_paste",
        user=actor,
        data={
            "enrolled": len(enrolled),
            "reenrolled": reenrolled,
            "skipped": skipped,
            "trainees": [p.pk for p in enrolled],
        },
    )
    return PasteResult(enrolled=enrolled, reenrolled=reenrolled, skipped=skipped)
