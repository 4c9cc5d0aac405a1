"""Notices with read receipts, session evaluations (评教) and calendar feed tokens."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError, PermissionDenied

from ..models import (
    CalendarFeed,
    ClassSession,
    Enrolment,
    Notice,
    NoticeReceipt,
    SessionEvaluation,
    TrainingClass,
)
from ..notify import notice_posted
from ..selectors import can_run_class, sessions_not_to_rate


class NotYourClass(PermissionDenied):
    code = "not_your_class"
    message = _("Only the class's advisers and organisers may do this.")


class NotOnRoster(PermissionDenied):
    code = "not_on_roster"
    message = _("You are not on this class's roster.")


class EvaluationNotOpen(DomainError):
    code = "evaluation_not_open"
    message = _("A session can be rated once it has ended.")


class AlreadyEvaluated(DomainError):
    code = "already_evaluated"
    message = _("You have already rated this session.")


class NotAttended(DomainError):
    code = "evaluation_not_attended"
    message = _("Only trainees who attended a session can rate it; you were absent or on leave.")


class BadScore(DomainError):
    code = "bad_score"
    message = _("Each score must be a whole number from 1 to 5.")


@transaction.atomic
def notice_publish(
    *, actor, training_class: TrainingClass, title: str, body: str, is_pinned: bool = False
) -> Notice:
    if not can_run_class(actor, training_class):
        raise NotYourClass(str(training_class.pk))
    notice = Notice(
        training_class=training_class,
        author=actor,
        title=title.strip(),
        body=body.strip(),
        is_pinned=is_pinned,
    )
    notice.full_clean()
    notice.save()
    log(notice, "training.notice_publish", user=actor, data={"class": training_class.pk})
    notice_posted(notice)
    return notice


def _on_roster(user, training_class_id: int) -> bool:
    return Enrolment.objects.filter(
        training_class_id=training_class_id,
        trainee=user,
        status__in=Enrolment.STAYED,
    ).exists()


def notice_mark_read(*, reader, notice: Notice) -> NoticeReceipt | None:
    """Record the first reading by a trainee of the class; staff readings leave no receipt."""
    if not _on_roster(reader, notice.training_class_id):
        return None
    receipt, _created = NoticeReceipt.objects.get_or_create(notice=notice, reader=reader)
    return receipt


@transaction.atomic
def evaluation_submit(
    *,
    trainee,
    session: ClassSession,
    content: int,
    teaching: int,
    usefulness: int,
    comment: str = "",
    now=None,
) -> SessionEvaluation:
    """One rating per trainee and session, only after it ended and only by someone who
    attended (not 旷课 or 请假, as registered rules say); a repeat is refused."""
    now = now or timezone.now()
    if not _on_roster(trainee, session.training_class_id):
        raise NotOnRoster(str(session.pk))
    if session.ends_at > now:
        raise EvaluationNotOpen(str(session.pk))
    if session.pk in sessions_not_to_rate(trainee=trainee, session_ids=[session.pk]):
        raise NotAttended(str(session.pk))
    scores = (content, teaching, usefulness)
    if not all(isinstance(s, int) and 1 <= s <= 5 for s in scores):
        raise BadScore(str(scores))
    evaluation = SessionEvaluation(
        session=session,
        trainee=trainee,
        content=content,
        teaching=teaching,
        usefulness=usefulness,
        comment=comment.strip(),
    )
    evaluation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as exc:
        raise AlreadyEvaluated(str(session.pk)) from exc
    return evaluation


def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new secret URL; calendars subscribed to the old one stop receiving updates."""
    CalendarFeed.objects.filter(user=user).delete()
    feed = CalendarFeed.objects.create(user=user)
    log(feed, "training.calendar_renew", user=user)
    return feed
