"""Issuing, rendering, revoking and reissuing 结业证书."""

import datetime
import logging
import secrets
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from wagtail.models import ModelLogEntry

from lms.audit import log
from lms.errors import PermissionDenied
from training.models import Enrolment, TrainingClass
from training.selectors import can_manage_class

from .. import rendering
from ..errors import (
    AlreadyRevoked,
    CertificateRevoked,
    ClassNotClosed,
    NotCompleted,
    ReasonRequired,
)
from ..models import (
    Certificate,
    CertificateTemplate,
    CompletionRecord,
    IssueBatch,
    NumberCounter,
)
from ..notify import certificate_issued, certificate_reissued
from .rules import completion_rule_for
from .templates import certificate_template_default

logger = logging.getLogger("lms.certificates")

# Certificates per step of the progress bar (and per UPDATE of their rows). Where the
# WeasyPrint fallback lays a chunk out as one document, it also bounds that document.
RENDER_CHUNK = 100


def certificate_number_next(*, prefix: str, year: int) -> str:
    """PREFIX-YEAR-00001, …: the counter row is locked, so numbers never repeat or skip.

    Call inside the transaction that saves the certificate: if that rolls back, so does
    the counter, and the number is handed out again.
    """
    return certificate_numbers_next(prefix=prefix, year=year, count=1)[0]


def certificate_numbers_next(*, prefix: str, year: int, count: int) -> list[str]:
    """`count` consecutive numbers in one step of the locked counter (see above)."""
    NumberCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = NumberCounter.objects.select_for_update().get(prefix=prefix, year=year)
    first = counter.last + 1
    counter.last = F("last") + count
    counter.save(update_fields=["last"])
    return [f"{prefix}-{year}-{n:05d}" for n in range(first, first + count)]


def _hours(value: Decimal) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def certificate_issue_date(klass: TrainingClass) -> datetime.date:
    """The date printed on the class's certificates: the rule's, else the day the class was
    really closed (never a planned date in the future)."""
    rule = completion_rule_for(training_class=klass)
    return rule.certificate_issue_date or klass.closed_on or klass.end_date


def awarded_hours(*, klass: TrainingClass, trainee_ids) -> dict[int, Decimal]:
    """Each trainee's own 学时 from the class, as posted at close (by the sessions they
    attended); the class's awarded hours for a record that predates per-trainee hours."""
    posted = dict(
        CompletionRecord.objects.filter(
            training_class=klass, trainee_id__in=list(trainee_ids), hours__isnull=False
        ).values_list("trainee_id", "hours")
    )
    return {tid: posted.get(tid, klass.hours_awarded) for tid in trainee_ids}


def _snapshot(
    *,
    klass: TrainingClass,
    trainee,
    template: CertificateTemplate,
    number: str,
    issue_date: datetime.date,
    hours: Decimal,
):
    return {
        "name": trainee.get_full_name(),
        "class_name": klass.name,
        "class_code": klass.code,
        "provider": template.provider_name or klass.provider,
        "organising_unit": klass.organising_unit.name,
        "start": klass.start_date.isoformat(),
        "end": klass.last_day.isoformat(),
        "start_cn": rendering.chinese_date(klass.start_date),
        "end_cn": rendering.chinese_date(klass.last_day),
        "hours": _hours(hours),
        "number": number,
        "title": template.title,
        "body": template.body,
        "signatory": template.signatory,
        "issue_date": issue_date.isoformat(),
        "issue_date_cn": rendering.chinese_date(issue_date),
    }


def _certificate_new(
    *, klass, trainee, template, number: str, issue_date, issuer, hours, replaces=None
) -> Certificate:
    """An unsaved certificate: what it certifies is copied now and never changes."""
    return Certificate(
        replaces=replaces,
        training_class=klass,
        trainee=trainee,
        template=template,
        number=number,
        verification_code=secrets.token_urlsafe(24),
        snapshot=_snapshot(
            klass=klass,
            trainee=trainee,
            template=template,
            number=number,
            issue_date=issue_date,
            hours=hours,
        ),
        issued_by=issuer,
    )


def certificate_issue(
    *,
    actor,
    training_class: TrainingClass,
    trainee,
    template: CertificateTemplate | None = None,
    on_behalf_of=None,
    replacing: Certificate | None = None,
) -> tuple[Certificate, bool]:
    """The trainee's certificate for the class: made once, returned as it is thereafter.

    A certificate that was revoked stays withdrawn: issuing again is refused unless this
    is its reissue (`replacing`, from `certificate_reissue`).

    The enrolment row is locked, so concurrent calls for one trainee queue up and the
    second finds the first's certificate; the partial unique constraint backs this up.
    Returns (certificate, created). The PDF is drawn separately (`certificates_render`).
    `actor=None` is the background job, acting `on_behalf_of` whoever closed the class.
    """
    issuer = actor or on_behalf_of
    if actor is not None and not can_manage_class(actor, training_class):
        raise PermissionDenied()
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(training_class=training_class, trainee=trainee)
            .first()
        )
        klass = TrainingClass.objects.select_related("organising_unit").get(pk=training_class.pk)
        if klass.status != TrainingClass.Status.CLOSED:
            raise ClassNotClosed()
        if enrolment is None or enrolment.status != Enrolment.Status.COMPLETED:
            raise NotCompleted()
        existing = Certificate.objects.filter(
            training_class=klass, trainee=trainee, revoked_at__isnull=True
        ).first()
        if existing:
            return existing, False
        if (
            replacing is None
            and Certificate.objects.filter(training_class=klass, trainee=trainee).exists()
        ):
            raise CertificateRevoked()
        if template is None:
            template = (
                completion_rule_for(training_class=klass).certificate_template
                or certificate_template_default()
            )
        issue_date = certificate_issue_date(klass)
        year = issue_date.year
        try:
            with transaction.atomic():
                number = certificate_number_next(prefix=template.number_prefix, year=year)
                certificate = _certificate_new(
                    klass=klass,
                    trainee=trainee,
                    template=template,
                    number=number,
                    issue_date=issue_date,
                    issuer=issuer,
                    hours=awarded_hours(klass=klass, trainee_ids=[trainee.pk])[trainee.pk],
                    replaces=replacing,
                )
                certificate.full_clean(validate_constraints=False)
                certificate.save()
        except IntegrityError:
            # Only reachable without the enrolment lock (e.g. a row deleted under us).
            return Certificate.objects.get(
                training_class=klass, trainee=trainee, revoked_at__isnull=True
            ), False
        log(
            certificate,
            "certificates.issue",
            user=issuer,
            data={"number": number, "trainee": trainee.pk, "class": klass.pk},
        )
        certificate_issued(klass, [trainee.pk])
    return certificate, True


def certificates_issue_for_class(*, training_class: TrainingClass, on_behalf_of=None) -> int:
    """Every completer's certificate in one transaction: the background job's bulk issue.

    The same rules as `certificate_issue` with a handful of queries instead of a score
    per certificate: the completers' enrolment rows are locked together, numbers are
    taken as one consecutive run of the locked counter, rows and audit entries are
    written in bulk. Safe to repeat (those holding a certificate are skipped) and to run
    beside `certificate_issue` (the same row locks, and the partial unique constraint).
    Returns how many certificates were made.
    """
    with transaction.atomic():
        klass = TrainingClass.objects.select_related("organising_unit").get(pk=training_class.pk)
        if klass.status != TrainingClass.Status.CLOSED:
            raise ClassNotClosed()
        completers = list(
            Enrolment.objects.select_for_update()
            .filter(training_class=klass, status=Enrolment.Status.COMPLETED)
            .select_related("trainee")
            .order_by("pk")
        )
        # Anyone with a certificate of this class is skipped: a valid one stands, and a
        # revoked one was withdrawn on purpose (only `certificate_reissue` issues again).
        holding = set(
            Certificate.objects.filter(training_class=klass).values_list("trainee_id", flat=True)
        )
        trainees = [e.trainee for e in completers if e.trainee_id not in holding]
        if not trainees:
            return 0
        template = (
            completion_rule_for(training_class=klass).certificate_template
            or certificate_template_default()
        )
        issue_date = certificate_issue_date(klass)
        year = issue_date.year
        numbers = certificate_numbers_next(
            prefix=template.number_prefix, year=year, count=len(trainees)
        )
        hours = awarded_hours(klass=klass, trainee_ids=[t.pk for t in trainees])
        certificates = []
        for trainee, number in zip(trainees, numbers, strict=True):
            certificate = _certificate_new(
                klass=klass,
                trainee=trainee,
                template=template,
                number=number,
                issue_date=issue_date,
                issuer=on_behalf_of,
                hours=hours[trainee.pk],
            )
            # The related rows were just read (and locked): check the fields themselves
            # without a query per foreign key; the constraints stand behind the insert.
            certificate.clean_fields(exclude=["training_class", "trainee", "template", "issued_by"])
            certificates.append(certificate)
        Certificate.objects.bulk_create(certificates)
        now = timezone.now()
        content_type = ContentType.objects.get_for_model(Certificate)
        ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type=content_type,
                object_id=str(c.pk),
                label=str(c)[:255],
                action="certificates.issue",
                user=on_behalf_of,
                timestamp=now,
                data={"number": c.number, "trainee": c.trainee_id, "class": klass.pk},
            )
            for c in certificates
        )
        certificate_issued(klass, [t.pk for t in trainees])
    return len(certificates)


def certificates_render(certificates: list[Certificate], *, on_progress=None) -> tuple[int, int]:
    """Draw the PDFs, a chunk per WeasyPrint document; one bad certificate fails alone.

    Returns (done, failed). Failures keep their error text on the certificate for the
    organiser to see and retry.
    """
    done = failed = 0
    by_template: dict[int, list[Certificate]] = {}
    for certificate in certificates:
        by_template.setdefault(certificate.template_id, []).append(certificate)
    for group in by_template.values():
        for start in range(0, len(group), RENDER_CHUNK):
            chunk = group[start : start + RENDER_CHUNK]
            chunk_done = chunk_failed = 0
            try:
                pdfs = rendering.render_many(chunk)
            except Exception:
                logger.warning("batch render failed, falling back to one by one", exc_info=True)
                pdfs = None
            # Files first, then one UPDATE for the chunk; a certificate that fails keeps
            # its error text and fails alone.
            rendered = []
            for i, certificate in enumerate(chunk):
                try:
                    pdf = pdfs[i] if pdfs is not None else rendering.render_one(certificate)
                    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf), save=False)
                    certificate.render_error = ""
                    chunk_done += 1
                except Exception as exc:
                    logger.exception("certificate %s failed to render", certificate.number)
                    certificate.pdf = ""
                    certificate.render_error = f"{type(exc).__name__}: {exc}"[:1000]
                    chunk_failed += 1
                rendered.append(certificate)
            _pdfs_record(rendered)
            done += chunk_done
            failed += chunk_failed
            if on_progress:
                on_progress(chunk_done, chunk_failed)
    return done, failed


def _pdfs_record(certificates: list[Certificate]) -> None:
    """Store each certificate's file name and render error: one statement run for every
    row (executemany). `bulk_update` builds a CASE WHEN per row and field in Python,
    measured at 0.4 ms a certificate, more than writing its PDF file."""
    using = router.db_for_write(Certificate)
    quote = connections[using].ops.quote_name
    meta = Certificate._meta
    pdf, error = meta.get_field("pdf"), meta.get_field("render_error")
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(pdf.column)} = %s, "
        f"{quote(error.column)} = %s WHERE {quote(meta.pk.column)} = %s"
    )
    rows = [(c.pdf.name or "", c.render_error, c.pk) for c in certificates]
    with transaction.atomic(using=using, savepoint=False), connections[using].cursor() as cursor:
        cursor.executemany(sql, rows)


def batch_run(*, batch_id: int) -> IssueBatch:
    """The background job: issue every completer's certificate, then draw the missing PDFs."""
    with transaction.atomic():
        batch = IssueBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != IssueBatch.Status.QUEUED:
            return batch  # already run (a retried job); running it again would double-count
        batch.status = IssueBatch.Status.RUNNING
        batch.save(update_fields=["status"])
    klass = batch.training_class
    try:
        certificates_issue_for_class(training_class=klass, on_behalf_of=batch.created_by)
    except Exception as exc:
        # Nothing was issued (one transaction); say so instead of "running" for ever.
        logger.exception("certificate batch %s could not issue", batch.pk)
        IssueBatch.objects.filter(pk=batch.pk).update(
            status=IssueBatch.Status.FINISHED,
            finished_at=timezone.now(),
            error=getattr(exc, "message", "") or str(exc)[:500],
        )
        batch.refresh_from_db()
        return batch
    pending = list(
        Certificate.objects.filter(training_class=klass, revoked_at__isnull=True, pdf="")
        .select_related("template")
        .order_by("number")
    )
    IssueBatch.objects.filter(pk=batch.pk).update(total=len(pending))

    def progress(done: int, failed: int) -> None:
        IssueBatch.objects.filter(pk=batch.pk).update(
            done=F("done") + done, failed=F("failed") + failed
        )

    certificates_render(pending, on_progress=progress)
    IssueBatch.objects.filter(pk=batch.pk).update(
        status=IssueBatch.Status.FINISHED, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


@task()
def issue_certificates(batch_id: int) -> dict:
    """The background job of a batch (queued once the transaction that made it commits)."""
    batch = batch_run(batch_id=batch_id)
    return {"done": batch.done, "failed": batch.failed, "total": batch.total}


def _enqueue(batch: IssueBatch) -> None:
    transaction.on_commit(lambda: issue_certificates.enqueue(batch_id=batch.pk))


def batch_retry(*, actor, training_class: TrainingClass) -> IssueBatch:
    """Issue whatever is still missing and redraw the failed PDFs, as a new batch."""
    if not can_manage_class(actor, training_class):
        raise PermissionDenied()
    if training_class.status != TrainingClass.Status.CLOSED:
        raise ClassNotClosed()
    with transaction.atomic():
        batch = IssueBatch.objects.create(training_class=training_class, created_by=actor)
        log(training_class, "certificates.batch_retry", user=actor, data={"batch": batch.pk})
        _enqueue(batch)
    return batch


def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate; the verification page says so from then on."""
    if not can_manage_class(actor, certificate.training_class):
        raise PermissionDenied()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise AlreadyRevoked()
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor
        certificate.revoke_reason = reason[:200]
        certificate.full_clean(validate_constraints=False)
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        log(certificate, "certificates.revoke", user=actor, data={"reason": reason[:200]})
    return certificate


def certificate_reissue(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke (if still valid) and issue a new certificate with a new number, drawn now.

    Used after a correction (a misspelt name, a new template); the old number stays on
    record as revoked and points to its replacement.
    """
    if not can_manage_class(actor, certificate.training_class):
        raise PermissionDenied()
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.revoked_at is None:
            certificate_revoke(actor=actor, certificate=old, reason=reason)
            old.refresh_from_db()
        if hasattr(old, "replaced_by"):
            return old.replaced_by
        new, _created = certificate_issue(
            actor=actor, training_class=old.training_class, trainee=old.trainee, replacing=old
        )
        log(new, "certificates.reissue", user=actor, data={"replaces": old.number})
        certificate_reissued(new)
    certificates_render([new])
    new.refresh_from_db()
    return new
