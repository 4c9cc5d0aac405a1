"""Issue 14, the answer key leaks: a quiz that shows its answers may not use a category a
final exam draws from at random, or trainees collect the exam's key by practising."""

import pytest
from django.urls import reverse

from assessments.models import Quiz, QuizSlot
from tests.assessments.factories import CategoryFactory, QuizFactory, quiz_with, single
from tests.assessments.test_quiz_settings import _form
from tests.training.factories import ClassSessionFactory, TrainingClassFactory, class_for_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam_bank(world):
    """A final exam drawing 2 questions at random from “先导区题库”."""
    bank = CategoryFactory(name="先导区题库")
    questions = [single(bank, stem=f"考题{i}") for i in range(3)]
    exam = QuizFactory(title="结业考试", training_class=class_for_world(world), is_final_exam=True)
    QuizSlot.objects.create(quiz=exam, category=bank, draw_count=2)
    return bank, questions, exam


def test_practice_quiz_revealing_answers_cannot_share_final_exam_category(world, exam_bank):
    bank, questions, exam = exam_bank
    for slot in ({"category": bank.pk}, {"question": questions[0].pk}):
        for review in ("after_submit", "after_close"):
            extra = {"closes_at": "2030-01-01 12:00"} if review == "after_close" else {}
            form = _form(world, [slot], review=review, **extra)
            assert not form.is_valid(), (slot, review)
            field = "question" if "question" in slot else "category"
            error = form.formsets["slots"].forms[0].errors[field][0]
            assert "先导区题库" in error and "结业考试" in error
            assert any("先导区题库" in e for e in form.non_field_errors())
    # A practice quiz that never shows the key may share it; so may one of another bank.
    assert _form(world, [{"category": bank.pk}], review="never").is_valid()
    other = single(CategoryFactory(name="练习题库"))
    assert _form(world, [{"question": other.pk}]).is_valid()


def test_final_exam_cannot_draw_from_a_category_practice_reveals(world, exam_bank):
    bank, questions, exam = exam_bank
    practice = quiz_with([questions[0]], title="随堂练习", review=Quiz.Review.AFTER_SUBMIT)
    klass = TrainingClassFactory(organising_unit=world.county_a)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)  # theirs to edit
    exam_fields = {"is_final_exam": "on", "training_class": klass.pk}
    form = _form(world, [{"category": bank.pk, "draw_count": 2}], **exam_fields)
    assert not form.is_valid()
    error = form.formsets["slots"].forms[0].errors["category"][0]
    assert "先导区题库" in error and "随堂练习" in error
    # Once the practice shows no answers, the exam may draw there.
    Quiz.objects.filter(pk=practice.pk).update(review=Quiz.Review.NEVER)
    assert _form(world, [{"category": bank.pk, "draw_count": 2}], **exam_fields).is_valid()


def test_the_error_reads_in_chinese(world, exam_bank, client):
    bank, _questions, _exam = exam_bank
    client.force_login(world.instructor)
    form = _form(world, [{"category": bank.pk}])
    response = client.post(
        reverse("wagtailsnippets_assessments_quiz:add"), form.data, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert not Quiz.objects.filter(title="片区化发展测验").exists()
    text = response.content.decode()
    assert "先导区题库" in text and "结业考试" in text and "随机抽题" in text
