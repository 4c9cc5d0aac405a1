"""What assessments tell people (notifications.services.notify): graded work, and the
reminders a quiz or exam needs (open now; due within 24 h and not started), run by the
notifications sweep through the `notification_reminders` hook."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from notifications.services import notify
from training.models import Enrolment, TrainingClass

from .models import Attempt, Quiz

# A quiz that opened longer ago than this when the sweep first saw it is not announced.
# A quiz with no opening time opens when trainees can first take it: when it is set in a
# live class, or on the class's first day if it was set earlier (announced once: the key).
OPEN_WINDOW = datetime.timedelta(hours=6)
DUE_WITHIN = datetime.timedelta(hours=24)
LIVE_CLASSES = [TrainingClass.Status.ENROLLING, TrainingClass.Status.RUNNING]


def work_graded(submission, grade_change) -> None:
    """Each grading tells the trainee once: the first grade and every later change of the
    level or score (a regrade); the same form sent twice makes no grade change, and so
    no message."""
    notify(
        event="work_graded",
        recipients=[submission.trainee_id],
        key=f"submission:{submission.pk}:graded:{grade_change.pk}",
        context={"title": submission.assignment.title},
        url=reverse("assessments:assignment_detail", args=[submission.assignment_id]),
    )


def _context(quiz) -> dict:
    closes = quiz.closes_at.isoformat() if quiz.closes_at else ""
    return {"class_name": quiz.training_class.name, "quiz": quiz.title, "closes": closes}


def _opened_without_a_time(now: datetime.datetime) -> list:
    """Quizzes with no `opens_at` that trainees could first take lately: set within
    OPEN_WINDOW in a live class, or set before their class began and today is its first day."""
    today = timezone.localdate(now)
    return list(
        Quiz.objects.filter(
            Q(created_at__gt=now - OPEN_WINDOW) | Q(training_class__start_date=today),
            training_class__status__in=LIVE_CLASSES,
            opens_at__isnull=True,
            created_at__lte=now,
        ).select_related("training_class")
    )


@hooks.register("notification_reminders")
def quizzes_open_and_due(*, now: datetime.datetime) -> int:
    count = 0
    opened = Quiz.objects.filter(
        training_class__status__in=LIVE_CLASSES,
        opens_at__lte=now,
        opens_at__gt=now - OPEN_WINDOW,
    ).select_related("training_class")
    for quiz in [*opened, *_opened_without_a_time(now)]:
        if quiz.closes_at and quiz.closes_at <= now:
            continue
        count += notify(
            event="quiz_open",
            recipients=Enrolment.objects.filter(
                training_class_id=quiz.training_class_id, status=Enrolment.Status.ENROLLED
            ).values_list("trainee_id", flat=True),
            key=f"quiz_open:{quiz.pk}",
            context=_context(quiz),
            url=reverse("assessments:quiz_detail", args=[quiz.pk]),
            now=now,
        )
    due = Quiz.objects.filter(
        training_class__status__in=LIVE_CLASSES, closes_at__gt=now, closes_at__lte=now + DUE_WITHIN
    ).select_related("training_class")
    for quiz in due:
        if quiz.opens_at and quiz.opens_at > now:
            continue
        not_started = (
            Enrolment.objects.filter(
                training_class_id=quiz.training_class_id, status=Enrolment.Status.ENROLLED
            )
            .annotate(
                started=Exists(Attempt.objects.filter(quiz=quiz, trainee_id=OuterRef("trainee_id")))
            )
            .filter(started=False)
            .values_list("trainee_id", flat=True)
        )
        count += notify(
            event="quiz_due",
            recipients=not_started,
            key=f"quiz_due:{quiz.pk}",
            context=_context(quiz),
            url=reverse("assessments:quiz_detail", args=[quiz.pk]),
            now=now,
        )
    return count
