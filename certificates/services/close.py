"""结班: decide each trainee's outcome, post the completers' hours, queue their certificates."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attendance.selectors import sessions_without_attendance
from ledger.models import CreditEntry
from ledger.services import credit_entry_post
from lms.audit import log
from lms.errors import PermissionDenied
from training.models import Enrolment, TrainingClass
from training.selectors import can_manage_class

from ..errors import (
    ClassAlreadyClosed,
    ClassNotOver,
    NotEnrolled,
    OverrideInvalid,
    OverrideReasonRequired,
)
from ..models import CompletionRecord, CompletionRule, IssueBatch
from ..selectors import certificate_template_list_usable, class_completion_review
from .issue import issue_certificates
from .rules import completion_rule_for

RULE_FIELDS = (
    "final_exam_required",
    "quizzes_required",
    "written_work_required",
    "certificate_template",
    "certificate_issue_date",
)


RECORD_DECISION_FIELDS = ["outcome", "completed", "missing", "exceptions", "hours", "decided_at"]


def _template_check(*, actor, rule: CompletionRule, template) -> None:
    """A class may use its organiser's templates, their parent units' and system ones
    (docs/permissions.md); a choice made earlier may stay."""
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


def completion_override_set(
    *, actor, training_class: TrainingClass, trainee, decision: str, reason: str = ""
) -> CompletionRecord:
    """The organiser's exception for one trainee, before the close: 准予结业 (`complete`)
    or 不予结业 (`not_complete`) whatever the rules say, with the reason; "" goes back
    to the rules. The close honours it and the record keeps it with who and when.

    Refused once the class is closed. Setting the same decision and reason again changes
    nothing and writes no audit entry.
    """
    if not can_manage_class(actor, training_class):
        raise PermissionDenied()
    if decision not in ("", *CompletionRecord.Override.values):
        raise OverrideInvalid(decision)
    reason = (reason or "").strip()
    if decision and not reason:
        raise OverrideReasonRequired()
    reason = reason if decision else ""
    with transaction.atomic():
        klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if klass.status == TrainingClass.Status.CLOSED:
            raise ClassAlreadyClosed()
        if not Enrolment.objects.filter(
            training_class=klass, trainee=trainee, status=Enrolment.Status.ENROLLED
        ).exists():
            raise NotEnrolled()
        CompletionRecord.objects.get_or_create(training_class=klass, trainee=trainee)
        record = CompletionRecord.objects.select_for_update().get(
            training_class=klass, trainee=trainee
        )
        if (record.override, record.override_reason) == (decision, reason):
            return record
        before = {"decision": record.override, "reason": record.override_reason}
        record.override = decision
        record.override_reason = reason
        record.override_by = actor if decision else None
        record.override_at = timezone.now() if decision else None
        record.full_clean()
        record.save(update_fields=["override", "override_reason", "override_by", "override_at"])
        log(
            record,
            "certificates.override",
            user=actor,
            data={
                "trainee": trainee.pk,
                "class": klass.pk,
                "decision": decision,
                "reason": reason,
                "before": before,
            },
        )
    return record


@dataclass(frozen=True)
class ClosingCheck:
    """Whether the class is over, and what closing it now would post.

    `per_session`: an in-person class with a timetable credits each completer with the
    学时 of the sessions they attended (or were excused from on 公假), on the session
    dates; `hours_now` is then the most anyone gets (the held sessions' 学时, no more than
    the class's). Otherwise every completer gets `hours_now` on the close date.
    """

    before_end_date: bool
    sessions_not_held: list  # ClassSession rows that have not ended yet
    hours_held: Decimal  # credit hours of the sessions that have ended
    hours_now: Decimal  # the most a completer would be credited if closed now
    per_session: bool = False
    sessions_untaken: list = field(default_factory=list)  # ended, no attendance taken

    @property
    def early(self) -> bool:
        return self.before_end_date or bool(self.sessions_not_held)


def class_closing_check(*, training_class: TrainingClass, now=None) -> ClosingCheck:
    """The class's 学时 if closed now: all of them once it is over; closed early, only
    the sessions actually held count (a class without a timetable keeps its hours). An
    in-person class with a timetable credits each trainee by the sessions they attended."""
    now = now or timezone.now()
    sessions = list(training_class.sessions.order_by("starts_at"))
    held = sum((s.credit_hours for s in sessions if s.ends_at <= now), Decimal("0"))
    not_held = [s for s in sessions if s.ends_at > now]
    before_end = timezone.localdate(now) < training_class.end_date
    hours = training_class.credit_hours or Decimal("0")
    per_session = bool(sessions) and training_class.kind == TrainingClass.Kind.IN_PERSON
    if sessions and (per_session or before_end or not_held):
        hours = min(hours, held)
    return ClosingCheck(
        before_end_date=before_end,
        sessions_not_held=not_held,
        hours_held=held,
        hours_now=hours,
        per_session=per_session,
        sessions_untaken=(
            sessions_without_attendance(training_class=training_class, now=now)
            if per_session
            else []
        ),
    )


def class_close(
    *,
    actor,
    training_class: TrainingClass,
    appraisals: dict[int, str] | None = None,
    early_reason: str = "",
) -> IssueBatch | None:
    """Close the class: each trainee gets one of three outcomes, stored with its reasons.

    结业 (completed): hours posted, a certificate queued. 不予结业 (not completed): a rule
    other than leave and 旷课 unmet (the final exam, written work …). 退学 (withdrawn):
    leave over the cap or 旷课 at the limit, or withdrawn during the class. An organiser's
    override (`completion_override_set`) decides over the rules.

    One transaction under a row lock on the class; a second call (a double click, a retry,
    a second organiser) finds the class closed and changes nothing, returning None.
    Certificates are issued by a background task queued once the transaction commits.

    Before the end date, or with sessions not yet held, closing is refused unless the
    organiser gives `early_reason` (audited); then only the sessions held earn 学时.
    """
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
        for trainee_id, text in (appraisals or {}).items():
            record, _ = CompletionRecord.objects.get_or_create(
                training_class=klass, trainee_id=trainee_id
            )
            record.appraisal = (text or "").strip()
            record.save(update_fields=["appraisal"])
        rows = class_completion_review(training_class=klass, with_withdrawn=True)
        sessions = {s.pk: s for s in klass.sessions.all()} if check.per_session else {}
        completers = []
        counts = dict.fromkeys(CompletionRecord.Outcome.values, 0)
        for row in rows:
            enrolment = row.enrolment
            outcome = row.outcome
            counts[outcome] += 1
            if enrolment.status != outcome:
                enrolment.status = outcome
                enrolment.save(update_fields=["status"])
            posted = None
            if outcome == Enrolment.Status.COMPLETED:
                completers.append(enrolment.trainee)
                posted = _hours_post(
                    actor=actor,
                    klass=klass,
                    trainee=enrolment.trainee,
                    check=check,
                    credited=getattr(row.attendance, "credited_sessions", ()),
                    sessions=sessions,
                    today=timezone.localdate(now),
                )
            record, _ = CompletionRecord.objects.get_or_create(
                training_class=klass, trainee=enrolment.trainee
            )
            record.outcome = outcome
            record.completed = outcome == Enrolment.Status.COMPLETED
            record.missing = [m.as_dict() for m in row.result.missing]
            record.exceptions = [m.as_dict() for m in row.result.exceptions]
            record.hours = posted
            record.decided_at = now
            record.save(update_fields=RECORD_DECISION_FIELDS)
        klass.status = TrainingClass.Status.CLOSED
        klass.closed_on = timezone.localdate(now)
        klass.awarded_hours = check.hours_now
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
                "completed": counts[CompletionRecord.Outcome.COMPLETED],
                "not_completed": counts[CompletionRecord.Outcome.NOT_COMPLETED],
                "withdrawn": counts[CompletionRecord.Outcome.WITHDRAWN],
                "overrides": [
                    {"trainee": r.trainee.pk, "decision": r.override}
                    for r in rows
                    if r.override and not r.withdrew
                ],
                "batch": batch.pk,
                "hours": str(check.hours_now),
                "per_session": check.per_session,
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


def _hours_post(*, actor, klass, trainee, check, credited, sessions, today) -> Decimal:
    """Post one completer's 学时 and return how many.

    Per session (an in-person class with a timetable): the sessions credited to the
    trainee (attended, or excused 公假), one ledger entry per session date, dated that
    day, at most `check.hours_now` in all. Otherwise the class's hours on the close date.
    Each entry has its own source key, so posting again adds nothing.
    """
    channel = _credit_channel(klass)
    if not check.per_session:
        hours = check.hours_now
        if hours > 0:
            credit_entry_post(
                person=trainee,
                channel=channel,
                hours=hours,
                earned_on=min(klass.end_date, today),
                title=klass.name,
                source_key=f"class:{klass.pk}",
                recorded_by=actor,
            )
        return hours
    by_date: dict = {}
    for sid in credited:
        session = sessions.get(sid)
        if session is not None:
            by_date.setdefault(session.date, []).append(session)
    remaining = check.hours_now
    total = Decimal("0")
    for date in sorted(by_date):
        day = sorted(by_date[date], key=lambda s: s.starts_at)
        hours = min(sum((s.credit_hours for s in day), Decimal("0")), remaining)
        if hours <= 0:
            break
        credit_entry_post(
            person=trainee,
            channel=channel,
            hours=hours,
            earned_on=date,
            title=klass.name,
            source_key=f"class:{klass.pk}:{date.isoformat()}",
            recorded_by=actor,
            note="; ".join(f"{s.get_half_day_display()} {s.title}" for s in day)[:1000],
        )
        remaining -= hours
        total += hours
    return total


def _credit_channel(klass: TrainingClass) -> str:
    """An online thematic class (网络专题班) earns online hours, not in-person ones: they
    count towards the 50 学时 online a year, not the 90 学时 in person."""
    if klass.kind == TrainingClass.Kind.ONLINE:
        return CreditEntry.Channel.ONLINE
    return CreditEntry.Channel.IN_PERSON
