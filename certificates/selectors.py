"""Reads: who completed a class and what is missing, certificates by class and by trainee."""

import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from people.models import OrgUnit
from people.roles import Role, has_role
from people.selectors import managed_unit_paths, within_units_q
from training.models import Enrolment, TrainingClass
from training.selectors import class_list_for_staff

from .completion import (
    CompletionResult,
    class_summaries,
    completion_evaluate,
    for_trainee,
)
from .models import Certificate, CertificateTemplate, CompletionRecord, IssueBatch


@dataclass
class ReviewRow:
    enrolment: Enrolment
    result: CompletionResult
    record: CompletionRecord | None
    certificate: Certificate | None = None

    @property
    def trainee(self):
        return self.enrolment.trainee


def class_list_for_organiser(*, viewer) -> QuerySet[TrainingClass]:
    """Classes the viewer may close and certify: organisers by organising unit."""
    if viewer.is_superuser:
        return TrainingClass.objects.all()
    if not has_role(viewer, Role.ORGANISER):
        return TrainingClass.objects.none()
    return class_list_for_staff(viewer=viewer).filter(
        within_units_q(viewer, field="organising_unit")
    )


def class_completion_review(*, training_class: TrainingClass) -> list[ReviewRow]:
    """Every trainee still on the roster, complete or not, with exactly what is missing.

    Before the close this evaluates live; after it, the decisions stored at close stand
    (see `class_completion_outcome`).
    """
    from .services.close import completion_rule_for

    rule = completion_rule_for(training_class=training_class)
    attendance, assessment = class_summaries(training_class=training_class)
    records = {
        r.trainee_id: r for r in CompletionRecord.objects.filter(training_class=training_class)
    }
    enrolments = (
        Enrolment.objects.filter(training_class=training_class, status=Enrolment.Status.ENROLLED)
        .select_related("trainee", "trainee__org_unit")
        .order_by("trainee__org_unit__path", "trainee__full_name")
    )
    return [
        ReviewRow(
            enrolment=e,
            result=completion_evaluate(
                rule=rule,
                attendance=for_trainee(attendance, e.trainee_id),
                assessment=for_trainee(assessment, e.trainee_id, empty_means_none_set=True),
            ),
            record=records.get(e.trainee_id),
        )
        for e in enrolments
    ]


def class_completion_outcome(*, training_class: TrainingClass) -> list[CompletionRecord]:
    """After the close: the stored decision per trainee, with their certificate."""
    records = list(
        CompletionRecord.objects.filter(training_class=training_class, completed__isnull=False)
        .select_related("trainee", "trainee__org_unit")
        .order_by("-completed", "trainee__org_unit__path", "trainee__full_name")
    )
    certificates = {
        c.trainee_id: c
        for c in Certificate.objects.filter(training_class=training_class, revoked_at__isnull=True)
    }
    for record in records:
        record.certificate = certificates.get(record.trainee_id)
    return records


def certificate_list_for_class(*, training_class: TrainingClass) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(training_class=training_class)
        .select_related("trainee", "replaces", "replaced_by")
        .order_by("number")
    )


def certificate_list_for_trainee(*, trainee) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(trainee=trainee)
        .select_related("training_class")
        .order_by("revoked_at", "-issued_at")
    )


def certificate_get_by_code(*, code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return Certificate.objects.filter(verification_code=code).select_related("replaced_by").first()


def certificate_get_by_number_and_name(*, number: str, name: str) -> Certificate | None:
    """A certificate by the number printed on it, only if the holder's name matches too:
    a number alone (they run in sequence) must not reveal whose certificate it is."""
    number = unicodedata.normalize("NFKC", number or "").strip().upper()
    name = "".join(unicodedata.normalize("NFKC", name or "").split())
    if not number or not name or len(number) > 40 or len(name) > 100:
        return None
    certificate = (
        Certificate.objects.filter(number__iexact=number).select_related("replaced_by").first()
    )
    if certificate is None:
        return None
    holder = "".join(unicodedata.normalize("NFKC", certificate.snapshot.get("name", "")).split())
    return certificate if holder == name else None


def batch_latest(*, training_class: TrainingClass) -> IssueBatch | None:
    return IssueBatch.objects.filter(training_class=training_class).order_by("-pk").first()


@dataclass(frozen=True)
class ClassHistoryRow:
    training_class: TrainingClass
    status: str  # the enrolment's: enrolled, completed, withdrawn
    status_label: str
    certificate: Certificate | None
    appraisal: str


def class_history_for_person(*, person) -> list[ClassHistoryRow]:
    """一人一档: every class the person was enrolled in, newest first, with the outcome,
    the valid certificate's number and the 结业鉴定 written at close. Three queries."""
    enrolments = (
        Enrolment.objects.filter(trainee=person)
        .select_related("training_class")
        .order_by("-training_class__start_date", "-pk")
    )
    certificates = {
        c.training_class_id: c
        for c in Certificate.objects.filter(trainee=person, revoked_at__isnull=True)
    }
    appraisals = dict(
        CompletionRecord.objects.filter(trainee=person).values_list(
            "training_class_id", "appraisal"
        )
    )
    return [
        ClassHistoryRow(
            training_class=e.training_class,
            status=e.status,
            status_label=e.get_status_display(),
            certificate=certificates.get(e.training_class_id),
            appraisal=appraisals.get(e.training_class_id) or "",
        )
        for e in enrolments
    ]


# --- certificate templates -------------------------------------------------------------


def certificate_template_list_editable(*, viewer) -> QuerySet[CertificateTemplate]:
    """Templates the viewer may change: organisers those of their unit subtree; system
    templates (no unit) and those of units above them only administrators."""
    if viewer.is_superuser:
        return CertificateTemplate.objects.all()
    if not has_role(viewer, Role.ORGANISER):
        return CertificateTemplate.objects.none()
    return CertificateTemplate.objects.filter(org_unit__isnull=False).filter(
        within_units_q(viewer, field="org_unit")
    )


def certificate_template_list_usable(*, viewer) -> QuerySet[CertificateTemplate]:
    """Templates the viewer may choose for a class: their own, those of the units above
    theirs (a city template serves its counties), and system templates."""
    if viewer.is_superuser:
        return CertificateTemplate.objects.all()
    if not has_role(viewer, Role.ORGANISER):
        return CertificateTemplate.objects.none()
    step = OrgUnit.steplen
    ancestors = {
        path[:n] for path in managed_unit_paths(viewer) or [] for n in range(step, len(path), step)
    }
    return CertificateTemplate.objects.filter(
        Q(org_unit__isnull=True)
        | Q(org_unit__path__in=ancestors)
        | Q(pk__in=certificate_template_list_editable(viewer=viewer).values("pk"))
    )
