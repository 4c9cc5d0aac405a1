"""Posting to the credit-hour ledger. Every source posts once, however often it is asked."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError, PermissionDenied
from lms.uploads import DOCX, EXTENSIONS, archive_check, content_type
from people.roles import Role, has_role
from people.selectors import unit_is_managed_by

from .models import CreditEntry, CreditEvidence
from .summary import credit_summary_refresh

EVIDENCE_TYPES = set(EXTENSIONS)  # PDF, Word, JPEG, PNG, told by their bytes
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class EvidenceInvalid(DomainError):
    code = "evidence_invalid"
    message = _("Attach the evidence as a PDF, image or Word file of at most 10 MB.")


class NotARecordedEntry(DomainError):
    code = "not_a_recorded_entry"
    message = _(
        "Only hours an organiser recorded by hand can be withdrawn here; hours from "
        "classes and online courses follow those records."
    )


class VoidReasonRequired(DomainError):
    code = "void_reason_required"
    message = _("Say why the entry is withdrawn.")


class CreditEntryInvalid(DomainError):
    code = "credit_entry_invalid"
    message = _("The entry is incomplete or its hours are not positive.")


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
    The person's credit-hour summary (`CreditYear`) follows in the same transaction.
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
            credit_summary_refresh(person_ids=[entry.person_id])
    except IntegrityError:
        return CreditEntry.objects.get(person=person, source_key=source_key), False
    log(
        entry,
        "ledger.credit_post",
        user=recorded_by,
        data={"source": source_key, "hours": str(hours)},
    )
    return entry, True


def evidence_check(upload) -> None:
    """A PDF, Word file or image by its content (a renamed .exe is refused), ≤ 10 MB."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise EvidenceInvalid(f"{upload.size} bytes")
    upload.seek(0)
    content = upload.read(EVIDENCE_MAX_BYTES + 1)
    upload.seek(0)
    mime = content_type(content)
    if mime not in EVIDENCE_TYPES:
        raise EvidenceInvalid(mime)
    if mime == DOCX:
        archive_check(content)  # a zip bomb is refused before anyone opens it


def can_record_for(actor, person) -> bool:
    """Organisers record hours for people inside the units they manage."""
    if actor.is_superuser:
        return True
    return (
        has_role(actor, Role.ORGANISER)
        and person.org_unit is not None
        and unit_is_managed_by(person.org_unit, actor)
    )


def credit_other_record(
    *,
    actor,
    person,
    channel: str,
    hours: Decimal,
    earned_on: datetime.date,
    title: str,
    evidence,
    note: str = "",
) -> CreditEntry:
    """Hours earned outside this platform (another academy, a provincial class, 自主选学).

    An organiser records them with the evidence attached; without evidence nothing is
    written. Each call is its own source, so two real trainings with the same title both
    count; the form's one-time token keeps a double click from posting twice.
    """
    if not can_record_for(actor, person):
        raise PermissionDenied()
    if evidence is None:
        raise EvidenceInvalid("missing")
    evidence_check(evidence)
    with transaction.atomic():
        try:
            entry, _created = credit_entry_post(
                person=person,
                channel=channel,
                hours=hours,
                earned_on=earned_on,
                title=title,
                source_key=f"other:{uuid.uuid4().hex}",
                recorded_by=actor,
                note=note,
            )
        except ValidationError as exc:
            raise CreditEntryInvalid(str(exc)) from exc
        proof = CreditEvidence(entry=entry, file=evidence, uploaded_by=actor)
        proof.full_clean()
        proof.save()
        log(
            entry,
            "ledger.other_record",
            user=actor,
            data={"person": person.pk, "hours": str(hours), "evidence": proof.file.name},
        )
    return entry


def credit_other_void(*, actor, entry_id: int, reason: str) -> bool:
    """Withdraw a by-hand entry (mistyped hours, the wrong person, a duplicate).

    The entry and its evidence leave the ledger and every total; the audit log keeps what
    it said, who withdrew it and why. Safe to repeat: an entry already gone returns False.
    To correct an entry, withdraw it and record it again.
    """
    reason = (reason or "").strip()
    if not reason:
        raise VoidReasonRequired()
    with transaction.atomic():
        entry = (
            CreditEntry.objects.select_for_update()
            .select_related("person", "evidence")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None:
            return False
        if not can_record_for(actor, entry.person):
            raise PermissionDenied()
        if not entry.source_key.startswith("other:"):
            raise NotARecordedEntry()
        evidence = getattr(entry, "evidence", None)
        log(
            entry,
            "ledger.other_void",
            user=actor,
            data={
                "person": entry.person_id,
                "title": entry.title,
                "channel": entry.channel,
                "hours": str(entry.hours),
                "earned_on": entry.earned_on.isoformat(),
                "evidence": evidence.file.name if evidence else "",
                "reason": reason[:200],
            },
        )
        entry.delete()  # the evidence row goes with it
        credit_summary_refresh(person_ids=[entry.person_id])
        if evidence is not None:
            name, storage = evidence.file.name, evidence.file.storage
            transaction.on_commit(lambda: storage.delete(name))
    return True
