"""Completion rules applied to protocol-shaped summaries: what is missing, exactly."""

from decimal import Decimal

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


def test_leave_exactly_one_seventh_passes_and_more_fails():
    rule = _rule()
    six_of_42 = (Decimal(6) / Decimal(42)).quantize(Decimal("0.0001"))  # as attendance reports
    ok = completion_evaluate(
        rule=rule, attendance=FakeAttendance(leave_share=six_of_42), assessment=FakeAssessment()
    )
    over = completion_evaluate(
        rule=rule,
        attendance=FakeAttendance(leave_share=Decimal("6.5") / Decimal(42)),
        assessment=FakeAssessment(),
    )
    assert ok.complete
    assert over.codes == ["leave_over_cap"]
    assert over.missing[0].detail == "15.5% > 14.3%"


def test_two_days_of_unexcused_absence_fail_one_and_a_half_pass():
    rule = _rule()
    passes = completion_evaluate(
        rule=rule, attendance=FakeAttendance(absent_days=Decimal("1.5")), assessment=None
    )
    fails = completion_evaluate(
        rule=rule, attendance=FakeAttendance(absent_days=Decimal("2")), assessment=None
    )
    assert "absence_over_limit" not in passes.codes
    assert "absence_over_limit" in fails.codes


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
