import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import (
    Assignment,
    Attempt,
    AttemptQuestion,
    Question,
    QuestionVersion,
    Quiz,
    QuizSlot,
    Submission,
)
from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.quizzes import SlotSpec, quiz_answer_key_problems
from assessments.services.written import submission_save
from tests.assessments.factories import AssignmentFactory, quiz_with, single
from tests.training.factories import class_for_world

pytestmark = pytest.mark.django_db


def test_class_gradebook_and_xlsx_export(world, client):
    klass = class_for_world(world)
    quiz = quiz_with([single()], training_class=klass, title="结业考试")
    AssignmentFactory(training_class=klass, title="学习心得")
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    client.force_login(world.adviser)
    page = client.get(reverse("assessments_admin:gradebook_class", args=[klass.pk]))
    assert page.status_code == 200 and "学员甲" in page.content.decode()
    export = client.get(reverse("assessments_admin:gradebook_class_export", args=[klass.pk]))
    sheet = load_workbook(io.BytesIO(export.getvalue())).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["姓名", "手机号", "单位"] and "结业考试（得分率%）" in header
    row = [c.value for c in sheet[2]]
    assert row[0] == "学员甲" and "未通过" in row and "未提交" in row
    client.force_login(world.adviser_other)
    assert (
        client.get(reverse("assessments_admin:gradebook_class", args=[klass.pk])).status_code == 404
    )


def test_work_awaiting_grading_links_to_grading_for_graders_only(world, client):
    klass = class_for_world(world)
    assignment = AssignmentFactory(training_class=klass, title="学习心得")
    sub = submission_save(assignment=assignment, trainee=world.trainee_a, text="心得")
    grade_url = reverse("assessments_admin:grade_submission", args=[sub.pk])
    book = reverse("assessments_admin:gradebook_class", args=[klass.pk])
    client.force_login(world.organiser)
    assert grade_url in client.get(book).content.decode()
    client.force_login(world.adviser)  # reads the book, does not grade
    page = client.get(book).content.decode()
    assert "待评分" in page and grade_url not in page


def test_xlsx_export_tells_an_attempt_in_progress_from_one_never_started(world, client):
    klass = class_for_world(world)
    quiz = quiz_with([single()], training_class=klass, title="随堂测验")
    attempt_start(quiz=quiz, trainee=world.trainee_a)  # started, not submitted
    client.force_login(world.adviser)
    export = client.get(reverse("assessments_admin:gradebook_class_export", args=[klass.pk]))
    sheet = load_workbook(io.BytesIO(export.getvalue())).worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert "作答中" in rows["学员甲"] and "未参加" not in rows["学员甲"]


def _snapshot():
    return [
        list(m.objects.order_by("pk").values_list("pk", flat=True))
        for m in (
            Question,
            QuestionVersion,
            Quiz,
            QuizSlot,
            Assignment,
            Attempt,
            AttemptQuestion,
            Submission,
        )
    ]


def test_demo_seed_is_idempotent_and_complete():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first
    assert Question.objects.count() >= 15
    assert set(Question.objects.values_list("type", flat=True)) == {
        "single",
        "multiple",
        "true_false",
        "fill_in",
        "essay",
    }
    assert Quiz.objects.filter(is_final_exam=True, training_class__isnull=False).exists()
    assert Assignment.objects.filter(kind="reflection").exists()
    assert AttemptQuestion.objects.filter(needs_grading=True).exists()
    # The demo's lesson quiz shows its answers: it may not hand out the final exam's key.
    for quiz in Quiz.objects.all():
        slots = [
            SlotSpec(question_id=s.question_id, category_id=s.category_id) for s in quiz.slots.all()
        ]
        assert not quiz_answer_key_problems(
            quiz_id=quiz.pk, is_final_exam=quiz.is_final_exam, review=quiz.review, slots=slots
        ), quiz.title
