"""One class: attendance by session and trainee, who is at risk, scores, completion."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from assessments.models import Attempt
from attendance.models import AttendanceRecord
from attendance.selectors import class_attendance_summary
from certificates.models import Certificate
from people.models import User
from training.models import ClassSession, Enrolment, TrainingClass

from .errors import ClassNotInScope
from .scope import manages_whole_roster, person_q, report_class_list

STATUSES = ("present", "late", "left_early", "on_leave", "absent")


@dataclass
class TraineeLine:
    enrolment: Enrolment
    attendance: object | None = None  # attendance.selectors.AttendanceSummary
    cells: list = field(default_factory=list)  # status per session, in timetable order
    quizzes_taken: int = 0
    quizzes_failed: int = 0
    best_percent: Decimal | None = None
    final_exam: Decimal | None = None
    final_passed: bool | None = None
    certificate: object | None = None
    reasons: list = field(default_factory=list)

    @property
    def trainee(self) -> User:
        return self.enrolment.trainee

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)


@dataclass
class ClassReport:
    klass: TrainingClass
    whole_roster: bool
    sessions: list
    lines: list
    counts: dict

    @property
    def at_risk(self) -> list:
        return [line for line in self.lines if line.at_risk]


def class_get_for_report(*, viewer, pk_raw: str) -> TrainingClass:
    try:
        pk = int(pk_raw)
    except (TypeError, ValueError) as exc:
        raise ClassNotInScope(str(pk_raw)) from exc
    klass = report_class_list(viewer=viewer).filter(pk=pk).select_related("organising_unit").first()
    if klass is None:
        raise ClassNotInScope(str(pk))
    return klass


def roster(*, viewer, klass: TrainingClass) -> QuerySet[Enrolment]:
    """The trainees of the class the viewer may see: all of them for the organising unit's
    organisers, otherwise only those inside the viewer's units."""
    enrolments = Enrolment.objects.filter(training_class=klass)
    if not manages_whole_roster(viewer, klass):
        enrolments = enrolments.filter(person_q(viewer, None, field="trainee"))
    return enrolments.select_related("trainee", "trainee__org_unit").order_by(
        "trainee__org_unit__path", "trainee__full_name", "pk"
    )


REASON_LABELS = {
    "leave_over_cap": "leave_over_cap",
    "absence_over_limit": "absence_over_limit",
    "failed_quiz": "failed_quiz",
}


def class_report(*, viewer, klass: TrainingClass) -> ClassReport:
    enrolments = list(roster(viewer=viewer, klass=klass))
    trainee_ids = [e.trainee_id for e in enrolments]
    sessions = list(ClassSession.objects.filter(training_class=klass).order_by("starts_at", "pk"))
    lines = {e.trainee_id: TraineeLine(enrolment=e) for e in enrolments}
    counts = {s.pk: dict.fromkeys(STATUSES, 0) for s in sessions}

    summary = class_attendance_summary(training_class=klass, now=timezone.now())
    cells = {}
    for sid, tid, status in AttendanceRecord.objects.filter(
        session__training_class=klass, trainee_id__in=trainee_ids
    ).values_list("session_id", "trainee_id", "status"):
        cells[(sid, tid)] = status
        counts[sid][status] = counts[sid].get(status, 0) + 1
    for tid, line in lines.items():
        line.attendance = summary.get(tid)
        line.cells = [cells.get((s.pk, tid), "") for s in sessions]
        if line.attendance is not None:
            line.reasons.extend(line.attendance.reasons)

    rows = (
        Attempt.objects.filter(
            quiz__training_class=klass, trainee_id__in=trainee_ids, status="submitted"
        )
        .order_by()
        .values("trainee_id", "quiz_id", "quiz__is_final_exam")
        .annotate(
            best=Max("percent"),
            passes=Count("pk", filter=Q(passed=True)),
        )
    )
    for row in rows:
        line = lines[row["trainee_id"]]
        line.quizzes_taken += 1
        if not row["passes"]:
            line.quizzes_failed += 1
        if row["best"] is not None and (
            line.best_percent is None or row["best"] > line.best_percent
        ):
            line.best_percent = row["best"]
        if row["quiz__is_final_exam"]:
            line.final_exam = row["best"]
            line.final_passed = bool(row["passes"])
    for line in lines.values():
        if line.quizzes_failed:
            line.reasons.append("failed_quiz")

    for c in Certificate.objects.filter(
        training_class=klass, trainee_id__in=trainee_ids, revoked_at__isnull=True
    ):
        lines[c.trainee_id].certificate = c

    E = Enrolment.Status
    totals = {
        "enrolled": len(enrolments),
        "completed": sum(e.status == E.COMPLETED for e in enrolments),
        "not_completed": sum(e.status == E.NOT_COMPLETED for e in enrolments),
        "withdrawn": sum(e.status == E.WITHDRAWN for e in enrolments),
        "certificates": sum(1 for line in lines.values() if line.certificate is not None),
        "at_risk": sum(1 for line in lines.values() if line.reasons),
    }
    return ClassReport(
        klass=klass,
        whole_roster=manages_whole_roster(viewer, klass),
        sessions=[{"session": s, **counts[s.pk]} for s in sessions],
        lines=list(lines.values()),
        counts=totals,
    )
