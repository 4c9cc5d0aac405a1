"""What the admin home shows a class adviser: today's sessions, leave to decide, trainees
at risk. Each read runs a fixed number of queries, however many classes or rows there are
(tests/lms/test_admin_home.py counts them)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lms.admin_home import PANEL_ROWS, first_rows
from people.models import User
from people.roles import Role, has_role
from people.selectors import within_units_q
from training.models import ClassSession, Enrolment, TrainingClass

from .models import AttendanceRecord, LeaveRequest
from .selectors import class_attendance_summaries


def advised_classes(*, viewer) -> QuerySet[TrainingClass]:
    """The classes the viewer advises (no join that could repeat a row)."""
    if not viewer.is_authenticated or not has_role(viewer, Role.ADVISER):
        return TrainingClass.objects.none()
    return TrainingClass.objects.filter(
        pk__in=TrainingClass.advisers.through.objects.filter(user=viewer).values("trainingclass_id")
    )


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """COUNT(*) of a correlated subquery, 0 when it has no row."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sessions_today(*, viewer, today: datetime.date | None = None) -> tuple[list, int]:
    """Today's sessions of the classes the viewer advises, in time order, each with how many
    trainees have checked in and how many are on the roster. One query."""
    today = today or timezone.localdate()
    sessions = (
        ClassSession.objects.filter(training_class__in=advised_classes(viewer=viewer), date=today)
        .select_related("training_class")
        .annotate(
            checked_in=_count(
                AttendanceRecord.objects.filter(
                    session=OuterRef("pk"), checked_in_at__isnull=False
                ),
                "session",
            ),
            roster=_count(
                Enrolment.objects.filter(
                    training_class=OuterRef("training_class"), status=Enrolment.Status.ENROLLED
                ),
                "training_class",
            ),
        )
        .order_by("starts_at", "pk")
    )
    return first_rows(sessions)


def leave_awaiting(*, viewer) -> tuple[list, int]:
    """Pending leave the viewer is the one to decide, oldest first: an adviser's short leave
    in the classes they advise, an organiser's longer leave in its units' classes (the
    rule of `attendance.services.leave.can_decide_leave`). One query."""
    q = Q(pk__in=[])
    if has_role(viewer, Role.ADVISER):
        q |= Q(training_class__in=advised_classes(viewer=viewer), needs_organiser=False)
    if viewer.is_superuser:
        q |= Q(needs_organiser=True)
    elif has_role(viewer, Role.ORGANISER):
        q |= within_units_q(viewer, field="training_class__organising_unit") & Q(
            needs_organiser=True
        )
    leave = (
        LeaveRequest.objects.filter(q, status=LeaveRequest.Status.PENDING)
        .select_related("trainee", "training_class")
        .order_by("created_at", "pk")
    )
    return first_rows(leave)


@dataclass
class ClassAtRisk:
    training_class: TrainingClass
    count: int
    names: list[str]


def classes_at_risk(*, viewer, now: datetime.datetime | None = None) -> list[ClassAtRisk]:
    """The viewer's classes under way (started, not closed) that have trainees past the
    leave cap or the 旷课 limit, with the first names. Five queries whatever the number of
    classes: `class_attendance_summaries` reads all of them at once, then the names."""
    now = now or timezone.now()
    live = (
        advised_classes(viewer=viewer)
        .exclude(status=TrainingClass.Status.CLOSED)
        .filter(start_date__lte=timezone.localdate(now))
        .order_by("-start_date", "pk")
    )
    found = []
    for klass, summaries in class_attendance_summaries(classes=live, now=now):
        ids = [tid for tid, s in summaries.items() if s.at_risk]
        if ids:
            found.append((klass, ids))
    wanted = {tid for _, ids in found for tid in ids[:PANEL_ROWS]}
    names = dict(User.objects.filter(pk__in=wanted).values_list("pk", "full_name"))
    return [
        ClassAtRisk(
            training_class=klass,
            count=len(ids),
            names=sorted(names.get(tid, "") for tid in ids[:PANEL_ROWS]),
        )
        for klass, ids in found
    ]
