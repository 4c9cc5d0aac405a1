"""结班: decide who completed, post their hours, and queue their certificates."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ledger.models import CreditEntry
from ledger.services import credit_entry_post
from lms.audit import log
from lms.errors import PermissionDenied
from training.models import Enrolment, TrainingClass
from training.selectors import can_manage_class

from ..errors import ClassAlreadyClosed, ClassNotOver, NotEnrolled
from ..models import CompletionRecord, CompletionRule, IssueBatch

RULE_FIELDS = (
    "max_leave_share",
    "absence_limit_days",
    "final_exam_required",
    "quizzes_required",
    "written_work_required",
    "certificate_template",
    "certificate_issue_date",
)


def completion_rule_for(*, training_class: TrainingClass) -> CompletionRule:
    """The class's rule, created with the regulation defaults the first time it is asked for."""
    rule, _created = CompletionRule.objects.get_or_create(training_class=training_class)
    return rule


def _template_check(*, actor, rule: CompletionRule, template) -> None:
    """A class may use its organiser's templates, their parent units' and system ones
    (docs/permissions.md); a choice made earlier may stay."""
    from ..selectors import certificate_template_list_usable

    if template is None or template.pk == rule.certificate_template_id:
        return
    if not certificate_template_list_usable(viewer=actor).filter(pk=template.pk).exists():
        raise PermissionDenied()


def completion_rule_update(*, actor, training_class: TrainingClass, **values) -> CompletionRule:
    if not can_manage_class(actor, training_class):
        raise PermissionDenied()
    with transaction.atomic():
        klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if klass.status == TrainingClass.Status.CLOSED:
            raise ClassAlreadyClosed()
        rule = completion_rule_for(training_class=klass)
        rule = CompletionRule.objects.select_for_update().get(pk=rule.pk)
        _template_check(actor=actor, rule=rule, template=values.get("certificate_template"))
        before = {f: str(getattr(rule, f)) for f in RULE_FIELDS}
        for name, value in values.items():
            if name not in RULE_FIELDS:
                raise TypeError(name)
            setattr(rule, name, value)
        rule.full_clean()
        rule.save()
        log(
            klass,
            "certificates.rule_update",
            user=actor,
            data={"before": before, "after": {f: str(getattr(rule, f)) for f in RULE_FIELDS}},
        )
    return rule


def completion_appraisal_save(
    *, actor, training_class: TrainingClass, trainee, text: str
) -> CompletionRecord:
    """结业鉴定: the organiser's written appraisal of one trainee, before the class closes."""
    if not can_manage_class(actor, training_class):
        raise PermissionDenied()
    if not Enrolment.objects.filter(training_class=training_class, trainee=trainee).exists():
        raise NotEnrolled()
    with transaction.atomic():
        klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if klass.status == TrainingClass.Status.CLOSED:
            raise ClassAlreadyClosed()
        record, _created = CompletionRecord.objects.get_or_create(
            training_class=klass, trainee=trainee
        )
        text = text.strip()
        if record.appraisal != text:
            record.appraisal = text
            record.full_clean()
            record.save(update_fields=["appraisal"])
            log(record, "certificates.appraisal", user=actor, data={"trainee": trainee.pk})
    return record


@dataclass(frozen=True)
class ClosingCheck:
    """Whether the class is over, and what closing it now would leave out."""

    before_end_date: bool
    sessions_not_held: list  # ClassSession rows that have not ended yet
    hours_held: Decimal  # credit hours of the sessions that have ended
    hours_now: Decimal  # what each completer would be credited if closed now

    @property
    def early(self) -> bool:
        return self.before_end_date or bool(self.sessions_not_held)


def class_closing_check(*, training_class: TrainingClass, now=None) -> ClosingCheck:
    """The class's 学时 if closed now: all of them once it is over; closed early, only
    the sessions actually held count (a class without a timetable keeps its hours)."""
    now = now or timezone.now()
    sessions = list(training_class.sessions.order_by("starts_at"))
    held = sum((s.credit_hours for s in sessions if s.ends_at <= now), Decimal("0"))
    not_held = [s for s in sessions if s.ends_at > now]
    before_end = timezone.localdate(now) < training_class.end_date
    hours = training_class.credit_hours or Decimal("0")
    if (before_end or not_held) and sessions:
        hours = min(hours, held)
    return ClosingCheck(
        before_end_date=before_end, sessions_not_held=not_held, hours_held=held, hours_now=hours
    )


def class_close(
    *,
    actor,
    training_class: TrainingClass,
    appraisals: dict[int, str] | None = None,
    early_reason: str = "",
) -> IssueBatch | None:
    """Close the class: completers → completed with hours posted, others → withdrawn.

    One transaction under a row lock on the class; a second call (a double click, a retry,
    a second organiser) finds the class closed and changes nothing, returning None.
    Certificates are issued by a background task queued once the transaction commits.

    Before the end date, or with sessions not yet held, closing is refused unless the
    organiser gives `early_reason` (audited); then only the sessions held earn 学时.
    """
    from ..selectors import class_completion_review
    from ..tasks import issue_certificates

    if not can_manage_class(actor, training_class):
        raise PermissionDenied()
    now = timezone.now()
    early_reason = (early_reason or "").strip()
    with transaction.atomic():
        klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if klass.status == TrainingClass.Status.CLOSED:
            return None
        check = class_closing_check(training_class=klass, now=now)
        if check.early and not early_reason:
            raise ClassNotOver(
                f"{klass.end_date}:{len(check.sessions_not_held)}",
                message=ClassNotOver.explain(
                    end_date=klass.end_date, not_held=len(check.sessions_not_held)
                ),
            )
        hours = check.hours_now
        for trainee_id, text in (appraisals or {}).items():
            record, _ = CompletionRecord.objects.get_or_create(
                training_class=klass, trainee_id=trainee_id
            )
            record.appraisal = (text or "").strip()
            record.save(update_fields=["appraisal"])
        rows = class_completion_review(training_class=klass)
        completers = []
        for row in rows:
            enrolment = row.enrolment
            done = row.result.complete
            enrolment.status = Enrolment.Status.COMPLETED if done else Enrolment.Status.WITHDRAWN
            enrolment.save(update_fields=["status"])
            record, _ = CompletionRecord.objects.get_or_create(
                training_class=klass, trainee=enrolment.trainee
            )
            record.completed = done
            record.missing = [m.as_dict() for m in row.result.missing]
            record.decided_at = now
            record.save(update_fields=["completed", "missing", "decided_at"])
            if done:
                completers.append(enrolment.trainee)
                if hours > Decimal("0"):
                    credit_entry_post(
                        person=enrolment.trainee,
                        channel=_credit_channel(klass),
                        hours=hours,
                        earned_on=min(klass.end_date, timezone.localdate(now)),
                        title=klass.name,
                        source_key=f"class:{klass.pk}",
                        recorded_by=actor,
                    )
        klass.status = TrainingClass.Status.CLOSED
        klass.closed_on = timezone.localdate(now)
        klass.awarded_hours = hours
        klass.full_clean()
        klass.save(update_fields=["status", "closed_on", "awarded_hours"])
        batch = IssueBatch.objects.create(
            training_class=klass, total=len(completers), created_by=actor
        )
        log(
            klass,
            "certificates.class_close",
            user=actor,
            data={
                "completed": len(completers),
                "not_completed": len(rows) - len(completers),
                "batch": batch.pk,
                "hours": str(hours),
                **(
                    {
                        "early": True,
                        "reason": early_reason,
                        "sessions_not_held": [s.pk for s in check.sessions_not_held],
                    }
                    if check.early
                    else {}
                ),
            },
        )
        transaction.on_commit(lambda: issue_certificates.enqueue(batch_id=batch.pk))
    return batch


def _credit_channel(klass: TrainingClass) -> str:
    """An online thematic class (网络专题班) earns online hours, not in-person ones: they
    count towards the 50 学时 online a year, not the 90 学时 in person."""
    if klass.kind == TrainingClass.Kind.ONLINE:
        return CreditEntry.Channel.ONLINE
    return CreditEntry.Channel.IN_PERSON
