"""Writes of 学时申报: a trainee submits, an organiser of the trainee's unit approves or refuses.

Each step locks the declaration, is safe to repeat (a resent form, a second click, two
organisers at once) and leaves an audit entry; a decision tells the trainee
(declarations/notify.py). Approval posts to the ledger once: the
source `declaration:<pk>` is unique per person there.
"""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledger.models import CreditEntry
from ledger.services import can_record_for, credit_entry_post, evidence_check
from lms.audit import log
from people.roles import Role, has_role

from .errors import (
    AlreadyDecided,
    DeclarationInvalid,
    NotATrainee,
    OutOfScope,
    OwnDeclaration,
    ReasonRequired,
)
from .models import Declaration
from .notify import declaration_decided

MAX_HOURS = Decimal("200")


def declaration_submit(
    *,
    actor,
    kind: str,
    title: str,
    organiser: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours,
    evidence,
    nonce: uuid.UUID | None = None,
    today: datetime.date | None = None,
) -> tuple[Declaration, bool]:
    """Declare training taken elsewhere. Returns (declaration, created).

    The evidence is checked by its bytes (PDF, Word, JPEG or PNG, ≤ 10 MB) before anything
    is written. A repeat with the same `nonce` returns the declaration already made.
    """
    if not actor.is_active or not has_role(actor, Role.TRAINEE):
        raise NotATrainee(str(actor.pk))
    if nonce is not None:
        existing = Declaration.objects.filter(nonce=nonce, person=actor).first()
        if existing is not None:
            return existing, False
    today = today or timezone.localdate()
    try:
        hours = Decimal(str(hours))
    except InvalidOperation as exc:
        raise DeclarationInvalid("hours") from exc
    title, organiser = (title or "").strip(), (organiser or "").strip()
    if (
        not title
        or not organiser
        or kind not in CreditEntry.Channel.values
        or start_date is None
        or end_date is None
        or end_date < start_date
        or end_date > today
        or not Decimal("0.25") <= hours <= MAX_HOURS
    ):
        raise DeclarationInvalid()
    if evidence is None:
        raise DeclarationInvalid("evidence")
    evidence_check(evidence)  # EvidenceInvalid (ledger) for anything but a real document
    declaration = Declaration(
        person=actor,
        kind=kind,
        title=title,
        organiser=organiser,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        evidence=evidence,
        nonce=nonce or uuid.uuid4(),
    )
    try:
        declaration.full_clean(exclude=["evidence"], validate_unique=False)
    except ValidationError as exc:
        raise DeclarationInvalid(str(exc)) from exc
    try:
        with transaction.atomic():
            declaration.save()
            log(
                declaration,
                "declarations.submit",
                user=actor,
                data={
                    "kind": kind,
                    "title": title,
                    "hours": str(hours),
                    "evidence": declaration.evidence.name,
                },
            )
    except IntegrityError:  # the same nonce, submitted at the same moment
        if declaration.evidence.name:
            declaration.evidence.storage.delete(declaration.evidence.name)
        return Declaration.objects.get(nonce=declaration.nonce, person=actor), False
    return declaration, True


def _locked_for_decision(*, actor, declaration_id: int) -> Declaration:
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("person", "person__org_unit")
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None or not can_record_for(actor, declaration.person):
        raise OutOfScope(str(declaration_id))
    if declaration.person_id == actor.pk:
        raise OwnDeclaration(str(declaration_id))
    return declaration


def declaration_approve(*, actor, declaration_id: int, now=None) -> tuple[Declaration, bool]:
    """Approve: the hours go to the ledger under `declaration:<pk>`, dated the training's
    last day. Returns (declaration, changed); approving again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        declaration = _locked_for_decision(actor=actor, declaration_id=declaration_id)
        if declaration.status == Declaration.Status.APPROVED:
            return declaration, False
        if declaration.status == Declaration.Status.REFUSED:
            raise AlreadyDecided(str(declaration.pk))
        entry, _created = credit_entry_post(
            person=declaration.person,
            channel=declaration.kind,
            hours=declaration.hours,
            earned_on=declaration.end_date,
            title=declaration.title[:200],
            source_key=declaration.source_key,
            recorded_by=actor,
            note=declaration.organiser,
        )
        declaration.status = Declaration.Status.APPROVED
        declaration.decided_by, declaration.decided_at = actor, now
        declaration.entry = entry
        declaration.save(update_fields=["status", "decided_by", "decided_at", "entry"])
        log(
            declaration,
            "declarations.approve",
            user=actor,
            data={
                "person": declaration.person_id,
                "hours": str(declaration.hours),
                "entry": entry.pk,
            },
        )
        declaration_decided(declaration)
    return declaration, True


def declaration_refuse(
    *, actor, declaration_id: int, reason: str, now=None
) -> tuple[Declaration, bool]:
    """Refuse with a reason the trainee reads. Nothing reaches the ledger. Refusing again
    changes nothing; an approved declaration is not refused here (its entry stands)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    now = now or timezone.now()
    with transaction.atomic():
        declaration = _locked_for_decision(actor=actor, declaration_id=declaration_id)
        if declaration.status == Declaration.Status.REFUSED:
            return declaration, False
        if declaration.status == Declaration.Status.APPROVED:
            raise AlreadyDecided(str(declaration.pk))
        declaration.status = Declaration.Status.REFUSED
        declaration.reason = reason[:500]
        declaration.decided_by, declaration.decided_at = actor, now
        declaration.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        log(
            declaration,
            "declarations.refuse",
            user=actor,
            data={"person": declaration.person_id, "reason": declaration.reason[:200]},
        )
        declaration_decided(declaration)
    return declaration, True
