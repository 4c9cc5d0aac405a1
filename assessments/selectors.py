"""Reads: what a trainee may take and see, what staff may grade, results and gradebooks."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, Max, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from people.models import User
from people.roles import Role, has_role
from people.selectors import within_units_q
from training.models import Enrolment, TrainingClass
from training.selectors import can_manage_class, class_list_for_staff

from .models import (
    PASSING_GRADES,
    Assignment,
    Attempt,
    AttemptQuestion,
    ExamMakeup,
    Quiz,
    Submission,
    answer_cutoff,
)

ACTIVE_ENROLMENT = Enrolment.STAYED


# --- trainees ------------------------------------------------------------------------


def quiz_is_available_to(*, quiz: Quiz, trainee) -> bool:
    """Class quizzes are for the class's trainees; lesson quizzes for anyone signed in."""
    if not trainee.is_authenticated:
        return False
    if quiz.training_class_id is None:
        return True
    return Enrolment.objects.filter(
        training_class_id=quiz.training_class_id, trainee=trainee, status__in=ACTIVE_ENROLMENT
    ).exists()


def quiz_get_for_trainee(*, trainee, pk: int) -> Quiz:
    quiz = Quiz.objects.select_related("training_class").filter(pk=pk).first()
    if quiz is None or not quiz_is_available_to(quiz=quiz, trainee=trainee):
        raise Http404
    return quiz


def _trainee_class_ids(trainee) -> list[int]:
    return list(
        Enrolment.objects.filter(trainee=trainee, status__in=ACTIVE_ENROLMENT).values_list(
            "training_class_id", flat=True
        )
    )


def quiz_list_for_trainee(*, trainee) -> QuerySet[Quiz]:
    """The trainee's class quizzes and exams (lesson quizzes are reached from lessons)."""
    return (
        Quiz.objects.filter(training_class_id__in=_trainee_class_ids(trainee))
        .select_related("training_class")
        .order_by("-is_final_exam", "closes_at", "title")
    )


def assignment_list_for_trainee(*, trainee) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(training_class_id__in=_trainee_class_ids(trainee))
        .select_related("training_class")
        .order_by("due_at", "title")
    )


def assignment_get_for_trainee(*, trainee, pk: int) -> Assignment:
    assignment = Assignment.objects.filter(pk=pk).first()
    if assignment is None:
        raise Http404
    if (
        assignment.training_class_id is not None
        and not Enrolment.objects.filter(
            training_class_id=assignment.training_class_id,
            trainee=trainee,
            status__in=ACTIVE_ENROLMENT,
        ).exists()
    ):
        raise Http404
    return assignment


def attempt_get_for_trainee(*, trainee, pk: int, with_quiz: bool = True) -> Attempt:
    """Only the trainee's own attempt; anyone else's is reported as not existing.

    `with_quiz=False` for the autosave and submit requests, which need only the attempt."""
    attempts = Attempt.objects.filter(pk=pk, trainee=trainee).order_by()
    if with_quiz:
        attempts = attempts.select_related("quiz")
    attempt = attempts.first()
    if attempt is None:
        raise Http404
    return attempt


def attempt_questions(*, attempt: Attempt) -> list[AttemptQuestion]:
    return list(attempt.questions.select_related("version").order_by("position"))


def attempt_review_allowed(*, attempt: Attempt, now=None) -> bool:
    """Whether correct answers and explanations may be shown for this attempt now."""
    if attempt.status != Attempt.Status.SUBMITTED:
        return False
    review = attempt.quiz.review
    if review == Quiz.Review.AFTER_SUBMIT:
        return True
    if review == Quiz.Review.AFTER_CLOSE:
        # Not at closes_at itself: answers saved in the grace after it are still taken,
        # and a trainee who saw the key in another tab could still change theirs.
        cutoff = answer_cutoff(exam_closes_at(quiz=attempt.quiz))
        return cutoff is not None and (now or timezone.now()) > cutoff
    return False


def exam_closes_at(*, quiz: Quiz):
    """When the quiz is over for everyone: its closing time, or for a final exam with
    make-ups (补考) the last make-up's deadline if later, so that answers shown "after the
    quiz closes" wait until nobody may still take it."""
    closes = quiz.closes_at
    if closes is None or not quiz.is_final_exam:
        return closes
    last = ExamMakeup.objects.filter(quiz=quiz).aggregate(last=Max("closes_at"))["last"]
    return max(closes, last) if last else closes


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizResult:
    attempts: int
    percent: Decimal | None  # None: nothing graded yet
    passed: bool | None
    pending: bool = False
    in_progress: bool = False
    # 补考: the trainee has a make-up attempt, and the figures above are the make-up's
    # (its real score: a make-up's score is not capped at the pass mark).
    makeup: bool = False
    first_percent: Decimal | None = None  # the result before the make-up


def _get(a, name):
    return a[name] if isinstance(a, dict) else getattr(a, name)


def _combine(quiz: Quiz, attempts: list) -> QuizResult:
    """The regular attempts combined by the quiz's grading method."""
    done = sorted(
        (a for a in attempts if _get(a, "status") == Attempt.Status.SUBMITTED),
        key=lambda a: _get(a, "number"),
    )
    in_progress = any(_get(a, "status") == Attempt.Status.IN_PROGRESS for a in attempts)
    graded = [a for a in done if not _get(a, "pending_manual")]
    method = quiz.grading_method
    percent = None
    if method in (Quiz.GradingMethod.FIRST, Quiz.GradingMethod.LAST):
        pick = (done[0] if method == Quiz.GradingMethod.FIRST else done[-1]) if done else None
        pending = bool(pick and _get(pick, "pending_manual"))
        if pick is not None and not pending:
            percent = _get(pick, "percent")
    else:
        pending = len(graded) < len(done)
        if method == Quiz.GradingMethod.HIGHEST and graded:
            percent = max(_get(a, "percent") for a in graded)
        elif method == Quiz.GradingMethod.AVERAGE and graded and not pending:
            percent = (sum(_get(a, "percent") for a in graded) / len(graded)).quantize(
                Decimal("0.01")
            )
    passed = None if percent is None else percent >= quiz.pass_mark
    if pending and not passed:
        passed = None  # an ungraded essay could still lift the result over the pass mark
    return QuizResult(
        attempts=len(attempts),
        percent=percent,
        passed=passed,
        pending=pending,
        in_progress=in_progress,
    )


def quiz_result(*, quiz: Quiz, attempts: list) -> QuizResult:
    """Combine one trainee's attempts by the quiz's grading method.

    `attempts` are Attempt rows or dicts with number, status, percent, pending_manual
    and is_makeup. A make-up attempt (补考) is not combined with the others: a trainee who
    failed and then took the make-up has the make-up's result, flagged as such.
    """
    regular = [a for a in attempts if not _get(a, "is_makeup")]
    makeup = next((a for a in attempts if _get(a, "is_makeup")), None)
    base = _combine(quiz, regular)
    if makeup is None or base.passed:
        return replace(base, attempts=len(attempts))
    status, pending = _get(makeup, "status"), bool(_get(makeup, "pending_manual"))
    graded = status == Attempt.Status.SUBMITTED and not pending
    percent = _get(makeup, "percent") if graded else None
    return QuizResult(
        attempts=len(attempts),
        percent=percent,
        passed=(percent >= quiz.pass_mark) if graded else None,
        pending=status == Attempt.Status.SUBMITTED and pending,
        in_progress=status == Attempt.Status.IN_PROGRESS,
        makeup=True,
        first_percent=base.percent,
    )


def quiz_result_for(*, quiz: Quiz, trainee) -> QuizResult:
    return quiz_result(quiz=quiz, attempts=list(Attempt.objects.filter(quiz=quiz, trainee=trainee)))


@dataclass(frozen=True)
class AssessmentSummary:
    """What completion needs to know of one trainee's assessed work in a class."""

    trainee_id: int
    final_exam_passed: bool | None  # None: the class has no final exam
    final_exam_score: Decimal | None  # percentage (0-100) by the exam's grading method
    failed_quizzes: list[str] = field(default_factory=list)
    missing_written_work: list[str] = field(default_factory=list)
    pending_grading: bool = False
    # 补考: the final exam's result is that of the make-up attempt (passed or not); its
    # score is the make-up's real score.
    final_exam_by_makeup: bool = False

    @property
    def complete(self) -> bool:
        return (
            self.final_exam_passed is not False
            and not self.failed_quizzes
            and not self.missing_written_work
        )


_ATTEMPT_FIELDS = (
    "quiz_id",
    "trainee_id",
    "number",
    "status",
    "percent",
    "pending_manual",
    "is_makeup",
)


def _results_by_trainee(quizzes: list[Quiz], trainee_ids) -> dict[tuple[int, int], QuizResult]:
    grouped: dict[tuple[int, int], list[dict]] = defaultdict(list)
    rows = Attempt.objects.filter(quiz__in=quizzes)
    if trainee_ids is not None:
        rows = rows.filter(trainee_id__in=trainee_ids)
    for row in rows.values(*_ATTEMPT_FIELDS):
        grouped[(row["quiz_id"], row["trainee_id"])].append(row)
    by_id = {q.pk: q for q in quizzes}
    return {key: quiz_result(quiz=by_id[key[0]], attempts=rows) for key, rows in grouped.items()}


def class_assessment_summary(*, training_class: TrainingClass) -> dict[int, AssessmentSummary]:
    """Per trainee of the class (by user id): final exam, failed required quizzes and
    required written work not graded 合格 or better. Five queries whatever the class size."""
    trainee_ids = list(
        Enrolment.objects.filter(
            training_class=training_class, status__in=ACTIVE_ENROLMENT
        ).values_list("trainee_id", flat=True)
    )
    quizzes = list(
        Quiz.objects.filter(training_class=training_class).filter(
            Q(is_required=True) | Q(is_final_exam=True)
        )
    )
    results = _results_by_trainee(quizzes, trainee_ids)
    assignments = list(
        Assignment.objects.filter(training_class=training_class, is_required=True).order_by("title")
    )
    graded_ok = set(
        Submission.objects.filter(
            assignment__in=assignments,
            trainee_id__in=trainee_ids,
            status=Submission.Status.GRADED,
            grade__in=PASSING_GRADES,
        ).values_list("assignment_id", "trainee_id")
    )
    final = next((q for q in quizzes if q.is_final_exam), None)
    empty = QuizResult(attempts=0, percent=None, passed=None)
    summary = {}
    for tid in trainee_ids:
        failed, pending = [], False
        exam_passed, exam_score, by_makeup = None, None, False
        for quiz in quizzes:
            result = results.get((quiz.pk, tid), empty)
            pending = pending or result.pending
            if quiz is final:
                exam_passed, exam_score = bool(result.passed), result.percent
                by_makeup = result.makeup
            elif not result.passed:
                failed.append(quiz.title)
        summary[tid] = AssessmentSummary(
            trainee_id=tid,
            final_exam_passed=exam_passed if final is not None else None,
            final_exam_score=exam_score,
            failed_quizzes=failed,
            missing_written_work=[a.title for a in assignments if (a.pk, tid) not in graded_ok],
            pending_grading=pending,
            final_exam_by_makeup=by_makeup,
        )
    return summary


# --- 补考 (make-up exam) ------------------------------------------------------------


class MakeupState:
    """Where a trainee stands with the make-up of a class's final exam."""

    NONE = "none"  # not for them: passed, attempts left while the exam is open, ungraded…
    ELIGIBLE = "eligible"  # failed (or did not pass by the close): an organiser may grant
    GRANTED = "granted"  # granted; not taken yet, under way or awaiting grading
    USED_PASSED = "used-passed"
    USED_FAILED = "used-failed"


def final_exam_of(*, training_class) -> Quiz | None:
    return Quiz.objects.filter(training_class=training_class, is_final_exam=True).first()


def makeup_state(*, quiz: Quiz, attempts: list, grant, class_closed: bool, now=None) -> str:
    """The state of one trainee (their attempts of the exam, as rows or dicts, and their
    ExamMakeup or None). Eligible: the exam is not passed, nothing of it is in progress or
    awaiting grading, and either the attempts allowed are used or the exam has closed
    (which covers a trainee who never sat it); never once the class is closed."""
    if grant is not None:
        made = next((a for a in attempts if _get(a, "is_makeup")), None)
        if (
            made is None
            or _get(made, "status") != Attempt.Status.SUBMITTED
            or _get(made, "pending_manual")
        ):
            return MakeupState.GRANTED
        passed = _get(made, "percent") >= quiz.pass_mark
        return MakeupState.USED_PASSED if passed else MakeupState.USED_FAILED
    if class_closed:
        return MakeupState.NONE
    regular = [a for a in attempts if not _get(a, "is_makeup")]
    result = _combine(quiz, regular)
    if result.passed or result.pending or result.in_progress:
        return MakeupState.NONE
    used_up = bool(quiz.attempts_allowed) and len(regular) >= quiz.attempts_allowed
    return MakeupState.ELIGIBLE if used_up or quiz.is_closed(now) else MakeupState.NONE


def final_exam_makeup_states(training_class, *, now=None) -> dict[int, str]:
    """{trainee id: MakeupState} for every trainee on the class's roster; all NONE when
    the class has no final exam. Three queries whatever the class size."""
    trainee_ids = list(
        Enrolment.objects.filter(
            training_class=training_class, status__in=ACTIVE_ENROLMENT
        ).values_list("trainee_id", flat=True)
    )
    final = final_exam_of(training_class=training_class)
    if final is None:
        return dict.fromkeys(trainee_ids, MakeupState.NONE)
    attempts: dict[int, list] = defaultdict(list)
    for row in Attempt.objects.filter(quiz=final, trainee_id__in=trainee_ids).values(
        *_ATTEMPT_FIELDS
    ):
        attempts[row["trainee_id"]].append(row)
    grants = {
        g.trainee_id: g for g in ExamMakeup.objects.filter(quiz=final, trainee_id__in=trainee_ids)
    }
    closed = training_class.status == TrainingClass.Status.CLOSED
    return {
        tid: makeup_state(
            quiz=final,
            attempts=attempts.get(tid, []),
            grant=grants.get(tid),
            class_closed=closed,
            now=now,
        )
        for tid in trainee_ids
    }


def makeup_for_trainee(*, quiz: Quiz, trainee) -> ExamMakeup | None:
    if not quiz.is_final_exam:
        return None
    return ExamMakeup.objects.filter(quiz=quiz, trainee=trainee).first()


@dataclass
class MakeupCase:
    """What the staff page on one trainee's make-up shows."""

    training_class: TrainingClass
    quiz: Quiz
    trainee: object
    attempts: list
    result: QuizResult
    grant: ExamMakeup | None
    state: str


def makeup_case_for_staff(*, viewer, class_pk: int, trainee_id: int, now=None) -> MakeupCase:
    """Organisers of the class's unit only (and superusers); anyone else, a class without
    a final exam and a trainee not on its roster get 404."""
    klass = class_list_for_staff(viewer=viewer).filter(pk=class_pk).first()
    if klass is None or not can_manage_class(viewer, klass):
        raise Http404
    quiz = final_exam_of(training_class=klass)
    trainee = (
        User.objects.filter(
            pk=trainee_id,
            enrolments__training_class=klass,
            enrolments__status__in=ACTIVE_ENROLMENT,
        )
        .select_related("org_unit")
        .first()
    )
    if quiz is None or trainee is None:
        raise Http404
    attempts = list(Attempt.objects.filter(quiz=quiz, trainee=trainee).order_by("number"))
    grant = (
        ExamMakeup.objects.filter(quiz=quiz, trainee=trainee).select_related("granted_by").first()
    )
    return MakeupCase(
        training_class=klass,
        quiz=quiz,
        trainee=trainee,
        attempts=attempts,
        result=quiz_result(quiz=quiz, attempts=attempts),
        grant=grant,
        state=makeup_state(
            quiz=quiz,
            attempts=attempts,
            grant=grant,
            class_closed=klass.status == TrainingClass.Status.CLOSED,
            now=now,
        ),
    )


# --- staff ---------------------------------------------------------------------------


def is_grader(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or has_role(user, Role.INSTRUCTOR) or has_role(user, Role.ORGANISER)
    )


def is_assessment_staff(user) -> bool:
    return is_grader(user) or (user.is_authenticated and has_role(user, Role.ADVISER))


def _class_ids_for_staff(viewer) -> QuerySet:
    return class_list_for_staff(viewer=viewer).values("pk")


# The grading scope, in one place. Work (attempts, essay answers, written work) on a quiz or
# assignment of a training class belongs to that class: the class's instructors, advisers
# and the organisers of its organising unit see it. Work on course-level items (no class)
# belongs to the course: its instructors see everyone's, an organiser only that of the
# trainees of the units it manages. Every staff list, grading form, download and gradebook
# below filters through `_work_q`, and the grading services check it again.


def _taught_courses(viewer) -> QuerySet:
    """The course pages the viewer teaches, through the reverse side of the course's
    `instructors` field (courses sits above this app: its models are not imported here)."""
    return viewer.taught_courses.values("pk")


def _quizzes_placed_in_taught_courses(viewer):
    """Ids of quizzes placed (the lesson `quiz` block) in lessons of the viewer's courses,
    through Wagtail's reference index: one query for the course paths, then a subquery.
    A course's child pages are its lessons; the index files them under Page."""
    q = Q()
    for path, depth in viewer.taught_courses.values_list("path", "depth"):
        q |= Q(path__startswith=path, depth=depth + 1)
    if not q:
        return []
    lessons = Page.objects.filter(q).annotate(key=Cast("pk", CharField())).values("key")
    return (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            to_content_type=ContentType.objects.get_for_model(Quiz),
            object_id__in=lessons,
        )
        .annotate(quiz_id=Cast("to_object_id", BigIntegerField()))
        .values("quiz_id")
    )


def _work_q(viewer, *, item: str, trainee: str, quizzes: bool) -> Q:
    """Work the viewer may see: `item` is the path to its Quiz or Assignment, `trainee`
    the path to whoever did it. Subqueries only, so lists stay one query without joins
    that would repeat rows."""
    if viewer.is_superuser:
        return Q()
    q = Q(**{f"{item}__training_class__in": _class_ids_for_staff(viewer)})
    if has_role(viewer, Role.INSTRUCTOR):
        q |= Q(**{f"{item}__course_page__in": _taught_courses(viewer)})
        if quizzes:
            q |= Q(**{f"{item}__in": _quizzes_placed_in_taught_courses(viewer)})
    if has_role(viewer, Role.ORGANISER):
        q |= Q(**{f"{item}__training_class__isnull": True}) & within_units_q(
            viewer, field=f"{trainee}__org_unit"
        )
    return q


def attempt_scope_q(viewer) -> Q:
    """On Attempt rows."""
    return _work_q(viewer, item="quiz", trainee="trainee", quizzes=True)


def answer_scope_q(viewer) -> Q:
    """On AttemptQuestion rows."""
    return _work_q(viewer, item="attempt__quiz", trainee="attempt__trainee", quizzes=True)


def submission_scope_q(viewer) -> Q:
    """On Submission rows."""
    return _work_q(viewer, item="assignment", trainee="trainee", quizzes=False)


def quiz_list_for_staff(*, viewer) -> QuerySet[Quiz]:
    """Quizzes the viewer may see and edit: of its classes, of the courses it teaches, its
    own, and for organisers every course-level quiz (whose answers they see only for
    trainees of their units)."""
    if viewer.is_superuser:
        return Quiz.objects.all()
    if not is_assessment_staff(viewer):
        return Quiz.objects.none()
    q = Q(training_class__in=_class_ids_for_staff(viewer)) | Q(created_by=viewer)
    if has_role(viewer, Role.INSTRUCTOR):
        q |= Q(course_page__in=_taught_courses(viewer)) | Q(
            pk__in=_quizzes_placed_in_taught_courses(viewer)
        )
    if has_role(viewer, Role.ORGANISER):
        q |= Q(training_class__isnull=True)
    return Quiz.objects.filter(q)


def assignment_list_for_staff(*, viewer) -> QuerySet[Assignment]:
    """As `quiz_list_for_staff`, for written work."""
    if viewer.is_superuser:
        return Assignment.objects.all()
    if not is_assessment_staff(viewer):
        return Assignment.objects.none()
    q = Q(training_class__in=_class_ids_for_staff(viewer)) | Q(created_by=viewer)
    if has_role(viewer, Role.INSTRUCTOR):
        q |= Q(course_page__in=_taught_courses(viewer))
    if has_role(viewer, Role.ORGANISER):
        q |= Q(training_class__isnull=True)
    return Assignment.objects.filter(q)


def answer_list_for_grader(*, viewer) -> QuerySet[AttemptQuestion]:
    """Essay answers of submitted attempts that the viewer may grade (and re-grade)."""
    if not is_grader(viewer):
        return AttemptQuestion.objects.none()
    return AttemptQuestion.objects.filter(
        answer_scope_q(viewer),
        attempt__status=Attempt.Status.SUBMITTED,
        version__data__type="essay",
    )


def submission_list_for_grader(*, viewer) -> QuerySet[Submission]:
    if not is_grader(viewer):
        return Submission.objects.none()
    return Submission.objects.filter(submission_scope_q(viewer))


def grading_queue_answers(*, viewer) -> QuerySet[AttemptQuestion]:
    if not is_grader(viewer):
        return AttemptQuestion.objects.none()
    return (
        AttemptQuestion.objects.filter(
            answer_scope_q(viewer),
            needs_grading=True,
            attempt__status=Attempt.Status.SUBMITTED,
        )
        .select_related("attempt__quiz", "attempt__trainee", "version")
        .order_by("attempt__submitted_at", "position")
    )


def grading_queue_submissions(*, viewer) -> QuerySet[Submission]:
    return (
        submission_list_for_grader(viewer=viewer)
        .filter(status=Submission.Status.SUBMITTED)
        .select_related("assignment", "trainee")
        .order_by("submitted_at")
    )


def graded_recently_answers(*, viewer) -> QuerySet[AttemptQuestion]:
    """Hand-graded answers the viewer may grade, newest grade first: the way to re-grade."""
    if not is_grader(viewer):
        return AttemptQuestion.objects.none()
    return (
        AttemptQuestion.objects.filter(
            answer_scope_q(viewer),
            graded_at__isnull=False,
            attempt__status=Attempt.Status.SUBMITTED,
        )
        .select_related("attempt__quiz", "attempt__trainee", "version", "graded_by")
        .order_by("-graded_at")
    )


def graded_recently_submissions(*, viewer) -> QuerySet[Submission]:
    return (
        submission_list_for_grader(viewer=viewer)
        .filter(status=Submission.Status.GRADED)
        .select_related("assignment", "trainee", "graded_by")
        .order_by("-graded_at")
    )


def answer_get_for_grader(*, viewer, pk: int) -> AttemptQuestion:
    """Any hand-graded answer the viewer may grade (also already graded ones: re-grading);
    another's answer, in scope elsewhere or not at all, is reported as not existing."""
    aq = (
        answer_list_for_grader(viewer=viewer)
        .filter(pk=pk)
        .select_related("attempt__quiz", "attempt__trainee", "version")
        .first()
    )
    if aq is None:
        raise Http404
    return aq


def submission_get_for_grader(*, viewer, pk: int) -> Submission:
    sub = (
        submission_list_for_grader(viewer=viewer)
        .filter(pk=pk)
        .select_related("assignment", "trainee")
        .first()
    )
    if sub is None:
        raise Http404
    return sub


def submission_get_for_viewer(*, viewer, pk: int) -> Submission:
    """The file's owner, or staff whose grading scope holds the work."""
    sub = Submission.objects.select_related("assignment").filter(pk=pk).first()
    if sub is None:
        raise Http404
    if sub.trainee_id == viewer.pk:
        return sub
    if (
        is_assessment_staff(viewer)
        and Submission.objects.filter(submission_scope_q(viewer), pk=pk).exists()
    ):
        return sub
    raise Http404


# --- gradebook -----------------------------------------------------------------------


@dataclass
class GradebookRow:
    trainee: object
    quiz_results: list  # QuizResult per column
    submissions: list  # Submission | None per column
    makeup_state: str | None = None  # 补考, on a class's gradebook shown to its organisers


@dataclass
class Gradebook:
    title: str
    quizzes: list
    assignments: list
    rows: list = field(default_factory=list)
    # A course's gradebook also shows study: its number of lessons (None on a class's).
    lesson_count: int | None = None
    # A class's gradebook: the class, and whether the viewer may grant make-up exams there
    # (its final exam is its last quiz column: quizzes are ordered final exam last).
    training_class: object = None
    manages_makeups: bool = False


def gradebook_build(title, quizzes, assignments, trainees, *, row=GradebookRow) -> Gradebook:
    """A gradebook of these columns and trainees; `row` is the class of its rows (a
    course's gradebook adds study progress to them, courses.gradebook)."""
    trainee_ids = [t.pk for t in trainees]
    results = _results_by_trainee(quizzes, trainee_ids)
    subs = {
        (s.assignment_id, s.trainee_id): s
        for s in Submission.objects.filter(
            assignment__in=assignments, trainee_id__in=trainee_ids
        ).select_related("assignment")
    }
    empty = QuizResult(attempts=0, percent=None, passed=None)
    book = Gradebook(title=title, quizzes=quizzes, assignments=assignments)
    for trainee in trainees:
        book.rows.append(
            row(
                trainee=trainee,
                quiz_results=[results.get((q.pk, trainee.pk), empty) for q in quizzes],
                submissions=[subs.get((a.pk, trainee.pk)) for a in assignments],
            )
        )
    return book


def gradebook_for_class(*, viewer, pk: int) -> Gradebook:
    klass = class_list_for_staff(viewer=viewer).filter(pk=pk).first()
    if klass is None or not is_assessment_staff(viewer):
        raise Http404
    trainees = list(
        User.objects.filter(
            enrolments__training_class=klass, enrolments__status__in=ACTIVE_ENROLMENT
        )
        .select_related("org_unit")
        .order_by("full_name", "pk")
    )
    quizzes = list(Quiz.objects.filter(training_class=klass).order_by("is_final_exam", "title"))
    assignments = list(Assignment.objects.filter(training_class=klass).order_by("title"))
    book = gradebook_build(klass.name, quizzes, assignments, trainees)
    book.training_class = klass
    if any(q.is_final_exam for q in quizzes) and can_manage_class(viewer, klass):
        book.manages_makeups = True
        states = final_exam_makeup_states(klass)
        for row in book.rows:
            row.makeup_state = states.get(row.trainee.pk, MakeupState.NONE)
    return book


def now():
    return timezone.now()
