"""Quiz settings that would only fail on exam day are refused when the quiz is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Assignment, Question, Quiz
from assessments.wagtail_hooks import QuizViewSet
from tests.assessments.factories import AssignmentFactory, CategoryFactory, single
from tests.training.factories import class_for_world

pytestmark = pytest.mark.django_db


def _form(world, slots, **fields):
    data = {
        "title": "片区化发展测验",
        "pass_mark": "60",
        "attempts_allowed": "1",
        "grading_method": "highest",
        "review": "after_submit",
        "layout": "one_page",
        "slots-TOTAL_FORMS": str(len(slots)),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "1",
        "slots-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, slot in enumerate(slots):
        data[f"slots-{i}-ORDER"] = str(i + 1)
        data[f"slots-{i}-draw_count"] = "1"
        data.update({f"slots-{i}-{k}": str(v) for k, v in slot.items()})
    form_class = QuizViewSet.edit_handler.bind_to_model(Quiz).get_form_class()
    return form_class(data, instance=Quiz(), for_user=world.instructor)


@pytest.fixture
def bank():
    """分类 with two active questions and one inactive one."""
    category = CategoryFactory(name="片区化")
    active = [single(category, stem=f"题{i}") for i in range(2)]
    inactive = single(category, stem="停用题")
    Question.objects.filter(pk=inactive.pk).update(is_active=False)
    return category, active


@pytest.mark.parametrize(
    "slots",
    [
        lambda c, q: [{"category": c.pk, "draw_count": 3}],  # inactive ones are not drawn
        lambda c, q: [{"question": q[0].pk}, {"category": c.pk, "draw_count": 2}],
        lambda c, q: [{"category": c.pk, "draw_count": 1}, {"category": c.pk, "draw_count": 2}],
    ],
    ids=["more-than-active", "fixed-question-taken", "two-slots-share"],
)
def test_a_draw_its_category_cannot_fill_is_refused(world, bank, slots):
    category, questions = bank
    form = _form(world, slots(category, questions))
    assert not form.is_valid()
    last = form.formsets["slots"].forms[-1]
    assert "draw_count" in last.errors and "片区化" in last.errors["draw_count"][0]
    assert form.non_field_errors()
    assert not Quiz.objects.exists()


def test_a_draw_the_category_can_fill_is_accepted(world, bank):
    category, questions = bank
    assert _form(world, [{"category": category.pk, "draw_count": 2}]).is_valid()
    # A fixed question from elsewhere takes nothing from the category.
    other = single(CategoryFactory(name="其他"))
    form = _form(world, [{"question": other.pk}, {"category": category.pk, "draw_count": 2}])
    assert form.is_valid()


def test_review_after_close_needs_a_closing_time(world, bank):
    category, questions = bank
    slot = [{"question": questions[0].pk}]
    form = _form(world, slot, review="after_close")
    assert not form.is_valid() and "review" in form.errors
    closes = (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    assert _form(world, slot, review="after_close", closes_at=closes).is_valid()


def test_the_admin_add_view_uses_these_checks(world, bank, client):
    category, questions = bank
    client.force_login(world.instructor)
    form = _form(world, [{"category": category.pk, "draw_count": 5}])
    response = client.post(reverse("wagtailsnippets_assessments_quiz:add"), form.data)
    assert response.status_code == 200 and not Quiz.objects.exists()
    assert "片区化" in response.content.decode()


def test_constraint_errors_read_as_sentences_not_constraint_names(world):
    now = timezone.now()
    klass = class_for_world(world)
    Quiz.objects.create(title="结业考试", training_class=klass, is_final_exam=True)
    cases = [
        Quiz(title="颠倒", opens_at=now, closes_at=now - timezone.timedelta(hours=1)),
        Quiz(title="无班", is_final_exam=True),
        Quiz(title="第二场结业考试", training_class=klass, is_final_exam=True),
        AssignmentFactory.build(accepts_text=False, accepts_file=False),
    ]
    names = (
        "quiz_closes_after_opening",
        "final_exam_needs_class",
        "one_final_exam_per_class",
        "assignment_accepts_something",
    )
    with translation.override("zh-hans"):
        for instance in cases:
            with pytest.raises(ValidationError) as exc:
                instance.full_clean()
            text = " ".join(exc.value.messages)
            assert not any(name in text for name in names), text
            assert "约束" not in text
    assert not Assignment.objects.exists()
