"""Completion rules applied to protocol-shaped summaries: what is missing, exactly."""

from decimal import Decimal
from fractions import Fraction

import pytest

from certificates.completion import (
    NONE_SET,
    completion_evaluate,
    for_trainee,
)
from certificates.models import CompletionRule
from tests.certificates.factories import FakeAssessment, FakeAttendance


def _rule(**kwargs):
    return CompletionRule(**kwargs)  # unsaved: the evaluation needs no database


def test_a_trainee_who_met_everything_is_complete():
    result = completion_evaluate(
        rule=_rule(), attendance=FakeAttendance(), assessment=FakeAssessment()
    )
    assert result.complete and result.missing == []


def test_leave_over_the_attendance_policy_s_cap_fails_completion_with_that_cap_stated():
    """The rule has no cap of its own: attendance judged the share against the class's
    policy (tests/attendance/test_summary.py), and completion follows that verdict."""
    rule = _rule()
    six_of_42 = (Decimal(6) / Decimal(42)).quantize(Decimal("0.0001"))  # as attendance reports
    ok = completion_evaluate(
        rule=rule, attendance=FakeAttendance(leave_share=six_of_42), assessment=FakeAssessment()
    )
    over = completion_evaluate(
        rule=rule,
        attendance=FakeAttendance(
            leave_share=(Decimal("6.5") / Decimal(42)).quantize(Decimal("0.0001")),
            leave_over_cap=True,
        ),
        assessment=FakeAssessment(),
    )
    assert ok.complete
    assert over.codes == ["leave_over_cap"]
    assert over.missing[0].detail == "15.5% > 14.3%"
    a_fifth = completion_evaluate(
        rule=rule,
        attendance=FakeAttendance(
            leave_share=Decimal("0.2143"), leave_cap=Fraction(1, 5), leave_over_cap=True
        ),
        assessment=FakeAssessment(),
    )
    assert a_fifth.missing[0].detail == "21.4% > 20.0%"


def test_a_completion_rule_has_no_leave_cap_or_absence_limit_of_its_own():
    fields = {f.name for f in CompletionRule._meta.get_fields()}
    assert "max_leave_share" not in fields and "absence_limit_days" not in fields


def test_absence_over_the_attendance_policy_s_limit_fails_completion_with_that_limit_stated():
    """Attendance judged the days against the class's policy (2 days fail, 1.5 pass:
    tests/attendance/test_summary.py); completion follows that verdict."""
    rule = _rule()
    passes = completion_evaluate(
        rule=rule,
        attendance=FakeAttendance(absent_days=Decimal("1.5")),
        assessment=FakeAssessment(),
    )
    fails = completion_evaluate(
        rule=rule,
        attendance=FakeAttendance(
            absent_days=Decimal("3"), absence_limit_days=Decimal("2.5"), absence_over_limit=True
        ),
        assessment=FakeAssessment(),
    )
    assert passes.complete
    assert fails.codes == ["absence_over_limit"]
    assert fails.missing[0].detail == "3 ≥ 2.5"


def test_every_missing_assessment_is_listed_by_name():
    result = completion_evaluate(
        rule=_rule(),
        attendance=FakeAttendance(),
        assessment=FakeAssessment(
            final_exam_passed=False,
            failed_quizzes=["第一单元测验", "第三单元测验"],
            missing_written_work=["学习心得"],
        ),
    )
    assert result.codes == [
        "final_exam_failed",
        "quiz_not_passed",
        "quiz_not_passed",
        "written_work_missing",
    ]
    assert [m.detail for m in result.missing[1:]] == ["第一单元测验", "第三单元测验", "学习心得"]


def test_a_class_without_a_final_exam_has_none_to_pass():
    result = completion_evaluate(
        rule=_rule(), attendance=FakeAttendance(), assessment=FakeAssessment(final_exam_passed=None)
    )
    assert result.complete


def test_work_awaiting_grading_holds_completion_back():
    result = completion_evaluate(
        rule=_rule(), attendance=FakeAttendance(), assessment=FakeAssessment(pending_grading=True)
    )
    assert result.codes == ["grading_pending"]


def test_switched_off_requirements_are_not_checked():
    rule = _rule(final_exam_required=False, quizzes_required=False, written_work_required=False)
    result = completion_evaluate(
        rule=rule,
        attendance=FakeAttendance(),
        assessment=FakeAssessment(final_exam_passed=False, failed_quizzes=["x"]),
    )
    assert result.complete


def test_a_trainee_missing_from_the_summaries_is_not_complete():
    attendance = for_trainee({1: FakeAttendance()}, 2)
    assessment = for_trainee({1: FakeAssessment()}, 2, empty_means_none_set=True)
    result = completion_evaluate(rule=_rule(), attendance=attendance, assessment=assessment)
    assert result.codes == ["attendance_missing", "assessment_missing"]


def test_a_class_without_any_assessment_checks_attendance_only():
    assessment = for_trainee({}, 2, empty_means_none_set=True)
    assert assessment is NONE_SET
    result = completion_evaluate(rule=_rule(), attendance=FakeAttendance(), assessment=assessment)
    assert result.complete


def _completion_rules_migrated(before, after, rules):
    """Migrate back to `before`, write completion rules there ({class: fields}), migrate
    forward through `after`, then to the newest state again whatever happened."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        CompletionRule = old.get_model("certificates", "CompletionRule")
        for klass, fields in rules.items():
            CompletionRule.objects.create(training_class_id=klass.pk, **fields)
        MigrationExecutor(connection).migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_a_class_the_cap_its_completion_rule_had(world):
    """A class whose completion rule allowed a fifth keeps a fifth, now in its attendance
    policy; a class left at the default 0.1429 keeps 1/7 (no policy row needed)."""
    from attendance.selectors import policy_for
    from tests.training.factories import class_for_world

    fifth, default = class_for_world(world), class_for_world(world)
    _completion_rules_migrated(
        before=[
            ("attendance", "0009_official_leave_excused_on_policy"),
            ("certificates", "0009_official_leave_excused_moves_to_attendance"),
        ],
        after=[("certificates", "0010_leave_cap_moves_to_attendance")],
        rules={
            fifth: {"max_leave_share": Decimal("0.2")},
            default: {"max_leave_share": Decimal("0.1429")},
        },
    )
    assert policy_for(fifth).leave_cap == Fraction(1, 5)
    assert policy_for(default).leave_cap == Fraction(1, 7)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_a_class_the_absence_limit_its_completion_rule_had(world):
    """A class whose completion rule failed at 3 days keeps 3 days, now in its attendance
    policy; a class left at the default 2 days keeps 2 (no policy row needed)."""
    from attendance.models import AttendancePolicy
    from attendance.selectors import policy_for
    from tests.training.factories import class_for_world

    three, default = class_for_world(world), class_for_world(world)
    _completion_rules_migrated(
        before=[
            ("attendance", "0010_leave_cap_from_completion_rule"),
            ("certificates", "0010_leave_cap_moves_to_attendance"),
        ],
        after=[("certificates", "0011_absence_limit_moves_to_attendance")],
        rules={
            three: {"absence_limit_days": Decimal("3")},
            default: {"absence_limit_days": Decimal("2")},
        },
    )
    assert policy_for(three).absence_limit_days == Decimal("3")
    assert policy_for(default).absence_limit_days == Decimal("2")
    assert not AttendancePolicy.objects.filter(training_class=default).exists()
