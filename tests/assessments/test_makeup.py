"""补考: an organiser grants a trainee who failed the final exam one make-up attempt.

Who may grant it and when it is refused; exactly one extra attempt, in its own window and
under the exam's time limit; its result counts for completion, flagged 补考 wherever
results are shown (trainee pages, gradebook, export)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from assessments.errors import (
    AttemptLimitReached,
    MakeupAlreadyUsed,
    MakeupClassClosed,
    MakeupDeadlineInvalid,
    MakeupNoFinalExam,
    MakeupNotEligible,
    MakeupNotPermitted,
    MakeupReasonRequired,
    MakeupTraineePassed,
    QuizNotOpen,
)
from assessments.models import Attempt, ExamMakeup, Quiz
from assessments.selectors import (
    MakeupState,
    attempt_review_allowed,
    class_assessment_summary,
    final_exam_makeup_states,
    quiz_result_for,
)
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.makeup import MAKEUP_DAYS, final_exam_makeup_grant
from tests.assessments.factories import quiz_with, single
from tests.factories import trainee
from tests.training.factories import EnrolmentFactory, class_for_world
from training.models import TrainingClass

pytestmark = pytest.mark.django_db


def _take(quiz, who, *, correct: bool, now=None) -> Attempt:
    attempt = attempt_start(quiz=quiz, trainee=who, now=now)
    aq = attempt.questions.select_related("version").get()
    key = next(o["key"] for o in aq.version.data["options"] if o["correct"] is correct)
    attempt_answer_save(attempt_id=attempt.pk, trainee=who, position=1, answer=key, seq=1, now=now)
    return attempt_submit(attempt_id=attempt.pk, trainee=who, now=now)


@pytest.fixture
def exam(world):
    """The class's final exam (one attempt, 60 % to pass); trainee_a has failed it."""
    klass = class_for_world(world)
    quiz = quiz_with(
        [single()],
        training_class=klass,
        title="结业考试",
        is_final_exam=True,
        is_required=True,
        attempts_allowed=1,
    )
    _take(quiz, world.trainee_a, correct=False)
    return quiz


def _grant(quiz, world, **kwargs):
    kwargs.setdefault("actor", world.organiser)
    kwargs.setdefault("trainee", world.trainee_a)
    kwargs.setdefault("reason", "因病缺考后补考")
    return final_exam_makeup_grant(training_class=quiz.training_class, **kwargs)


# --- who may grant, and when it is refused ------------------------------------------------


def test_an_organiser_of_the_class_grants_a_makeup_with_a_reason_audited(exam, world):
    grant = _grant(exam, world)
    assert grant.quiz == exam and grant.trainee == world.trainee_a
    assert grant.reason == "因病缺考后补考" and grant.attempt is None
    assert grant.granted_by == world.organiser
    # The default window: a week from the grant.
    days = (grant.closes_at - grant.granted_at).days
    assert MAKEUP_DAYS - 1 <= days <= MAKEUP_DAYS
    entry = ModelLogEntry.objects.get(action="assessments.makeup_grant", object_id=str(grant.pk))
    assert entry.user == world.organiser
    assert entry.data["reason"] == "因病缺考后补考" and entry.data["first_percent"] == "0.00"


@pytest.mark.parametrize("who", ["organiser_other", "adviser", "instructor", "trainee_a"])
def test_only_an_organiser_of_the_classs_unit_may_grant(exam, world, who):
    with pytest.raises(MakeupNotPermitted):
        _grant(exam, world, actor=getattr(world, who))
    assert not ExamMakeup.objects.exists()


def test_a_city_organiser_above_the_county_may_grant(exam, world):
    assert _grant(exam, world, actor=world.city_organiser).granted_by == world.city_organiser


def test_a_reason_is_required(exam, world):
    with pytest.raises(MakeupReasonRequired):
        _grant(exam, world, reason="   ")
    assert not ExamMakeup.objects.exists()


def test_the_deadline_must_be_to_come(exam, world):
    with pytest.raises(MakeupDeadlineInvalid):
        _grant(exam, world, closes_at=timezone.now() - datetime.timedelta(minutes=1))


def test_refused_for_a_trainee_who_passed(world):
    klass = class_for_world(world)
    quiz = quiz_with([single()], training_class=klass, is_final_exam=True)
    _take(quiz, world.trainee_a, correct=True)
    with pytest.raises(MakeupTraineePassed):
        _grant(quiz, world)
    assert not ExamMakeup.objects.exists()


def test_refused_when_the_class_is_closed(exam, world):
    TrainingClass.objects.filter(pk=exam.training_class_id).update(
        status=TrainingClass.Status.CLOSED
    )
    with pytest.raises(MakeupClassClosed):
        _grant(exam, world)


def test_refused_while_attempts_remain_and_the_exam_is_open(world):
    klass = class_for_world(world)
    quiz = quiz_with([single()], training_class=klass, is_final_exam=True, attempts_allowed=2)
    _take(quiz, world.trainee_a, correct=False)
    with pytest.raises(MakeupNotEligible):
        _grant(quiz, world)


def test_a_trainee_who_never_sat_the_exam_is_eligible_once_it_closed(world):
    klass = class_for_world(world)
    now = timezone.now()
    quiz = quiz_with(
        [single()],
        training_class=klass,
        is_final_exam=True,
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now - datetime.timedelta(days=1),
    )
    assert final_exam_makeup_states(klass)[world.trainee_a.pk] == MakeupState.ELIGIBLE
    assert _grant(quiz, world).attempt is None


def test_refused_for_someone_not_on_the_roster_and_for_a_class_without_final_exam(exam, world):
    with pytest.raises(MakeupNotEligible):
        _grant(exam, world, trainee=trainee(full_name="外班学员"))
    other = class_for_world(world)
    with pytest.raises(MakeupNoFinalExam):
        final_exam_makeup_grant(
            actor=world.organiser, training_class=other, trainee=world.trainee_a, reason="x"
        )
    plain = quiz_with([single()], training_class=other)
    with pytest.raises(MakeupNoFinalExam):
        final_exam_makeup_grant(
            actor=world.organiser, quiz=plain, trainee=world.trainee_a, reason="x"
        )


def test_granting_twice_is_one_makeup_and_one_audit_entry(exam, world):
    first = _grant(exam, world)
    again = _grant(exam, world, reason="再次申请")
    assert again.pk == first.pk and again.reason == "因病缺考后补考"
    assert ExamMakeup.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="assessments.makeup_grant").count() == 1


def test_refused_once_the_makeup_was_taken(exam, world):
    _grant(exam, world)
    _take(exam, world.trainee_a, correct=False)
    with pytest.raises(MakeupAlreadyUsed):
        _grant(exam, world)


def test_a_makeup_whose_window_passed_unused_is_reopened_by_a_new_grant(exam, world):
    past = timezone.now() - datetime.timedelta(days=10)
    grant = _grant(exam, world, now=past, closes_at=past + datetime.timedelta(days=1))
    with pytest.raises(AttemptLimitReached):
        attempt_start(quiz=exam, trainee=world.trainee_a)
    again = _grant(exam, world, reason="延期补考")
    assert again.pk == grant.pk and again.reason == "延期补考"
    assert again.closes_at > timezone.now()
    assert attempt_start(quiz=exam, trainee=world.trainee_a).is_makeup


# --- exactly one extra attempt --------------------------------------------------------------


def test_the_makeup_gives_exactly_one_extra_attempt(exam, world):
    with pytest.raises(AttemptLimitReached):
        attempt_start(quiz=exam, trainee=world.trainee_a)
    grant = _grant(exam, world)
    made = _take(exam, world.trainee_a, correct=False)
    assert made.is_makeup and made.number == 2
    grant.refresh_from_db()
    assert grant.attempt == made
    with pytest.raises(AttemptLimitReached):
        attempt_start(quiz=exam, trainee=world.trainee_a)
    assert Attempt.objects.filter(quiz=exam, trainee=world.trainee_a).count() == 2
    assert ModelLogEntry.objects.filter(action="assessments.makeup_start").count() == 1


def test_starting_the_makeup_twice_resumes_it(exam, world):
    _grant(exam, world)
    first = attempt_start(quiz=exam, trainee=world.trainee_a)
    assert attempt_start(quiz=exam, trainee=world.trainee_a).pk == first.pk


def test_the_makeup_has_its_own_window_after_the_exam_closed(world):
    klass = class_for_world(world)
    now = timezone.now()
    quiz = quiz_with(
        [single()],
        training_class=klass,
        is_final_exam=True,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(days=1),
        time_limit_minutes=30,
    )
    _take(quiz, world.trainee_a, correct=False, now=now - datetime.timedelta(days=2))
    closes = now + datetime.timedelta(days=2)
    _grant(quiz, world, closes_at=closes, now=now)
    made = attempt_start(quiz=quiz, trainee=world.trainee_a, now=now)
    # The exam's time limit applies, not the exam's (past) closing time.
    assert made.is_makeup and made.deadline == now + datetime.timedelta(minutes=30)


def test_the_makeup_attempt_ends_at_the_makeup_deadline_if_sooner(world):
    klass = class_for_world(world)
    quiz = quiz_with([single()], training_class=klass, is_final_exam=True, time_limit_minutes=90)
    _take(quiz, world.trainee_a, correct=False)
    now = timezone.now()
    closes = now + datetime.timedelta(minutes=20)
    _grant(quiz, world, closes_at=closes, now=now)
    assert attempt_start(quiz=quiz, trainee=world.trainee_a, now=now).deadline == closes


def test_the_makeup_cannot_be_started_after_its_window_or_once_the_class_closed(exam, world):
    now = timezone.now()
    _grant(exam, world, closes_at=now + datetime.timedelta(hours=1), now=now)
    with pytest.raises(AttemptLimitReached):
        attempt_start(quiz=exam, trainee=world.trainee_a, now=now + datetime.timedelta(hours=2))
    TrainingClass.objects.filter(pk=exam.training_class_id).update(
        status=TrainingClass.Status.CLOSED
    )
    with pytest.raises(MakeupClassClosed):
        attempt_start(quiz=exam, trainee=world.trainee_a, now=now)
    assert not Attempt.objects.filter(is_makeup=True).exists()


def test_a_closed_exam_without_makeup_stays_closed(world):
    klass = class_for_world(world)
    now = timezone.now()
    quiz = quiz_with(
        [single()],
        training_class=klass,
        is_final_exam=True,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(days=1),
    )
    with pytest.raises(QuizNotOpen):
        attempt_start(quiz=quiz, trainee=world.trainee_a)


# --- the result: real score, flagged 补考, counted for completion ------------------------------


def test_a_passed_makeup_counts_for_completion_with_its_real_score(exam, world):
    _grant(exam, world)
    _take(exam, world.trainee_a, correct=True)
    result = quiz_result_for(quiz=exam, trainee=world.trainee_a)
    assert result.passed is True and result.makeup is True
    assert result.percent == Decimal("100.00")  # not capped at the pass mark
    assert result.first_percent == Decimal("0.00")
    summary = class_assessment_summary(training_class=exam.training_class)[world.trainee_a.pk]
    assert summary.final_exam_passed is True and summary.final_exam_by_makeup is True
    assert summary.final_exam_score == Decimal("100.00") and summary.complete

    from certificates.completion import class_summaries, completion_evaluate, for_trainee
    from certificates.models import CompletionRule

    rule = CompletionRule(
        training_class=exam.training_class,
        quizzes_required=False,
        written_work_required=False,
    )
    _attendance, assessment = class_summaries(training_class=exam.training_class)
    outcome = completion_evaluate(
        rule=rule,
        attendance=None,
        assessment=for_trainee(assessment, world.trainee_a.pk, empty_means_none_set=True),
    )
    assert "final_exam_failed" not in outcome.codes


def test_a_failed_makeup_is_still_a_failed_exam(exam, world):
    _grant(exam, world)
    _take(exam, world.trainee_a, correct=False)
    summary = class_assessment_summary(training_class=exam.training_class)[world.trainee_a.pk]
    assert summary.final_exam_passed is False and summary.final_exam_by_makeup is True


def test_makeup_states_of_a_class(world):
    klass = class_for_world(world)
    names = ["已通过", "未通过", "已准予", "补考通过", "补考未通过", "还有机会"]
    people = {name: trainee(full_name=name) for name in names}
    for who in people.values():
        EnrolmentFactory(training_class=klass, trainee=who)
    quiz = quiz_with([single()], training_class=klass, is_final_exam=True, attempts_allowed=1)
    _take(quiz, people["已通过"], correct=True)
    for name in ["未通过", "已准予", "补考通过", "补考未通过"]:
        _take(quiz, people[name], correct=False)
    for name in ["已准予", "补考通过", "补考未通过"]:
        _grant(quiz, world, trainee=people[name])
    _take(quiz, people["补考通过"], correct=True)
    _take(quiz, people["补考未通过"], correct=False)
    Quiz.objects.filter(pk=quiz.pk).update(attempts_allowed=2)
    quiz.refresh_from_db()

    states = final_exam_makeup_states(klass)
    assert {name: states[who.pk] for name, who in people.items()} == {
        "已通过": MakeupState.NONE,
        "未通过": MakeupState.NONE,  # a second attempt is open to them now
        "已准予": MakeupState.GRANTED,
        "补考通过": MakeupState.USED_PASSED,
        "补考未通过": MakeupState.USED_FAILED,
        "还有机会": MakeupState.NONE,
    }
    assert states[world.trainee_a.pk] == MakeupState.NONE  # never sat; the exam is open


def test_answers_shown_after_close_wait_for_the_last_makeup(world):
    klass = class_for_world(world)
    now = timezone.now()
    quiz = quiz_with(
        [single()],
        training_class=klass,
        is_final_exam=True,
        review=Quiz.Review.AFTER_CLOSE,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(days=1),
    )
    attempt = _take(quiz, world.trainee_a, correct=False, now=now - datetime.timedelta(days=2))
    assert attempt_review_allowed(attempt=attempt, now=now)
    _grant(quiz, world, closes_at=now + datetime.timedelta(days=2), now=now)
    assert not attempt_review_allowed(attempt=attempt, now=now)
    assert attempt_review_allowed(attempt=attempt, now=now + datetime.timedelta(days=3))


# --- screens -----------------------------------------------------------------------------------


def test_the_trainee_sees_the_makeup_starts_it_and_reads_the_pass_as_makeup(exam, world, client):
    client.force_login(world.trainee_a)
    url = reverse("assessments:quiz_detail", args=[exam.pk])
    page = client.get(url).content.decode()
    assert "补考" not in page and "您已用完该测验允许的作答次数" in page
    _grant(exam, world)
    page = client.get(url).content.decode()
    assert "已准予您补考" in page and "开始补考" in page
    response = client.post(reverse("assessments:attempt_start", args=[exam.pk]))
    made = Attempt.objects.get(is_makeup=True)
    assert response["Location"] == reverse("assessments:attempt_take", args=[made.pk])
    key = next(o["key"] for o in made.questions.get().version.data["options"] if o["correct"])
    attempt_answer_save(attempt_id=made.pk, trainee=world.trainee_a, position=1, answer=key, seq=1)
    attempt_submit(attempt_id=made.pk, trainee=world.trainee_a)
    page = client.get(url).content.decode()
    assert "补考通过 · 得分率 100%" in page and "开始补考" not in page
    result = client.get(reverse("assessments:attempt_result", args=[made.pk])).content.decode()
    assert "补考" in result
    record = client.get(reverse("assessments:my_work")).content.decode()
    assert "补考通过 · 得分率 100%" in record


def test_gradebook_offers_the_grant_to_the_organiser_only(exam, world, client):
    url = reverse("assessments_admin:gradebook_class", args=[exam.training_class_id])
    grant_url = reverse(
        "assessments_admin:makeup_grant", args=[exam.training_class_id, world.trainee_a.pk]
    )
    client.force_login(world.organiser)
    page = client.get(url).content.decode()
    assert "准予补考" in page and grant_url in page
    client.force_login(world.adviser)
    page = client.get(url).content.decode()
    assert "准予补考" not in page and grant_url not in page


def test_the_grant_page_grants_with_a_reason_and_returns(exam, world, client):
    url = reverse(
        "assessments_admin:makeup_grant", args=[exam.training_class_id, world.trainee_a.pk]
    )
    client.force_login(world.organiser)
    page = client.get(url).content.decode()
    assert "0 / 2" in page and "得分率 60%" in page  # 得分 / 满分, the pass mark as a rate
    closes = timezone.localtime(timezone.now() + datetime.timedelta(days=3))
    response = client.post(url, {"reason": "", "closes_at": closes.strftime("%Y-%m-%d %H:%M")})
    assert response.status_code == 200 and not ExamMakeup.objects.exists()
    back = reverse("assessments_admin:gradebook_class", args=[exam.training_class_id])
    response = client.post(
        url,
        {"reason": "病假缺考", "closes_at": closes.strftime("%Y-%m-%d %H:%M"), "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    grant = ExamMakeup.objects.get()
    assert grant.reason == "病假缺考"
    assert timezone.localtime(grant.closes_at).strftime("%Y-%m-%d %H:%M") == closes.strftime(
        "%Y-%m-%d %H:%M"
    )
    page = client.get(back).content.decode()
    assert "已准予补考" in page


def test_the_grant_page_is_404_for_another_county_and_for_advisers(exam, world, client):
    url = reverse(
        "assessments_admin:makeup_grant", args=[exam.training_class_id, world.trainee_a.pk]
    )
    for who in (world.organiser_other, world.adviser, world.instructor):
        client.force_login(who)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "closes_at": "2099-01-01 00:00"}).status_code == 404
    assert not ExamMakeup.objects.exists()


def test_the_export_flags_the_makeup(exam, world, client):
    _grant(exam, world)
    _take(exam, world.trainee_a, correct=True)
    client.force_login(world.organiser)
    export = client.get(
        reverse("assessments_admin:gradebook_class_export", args=[exam.training_class_id])
    )
    rows = list(load_workbook(io.BytesIO(export.getvalue())).active.iter_rows(values_only=True))
    mine = dict(zip(rows[0], rows[1], strict=True))
    assert mine["结业考试（是否通过）"] == "通过（补考）"
    assert mine["结业考试（是否补考）"] == "是"
    assert mine["结业考试（得分率%）"] == 100.0
    assert mine["结业考试（作答次数）"] == 2


def test_the_completion_review_shows_the_makeup_beside_the_other_exceptions(exam, world, client):
    """The organiser deciding completion sees who may be granted 补考, and how it went."""
    url = reverse("certificates_admin:class_detail", args=[exam.training_class_id])
    grant_url = reverse(
        "assessments_admin:makeup_grant", args=[exam.training_class_id, world.trainee_a.pk]
    )
    client.force_login(world.organiser)
    page = client.get(url).content.decode()
    assert "准予补考" in page and grant_url in page
    _grant(exam, world)
    _take(exam, world.trainee_a, correct=True)
    page = client.get(url).content.decode()
    assert 'data-makeup-action="used-passed"' in page and "补考通过" in page
