"""Staff screens in the Wagtail admin: question import/export, grading queue, gradebooks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lms.errors import DomainError
from lms.spreadsheets import Book
from lms.uploads import UploadRefused

from .errors import ImportInvalid
from .forms import AnswerGradeForm, ImportForm, MakeupGrantForm, SubmissionGradeForm
from .models import GradeChange, Question
from .selectors import (
    answer_get_for_grader,
    gradebook_for_class,
    graded_recently_answers,
    graded_recently_submissions,
    grading_queue_answers,
    grading_queue_submissions,
    is_assessment_staff,
    is_grader,
    makeup_case_for_staff,
    submission_get_for_grader,
)
from .services.makeup import final_exam_makeup_grant, makeup_default_closes_at
from .services.marking import answer_grade, submission_grade
from .services.questions import (
    question_import_confirm,
    question_import_pending,
    question_import_stage,
    question_workbook,
)


def _require_grader(request):
    if not is_grader(request.user):
        raise PermissionDenied


def _xlsx_response(book: Book, filename: str):
    return book.response(filename)


# --- question import / export --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def questions_import(request):
    _require_grader(request)
    form = ImportForm()
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                pending = question_import_stage(
                    content=upload.read(), file_name=upload.name, actor=request.user
                )
            except ImportInvalid as exc:
                problems = exc.problems
                messages.error(request, exc.message)
            except UploadRefused as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("assessments_admin:questions_import_preview", token=pending.pk)
    return render(
        request,
        "assessments/admin/questions_import.html",
        {"form": form, "problems": problems},
    )


@require_http_methods(["GET", "POST"])
def questions_import_preview(request, token):
    _require_grader(request)
    pending = question_import_pending(token=token, actor=request.user)
    if pending is None:
        raise Http404
    if request.method == "POST":
        try:
            created = question_import_confirm(token=token, actor=request.user)
        except ImportInvalid as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "assessments/admin/questions_import.html",
                {"form": ImportForm(), "problems": exc.problems},
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("assessments_admin:questions_import")
        except ValidationError as exc:
            # The service reports what it knows by row; this is the net under it, so a
            # rule it does not know yet is a message, not a server error.
            messages.error(request, ImportInvalid.message)
            return render(
                request,
                "assessments/admin/questions_import.html",
                {"form": ImportForm(), "problems": [(0, m) for m in exc.messages]},
            )
        messages.success(request, _("%(n)d questions imported.") % {"n": len(created)})
        return redirect("wagtailsnippets_assessments_question:list")
    type_labels = dict(Question.Type.choices)
    rows = [{**row, "type_label": type_labels.get(row["type"], "")} for row in pending.rows]
    return render(
        request,
        "assessments/admin/questions_import_preview.html",
        {"pending": pending, "rows": rows},
    )


@require_GET
def questions_template(request):
    _require_grader(request)
    return _xlsx_response(question_workbook(), "题库导入模板.xlsx")


@require_GET
def questions_export(request):
    _require_grader(request)
    questions = (
        Question.objects.select_related("category")
        .prefetch_related("options", "tags")
        .order_by("category__name", "pk")
    )
    category = request.GET.get("category")
    if category and category.isdigit():
        questions = questions.filter(category_id=int(category))
    try:
        content = question_workbook(questions)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("assessments_admin:questions_import")
    return _xlsx_response(content, "题库导出.xlsx")


# --- grading -------------------------------------------------------------------------


@require_GET
def grading_queue(request):
    _require_grader(request)
    return render(
        request,
        "assessments/admin/grading_queue.html",
        {
            "answers": list(grading_queue_answers(viewer=request.user)[:200]),
            "submissions": list(grading_queue_submissions(viewer=request.user)[:200]),
            # Graded work leaves the queue; re-grading starts from here.
            "graded_answers": list(graded_recently_answers(viewer=request.user)[:20]),
            "graded_submissions": list(graded_recently_submissions(viewer=request.user)[:20]),
        },
    )


def _grading_form_data(form) -> dict:
    data = form.cleaned_data
    return {
        "score": data["score"],
        "grade": data["grade"],
        "comment": data["comment"],
        "override": data["override"],
        "override_reason": data["override_reason"],
    }


def _grading_error(form, exc: DomainError) -> None:
    field = "override_reason" if exc.code == "grade_override_reason_required" else None
    form.add_error(field, exc.message)


@require_http_methods(["GET", "POST"])
def grade_answer(request, pk):
    _require_grader(request)
    aq = answer_get_for_grader(viewer=request.user, pk=pk)
    initial = {
        "score": aq.score if aq.graded_at else None,
        "grade": aq.grade,
        "comment": aq.comment,
        "override": aq.grade_overridden,
        "override_reason": aq.grade_override_reason,
    }
    form = AnswerGradeForm(initial=initial, points=aq.points)
    if request.method == "POST":
        form = AnswerGradeForm(request.POST, points=aq.points)
        if form.is_valid():
            try:
                answer_grade(grader=request.user, answer_id=aq.pk, **_grading_form_data(form))
            except DomainError as exc:
                _grading_error(form, exc)
            else:
                messages.success(request, _("Grade saved."))
                return redirect("assessments_admin:grading_queue")
    return render(
        request,
        "assessments/admin/grade_answer.html",
        {
            "aq": aq,
            "data": aq.version.data,
            "form": form,
            "changes": GradeChange.objects.filter(attempt_question=aq).select_related("changed_by"),
        },
    )


@require_http_methods(["GET", "POST"])
def grade_submission(request, pk):
    _require_grader(request)
    sub = submission_get_for_grader(viewer=request.user, pk=pk)
    form = SubmissionGradeForm(
        initial={
            "grade": sub.grade or None,
            "score": sub.score,
            "comment": sub.comment,
            "override": sub.grade_overridden,
            "override_reason": sub.grade_override_reason,
        },
        assignment=sub.assignment,
    )
    if request.method == "POST":
        form = SubmissionGradeForm(request.POST, assignment=sub.assignment)
        if form.is_valid():
            try:
                submission_grade(
                    grader=request.user, submission_id=sub.pk, **_grading_form_data(form)
                )
            except DomainError as exc:
                _grading_error(form, exc)
            else:
                messages.success(request, _("Grade saved."))
                return redirect("assessments_admin:grading_queue")
    return render(
        request,
        "assessments/admin/grade_submission.html",
        {
            "sub": sub,
            "form": form,
            "changes": GradeChange.objects.filter(submission=sub).select_related("changed_by"),
        },
    )


# --- gradebooks ----------------------------------------------------------------------


def _require_staff(request):
    if not is_assessment_staff(request.user):
        raise PermissionDenied


def _render_book(request, book, export_url):
    return render(
        request,
        "assessments/admin/gradebook.html",
        # Advisers read the gradebook; only graders get a link into grading.
        {"book": book, "export_url": export_url, "can_grade": is_grader(request.user)},
    )


@require_GET
def gradebook_class(request, pk):
    _require_staff(request)
    book = gradebook_for_class(viewer=request.user, pk=pk)
    return _render_book(
        request, book, reverse("assessments_admin:gradebook_class_export", args=[pk])
    )


def _quiz_status_zh(result) -> str:
    if result.pending:
        status = "待评分"
    elif result.passed:
        status = "通过"
    elif result.passed is False:
        status = "未通过"
    else:
        # Nothing graded yet: started and not submitted is not the same as never started.
        status = "作答中" if result.in_progress else "未参加"
    return f"{status}（补考）" if result.makeup else status


def gradebook_workbook(book) -> Book:
    header = ["姓名", "手机号", "单位"]
    if book.lesson_count is not None:
        header += [f"完成课时（共{book.lesson_count}）", "学习分钟", "课程完成时间"]
    for quiz in book.quizzes:
        header += [
            f"{quiz.title}（得分率%）",
            f"{quiz.title}（是否通过）",
            f"{quiz.title}（作答次数）",
        ]
        if quiz.is_final_exam:
            header.append(f"{quiz.title}（是否补考）")
    for assignment in book.assignments:
        header += [
            f"{assignment.title}（等级）",
            f"{assignment.title}（得分，满分{assignment.full_marks}）",
        ]
    with Book() as workbook:
        sheet = workbook.sheet("成绩册", header)
        grade_zh = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}
        for row in book.rows:
            t = row.trainee
            values = [t.full_name or t.username, t.phone, t.org_unit.name if t.org_unit else ""]
            if book.lesson_count is not None:
                done = row.completed_at
                values += [
                    row.lessons_completed,
                    row.minutes_studied,
                    done,  # aware: written in local time
                ]
            for quiz, result in zip(book.quizzes, row.quiz_results, strict=True):
                values += [
                    float(result.percent) if result.percent is not None else None,
                    _quiz_status_zh(result),
                    result.attempts,
                ]
                if quiz.is_final_exam:
                    values.append("是" if result.makeup else "否")
            for sub in row.submissions:
                if sub is None:
                    values += ["未提交", None]
                elif sub.status == "graded":
                    level = grade_zh.get(sub.grade, sub.grade)
                    values += [
                        f"{level}（评阅人调整）" if sub.grade_overridden else level,
                        float(sub.score) if sub.score is not None else None,
                    ]
                else:
                    values += ["待评分", None]
            sheet.row(values)
    return workbook


@require_GET
def gradebook_class_export(request, pk):
    _require_staff(request)
    book = gradebook_for_class(viewer=request.user, pk=pk)
    return _xlsx_response(gradebook_workbook(book), f"{book.title}-成绩册.xlsx")


# --- 补考 (make-up exam) ---------------------------------------------------------------


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def makeup_grant(request, pk, trainee_id):
    """准予补考 for one trainee of a class: organisers of the class's unit only (404 for
    everyone else, as for a class that does not exist)."""
    case = makeup_case_for_staff(viewer=request.user, class_pk=pk, trainee_id=trainee_id)
    back = _next_url(request, reverse("assessments_admin:gradebook_class", args=[pk]))
    form = MakeupGrantForm(initial={"closes_at": timezone.localtime(makeup_default_closes_at())})
    if request.method == "POST":
        form = MakeupGrantForm(request.POST)
        if form.is_valid():
            try:
                final_exam_makeup_grant(
                    actor=request.user,
                    training_class=case.training_class,
                    trainee=case.trainee,
                    reason=form.cleaned_data["reason"],
                    closes_at=form.cleaned_data["closes_at"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Make-up exam granted to %(name)s.")
                    % {"name": case.trainee.full_name or case.trainee.username},
                )
                return redirect(back)
    grant = case.grant
    # Eligible, or granted and never used before its window passed (a new grant reopens it).
    may_grant = case.state == "eligible" or (
        grant is not None
        and grant.attempt_id is None
        and timezone.now() >= grant.closes_at
        and case.training_class.status != case.training_class.Status.CLOSED
    )
    return render(
        request,
        "assessments/admin/makeup_grant.html",
        {
            "case": case,
            "form": form if may_grant else None,
            "back": back,
            "now": timezone.now(),
        },
    )
