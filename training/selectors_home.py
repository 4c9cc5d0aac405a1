"""What the admin home shows about classes and sessions: an instructor's coming sessions,
an organiser's classes of the week. One query each, however many rows
(tests/lms/test_admin_home.py counts them)."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lms.admin_home import first_rows
from people.roles import Role, has_role
from people.selectors import within_units_q

from .models import ClassSession, Enrolment, TrainingClass


def sessions_upcoming(*, viewer, now: datetime.datetime | None = None) -> tuple[list, int]:
    """The sessions the viewer teaches that have not ended yet, soonest first (a class
    closed early holds none of its remaining sessions). One query."""
    now = now or timezone.now()
    sessions = (
        ClassSession.objects.filter(instructor=viewer, ends_at__gt=now)
        .exclude(training_class__status=TrainingClass.Status.CLOSED)
        .select_related("training_class")
        .order_by("starts_at", "pk")
    )
    return first_rows(sessions)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def managed_classes(*, viewer) -> QuerySet[TrainingClass]:
    """Classes organised by the viewer's units (all for a superuser), without joins that
    could repeat a row."""
    if viewer.is_superuser:
        return TrainingClass.objects.all()
    if not has_role(viewer, Role.ORGANISER):
        return TrainingClass.objects.none()
    return TrainingClass.objects.filter(within_units_q(viewer, field="organising_unit"))


def classes_this_week(*, viewer, today: datetime.date | None = None) -> tuple[list, int]:
    """The viewer's classes that run this week (Monday to Sunday) and are not closed,
    those ending first, each with its number of trainees enrolled. One query."""
    today = today or timezone.localdate()
    monday, sunday = week_of(today)
    enrolled = (
        Enrolment.objects.filter(training_class=OuterRef("pk"), status=Enrolment.Status.ENROLLED)
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    classes = (
        managed_classes(viewer=viewer)
        .filter(Q(start_date__lte=sunday) & Q(end_date__gte=monday))
        .exclude(status=TrainingClass.Status.CLOSED)
        .select_related("organising_unit")
        .annotate(trainees=Coalesce(Subquery(enrolled, output_field=IntegerField()), 0))
        .order_by("end_date", "start_date", "pk")
    )
    rows, total = first_rows(classes)
    for klass in rows:
        klass.ends_this_week = monday <= klass.end_date <= sunday
        klass.starts_later = klass.start_date > today
        klass.over = klass.end_date < today
    return rows, total
