"""Trainee pages: my assessed work, taking a quiz (autosave JSON), results, written work."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.errors import DomainError
from training.models import TrainingClass

from .errors import AnswerRequestUnreadable
from .forms import SubmissionForm
from .models import Attempt, Quiz, Submission
from .presenters import question_view
from .selectors import (
    assignment_get_for_trainee,
    assignment_list_for_trainee,
    attempt_get_for_trainee,
    attempt_questions,
    attempt_review_allowed,
    makeup_for_trainee,
    quiz_get_for_trainee,
    quiz_list_for_trainee,
    quiz_result,
    submission_get_for_viewer,
)
from .services import attempts as attempt_services
from .services.written import submission_save


def _ms(dt) -> int:
    return int(dt.timestamp() * 1000)


@require_GET
@login_required
def my_work(request):
    quizzes = list(quiz_list_for_trainee(trainee=request.user))
    # The check on next access, as on the quiz's own page: an attempt whose time ran out
    # while the trainee was away is submitted now, not listed as still in progress.
    for attempt in Attempt.objects.filter(
        trainee=request.user,
        quiz__in=quizzes,
        status=Attempt.Status.IN_PROGRESS,
        deadline__isnull=False,
    ).select_related("quiz"):
        attempt_services.attempt_close_if_overdue(attempt=attempt)
    attempts = {}
    for a in Attempt.objects.filter(trainee=request.user, quiz__in=quizzes):
        attempts.setdefault(a.quiz_id, []).append(a)
    quiz_rows = [(q, quiz_result(quiz=q, attempts=attempts.get(q.pk, []))) for q in quizzes]
    assignments = list(assignment_list_for_trainee(trainee=request.user))
    subs = {
        s.assignment_id: s
        for s in Submission.objects.filter(trainee=request.user, assignment__in=assignments)
    }
    return render(
        request,
        "assessments/my_work.html",
        {
            "quiz_rows": quiz_rows,
            "assignment_rows": [(a, subs.get(a.pk)) for a in assignments],
        },
    )


@require_GET
@login_required
def quiz_detail(request, pk):
    quiz = quiz_get_for_trainee(trainee=request.user, pk=pk)
    attempts = list(Attempt.objects.filter(quiz=quiz, trainee=request.user).order_by("number"))
    for attempt in attempts:
        attempt_services.attempt_close_if_overdue(attempt=attempt)
    attempts = list(Attempt.objects.filter(quiz=quiz, trainee=request.user).order_by("number"))
    open_attempt = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
    used = sum(1 for a in attempts if not a.is_makeup)
    can_start = (
        open_attempt is None
        and quiz.is_open()
        and (not quiz.attempts_allowed or used < quiz.attempts_allowed)
    )
    # 补考: granted to this trainee; startable when nothing else is, in its own window.
    makeup = makeup_for_trainee(quiz=quiz, trainee=request.user)
    class_closed = (
        quiz.training_class is not None
        and quiz.training_class.status == TrainingClass.Status.CLOSED
    )
    can_start_makeup = bool(
        makeup and not can_start and open_attempt is None and makeup.is_open() and not class_closed
    )
    return render(
        request,
        "assessments/quiz_detail.html",
        {
            "quiz": quiz,
            "attempts": attempts,
            "open_attempt": open_attempt,
            "result": quiz_result(quiz=quiz, attempts=attempts),
            "can_start": can_start,
            "makeup": makeup,
            "can_start_makeup": can_start_makeup,
            "attempts_left": (quiz.attempts_allowed - used) if quiz.attempts_allowed else None,
            "question_count": sum((s.draw_count if s.category_id else 1) for s in quiz.slots.all()),
        },
    )


@require_POST
@login_required
def attempt_start(request, pk):
    quiz = quiz_get_for_trainee(trainee=request.user, pk=pk)
    try:
        attempt = attempt_services.attempt_start(quiz=quiz, trainee=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:quiz_detail", pk=quiz.pk)
    return redirect("assessments:attempt_take", pk=attempt.pk)


@require_GET
@login_required
def attempt_take(request, pk):
    attempt = attempt_get_for_trainee(trainee=request.user, pk=pk)
    attempt = attempt_services.attempt_close_if_overdue(attempt=attempt)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("assessments:attempt_result", pk=attempt.pk)
    questions = [question_view(aq, reveal=False) for aq in attempt_questions(attempt=attempt)]
    per_question = attempt.quiz.layout == Quiz.Layout.PER_QUESTION
    total = len(questions)
    page = 1
    if per_question:
        try:
            page = min(max(int(request.GET.get("q", 1)), 1), total)
        except ValueError:
            page = 1
        shown = [questions[page - 1]]
    else:
        shown = questions
    now = timezone.now()
    config = {
        "answerUrl": reverse("assessments:attempt_answer", args=[attempt.pk]),
        "serverNow": _ms(now),
        "deadline": _ms(attempt.deadline) if attempt.deadline else None,
        "seqs": {str(q["position"]): q["seq"] for q in questions},
        "i18n": _take_strings(),
    }
    return render(
        request,
        "assessments/attempt_take.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": shown,
            "all_questions": questions,
            "answered_count": sum(1 for q in questions if q["answered"]),
            "total": total,
            "per_question": per_question,
            "page": page,
            "prev_page": page - 1 if per_question and page > 1 else None,
            "next_page": page + 1 if per_question and page < total else None,
            "config": config,
        },
    )


def _take_strings() -> dict:
    return {
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "retry": _("Not saved yet, retrying…"),
        "rejected": _("Not saved"),
        "answered": _("%(n)s/%(t)s answered"),
        "confirm": _("Submit now? You cannot change your answers afterwards."),
        "confirmUnanswered": _("%(n)s questions are unanswered. Submit anyway?"),
        "timeUp": _("Time is up. Your saved answers are being submitted."),
        "waitSave": _("Some answers are still being saved. Please wait a moment and try again."),
    }


def _json_error(exc: DomainError, status=409):
    return JsonResponse({"ok": False, "code": exc.code, "message": str(exc.message)}, status=status)


def _form_answers(post) -> dict[int, object]:
    """Answers of a plain form post (no JavaScript): fields q<position>."""
    answers = {}
    for name in post:
        if name.startswith("q") and name[1:].isdigit():
            values = post.getlist(name)
            answers[int(name[1:])] = values if post.get(f"multi{name[1:]}") else values[-1]
    return answers


@require_POST
@login_required
def attempt_answer(request, pk):
    """Autosave. JSON {position, answer, seq} from the page's script, or a plain form."""
    attempt = attempt_get_for_trainee(trainee=request.user, pk=pk, with_quiz=False)
    is_json = request.content_type == "application/json"
    if is_json:
        try:
            body = json.loads(request.body)
            position, seq = int(body["position"]), int(body["seq"])
            answer = body.get("answer")
        except (ValueError, KeyError, TypeError):
            return _json_error(AnswerRequestUnreadable(), status=400)
        try:
            result = attempt_services.attempt_answer_save(
                attempt_id=attempt.pk,
                trainee=request.user,
                position=position,
                answer=answer,
                seq=seq,
                option_tokens=True,
            )
        except DomainError as exc:
            if exc.code == "attempt_closed":
                attempt_services.attempt_close_if_overdue(attempt=attempt)
            status = 409 if exc.code == "attempt_closed" else 400
            return _json_error(exc, status=status)
        # The deadline is fixed when the attempt starts: the one read above is current.
        return JsonResponse(
            {
                "ok": True,
                **result,
                "serverNow": _ms(timezone.now()),
                "deadline": _ms(attempt.deadline) if attempt.deadline else None,
            }
        )
    seq = _ms(timezone.now())
    try:
        for position, answer in _form_answers(request.POST).items():
            attempt_services.attempt_answer_save(
                attempt_id=attempt.pk,
                trainee=request.user,
                position=position,
                answer=answer,
                seq=seq,
                option_tokens=True,
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:attempt_take", pk=attempt.pk)
    target = reverse("assessments:attempt_take", args=[attempt.pk])
    nxt = request.POST.get("next_q", "")
    if request.POST.get("finish"):
        return attempt_submit(request, pk)
    if nxt.isdigit():
        target += f"?q={nxt}"
    else:
        messages.success(request, _saved_message())
    return redirect(target)


def _saved_message():
    return _("Your answers are saved.")


@require_POST
@login_required
def attempt_submit(request, pk):
    attempt = attempt_get_for_trainee(trainee=request.user, pk=pk, with_quiz=False)
    try:
        attempt_services.attempt_submit(
            attempt_id=attempt.pk,
            trainee=request.user,
            # Sent by the page's timer at the deadline, not by the trainee's tap.
            timed_out=request.POST.get("timeup") == "1",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("assessments:attempt_result", pk=attempt.pk)


@require_GET
@login_required
def attempt_result(request, pk):
    attempt = attempt_get_for_trainee(trainee=request.user, pk=pk)
    attempt = attempt_services.attempt_close_if_overdue(attempt=attempt)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("assessments:attempt_take", pk=attempt.pk)
    reveal = attempt_review_allowed(attempt=attempt)
    questions = [
        question_view(aq, reveal=reveal, show_marks=True)
        for aq in attempt_questions(attempt=attempt)
    ]
    return render(
        request,
        "assessments/attempt_result.html",
        {"attempt": attempt, "quiz": attempt.quiz, "questions": questions, "reveal": reveal},
    )


@require_http_methods(["GET", "POST"])
@login_required
def assignment_detail(request, pk):
    assignment = assignment_get_for_trainee(trainee=request.user, pk=pk)
    submission = Submission.objects.filter(assignment=assignment, trainee=request.user).first()
    form = SubmissionForm(
        assignment=assignment, initial={"text": submission.text if submission else ""}
    )
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, assignment=assignment)
        if form.is_valid():
            try:
                submission_save(
                    assignment=assignment,
                    trainee=request.user,
                    text=form.cleaned_data.get("text", ""),
                    upload=form.cleaned_data.get("file"),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your work has been handed in."))
                return redirect("assessments:assignment_detail", pk=assignment.pk)
    return render(
        request,
        "assessments/assignment_detail.html",
        {"assignment": assignment, "submission": submission, "form": form},
    )


@require_GET
@login_required
def submission_file(request, pk):
    submission = submission_get_for_viewer(viewer=request.user, pk=pk)
    if not submission.file:
        raise Http404
    try:
        handle = submission.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=submission.file_mime not in ("application/pdf", "image/jpeg", "image/png"),
        filename=submission.file_name or submission.file.name.rsplit("/", 1)[-1],
        content_type=submission.file_mime or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response["Cache-Control"] = "private, no-store"
    return response
