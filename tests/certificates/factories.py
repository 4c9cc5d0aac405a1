"""Factories and protocol-shaped summaries standing in for attendance and assessments."""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from tests.training.factories import EnrolmentFactory, TrainingClassFactory
from training.models import Enrolment, TrainingClass


@dataclass
class FakeAttendance:
    leave_share: Decimal = Decimal("0")
    absent_days: Decimal = Decimal("0")
    at_risk: bool = False
    reasons: list = field(default_factory=list)
    official_leave_hours: Decimal = Decimal("0")
    official_leave_excused: bool = True
    credited_sessions: frozenset = frozenset()  # sessions that earn the trainee 学时
    leave_cap: Fraction = Fraction(1, 7)  # the class's attendance policy's
    leave_over_cap: bool = False  # attendance's verdict against that cap
    absence_limit_days: Decimal = Decimal("2")  # the class's attendance policy's
    absence_over_limit: bool = False  # attendance's verdict against that limit


@dataclass
class FakeAssessment:
    final_exam_passed: bool | None = True
    failed_quizzes: list = field(default_factory=list)
    missing_written_work: list = field(default_factory=list)
    pending_grading: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.final_exam_passed) and not self.failed_quizzes


def stub_summaries(monkeypatch, attendance=None, assessment=None):
    """Make class_summaries return the given maps (trainee_id -> summary)."""
    from certificates import completion

    def fake(*, training_class):
        return attendance if attendance is not None else {}, (
            assessment if assessment is not None else {}
        )

    monkeypatch.setattr(completion, "class_summaries", fake)
    import certificates.selectors as sel

    monkeypatch.setattr(sel, "class_summaries", fake)


def closed_class(world, trainees, **kwargs) -> TrainingClass:
    """A closed 罗山县 class whose `trainees` all completed (no close service involved)."""
    klass = TrainingClassFactory(
        organising_unit=world.county_a, status=TrainingClass.Status.CLOSED, **kwargs
    )
    for person in trainees:
        EnrolmentFactory(training_class=klass, trainee=person, status=Enrolment.Status.COMPLETED)
    return klass
