"""Reads: who completed a class and what is missing, certificates by class and by trainee."""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from people.models import OrgUnit
from people.roles import Role, has_role
from people.selectors import managed_unit_paths, within_units_q
from training.models import Enrolment, TrainingClass
from training.selectors import class_list_for_staff

from .completion import (
    COMPLETED,
    NOT_COMPLETED,
    WITHDRAWN,
    CompletionResult,
    Missing,
    class_summaries,
    completion_evaluate,
    for_trainee,
)
from .models import (
    Certificate,
    CertificateTemplate,
    CompletionRecord,
    CompletionRule,
    IssueBatch,
)


def completion_rule_get(*, training_class: TrainingClass) -> CompletionRule:
    """The class's completion rule, or an unsaved one with the regulation defaults (a read
    never writes; `services.close.completion_rule_for` creates it)."""
    rule = CompletionRule.objects.filter(training_class=training_class).first()
    return rule or CompletionRule(training_class=training_class)


@dataclass
class ReviewRow:
    """One trainee in the completion review: what the rules say (`result`), the
    organiser's override if any (on `record`), and so the outcome the close will take."""

    enrolment: Enrolment
    result: CompletionResult
    record: CompletionRecord | None
    certificate: Certificate | None = None
    attendance: object = None  # the trainee's attendance summary, when there is one
    makeup: str = ""  # 补考 state (assessments.selectors.MakeupState), set by the review page

    @property
    def trainee(self):
        return self.enrolment.trainee

    @property
    def withdrew(self) -> bool:
        """Withdrawn (退学) from the roster before the close: the decision stands."""
        return self.enrolment.status == Enrolment.Status.WITHDRAWN

    @property
    def override(self) -> str:
        return (self.record.override if self.record else "") or ""

    @property
    def outcome(self) -> str:
        if self.withdrew:
            return WITHDRAWN
        if self.override == CompletionRecord.Override.COMPLETE:
            return COMPLETED
        if self.override == CompletionRecord.Override.NOT_COMPLETE:
            return NOT_COMPLETED
        return self.result.outcome

    @property
    def outcome_label(self) -> str:
        return str(CompletionRecord.Outcome(self.outcome).label)

    @property
    def complete(self) -> bool:
        return self.outcome == COMPLETED


def class_list_for_organiser(*, viewer) -> QuerySet[TrainingClass]:
    """Classes the viewer may close and certify: organisers by organising unit."""
    if viewer.is_superuser:
        return TrainingClass.objects.all()
    if not has_role(viewer, Role.ORGANISER):
        return TrainingClass.objects.none()
    return class_list_for_staff(viewer=viewer).filter(
        within_units_q(viewer, field="organising_unit")
    )


def class_completion_review(
    *, training_class: TrainingClass, with_withdrawn: bool = False
) -> list[ReviewRow]:
    """Every trainee still on the roster, complete or not, with exactly what is missing,
    and the organiser's override where one was made.

    With `with_withdrawn`, those withdrawn from the roster before the close (退学) too,
    after the others, as the review shows them. Before the close this evaluates live; after it, the
    decisions stored at close stand (see `class_completion_outcome`).
    """
    rule = completion_rule_get(training_class=training_class)
    attendance, assessment = class_summaries(training_class=training_class)
    records = {
        r.trainee_id: r
        for r in CompletionRecord.objects.filter(training_class=training_class).select_related(
            "override_by"
        )
    }
    statuses = [Enrolment.Status.ENROLLED]
    if with_withdrawn:
        statuses.append(Enrolment.Status.WITHDRAWN)
    enrolments = (
        Enrolment.objects.filter(training_class=training_class, status__in=statuses)
        .select_related("trainee", "trainee__org_unit")
        .order_by("trainee__org_unit__path", "trainee__full_name")
    )
    enrolments = list(enrolments)
    reasons = _withdrawal_reasons(e for e in enrolments if e.status == Enrolment.Status.WITHDRAWN)
    rows = []
    for e in enrolments:
        summary = for_trainee(attendance, e.trainee_id)
        if e.status == Enrolment.Status.WITHDRAWN:
            result = CompletionResult(
                missing=[
                    Missing(
                        "withdrawn_before_close",
                        _("Withdrawn from the class before its close"),
                        reasons.get(e.pk, ""),
                    )
                ]
            )
        else:
            result = completion_evaluate(
                rule=rule,
                attendance=summary,
                assessment=for_trainee(assessment, e.trainee_id, empty_means_none_set=True),
            )
        rows.append(
            ReviewRow(
                enrolment=e,
                result=result,
                record=records.get(e.trainee_id),
                attendance=summary if hasattr(summary, "credited_sessions") else None,
            )
        )
    rows.sort(key=lambda r: r.withdrew)  # stable: the roster's order within each part
    return rows


def _withdrawal_reasons(enrolments) -> dict[int, str]:
    """The reason given when each enrolment was withdrawn (its audit entry), by pk."""
    ids = [str(e.pk) for e in enrolments]
    if not ids:
        return {}
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Enrolment),
        object_id__in=ids,
        action="training.enrolment_withdraw",
    ).order_by("timestamp", "pk")
    return {int(entry.object_id): str(entry.data.get("reason") or "") for entry in entries}


# The order the outcome reads in: completers first, then 不予结业, then 退学.
OUTCOME_ORDER = {COMPLETED: 0, NOT_COMPLETED: 1, WITHDRAWN: 2}


def class_completion_outcome(*, training_class: TrainingClass) -> list[CompletionRecord]:
    """After the close: the stored decision per trainee, with their certificate."""
    records = list(
        CompletionRecord.objects.filter(training_class=training_class, completed__isnull=False)
        .select_related("trainee", "trainee__org_unit", "override_by")
        .order_by("trainee__org_unit__path", "trainee__full_name")
    )
    records.sort(key=lambda r: OUTCOME_ORDER.get(r.outcome, 3))
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


def outcome_list_without_certificate(*, trainee) -> QuerySet[CompletionRecord]:
    """The trainee's 不予结业 and 退学 decisions, newest class first, with the reasons."""
    return (
        CompletionRecord.objects.filter(
            trainee=trainee,
            outcome__in=[
                CompletionRecord.Outcome.NOT_COMPLETED,
                CompletionRecord.Outcome.WITHDRAWN,
            ],
        )
        .select_related("training_class")
        .order_by("-training_class__start_date", "-pk")
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
    status: str  # the enrolment's: enrolled, completed, not_completed, withdrawn
    status_label: str
    certificate: Certificate | None
    appraisal: str
    record: CompletionRecord | None = None

    @property
    def hours(self):
        """The trainee's own 学时 from the class: those posted at close; the class's
        planned hours while it runs; none for 不予结业 and 退学."""
        if self.status == Enrolment.Status.ENROLLED:
            return self.training_class.credit_hours
        if self.status != Enrolment.Status.COMPLETED:
            return Decimal("0")
        if self.record is not None and self.record.hours is not None:
            return self.record.hours
        return self.training_class.hours_awarded

    @property
    def reasons(self) -> list[dict]:
        """Why not 结业 (the rules unmet), as stored at close."""
        if self.record is None or self.status not in (
            Enrolment.Status.NOT_COMPLETED,
            Enrolment.Status.WITHDRAWN,
        ):
            return []
        return list(self.record.missing or [])

    @property
    def exceptions(self) -> list[dict]:
        return list(self.record.exceptions or []) if self.record is not None else []


def class_history_for_person(*, person) -> list[ClassHistoryRow]:
    """一人一档: every class the person was enrolled in, newest first, with the outcome and
    its reasons, the 学时 they earned, the valid certificate's number and the 结业鉴定
    written at close. Three queries."""
    enrolments = (
        Enrolment.objects.filter(trainee=person)
        .select_related("training_class")
        .order_by("-training_class__start_date", "-pk")
    )
    certificates = {
        c.training_class_id: c
        for c in Certificate.objects.filter(trainee=person, revoked_at__isnull=True)
    }
    records = {r.training_class_id: r for r in CompletionRecord.objects.filter(trainee=person)}
    return [
        ClassHistoryRow(
            training_class=e.training_class,
            status=e.status,
            status_label=e.get_status_display(),
            certificate=certificates.get(e.training_class_id),
            appraisal=getattr(records.get(e.training_class_id), "appraisal", "") or "",
            record=records.get(e.training_class_id),
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
