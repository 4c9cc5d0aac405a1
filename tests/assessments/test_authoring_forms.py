"""The question and quiz forms show only what applies, and keep only what applies.

A question's type decides which parts of the form mean anything: options for single and
multiple choice (scoring for multiple only), the true/false answer for true or false,
accepted answers for fill in the blank, none of these for a short answer. The browser hides
the others (form_sections.js reads the `data-question-types` the admin puts on each part);
the server refuses whatever is left in them. A quiz slot holding a fixed question asks for
no draw count: only a random draw from a category has one.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Question, Quiz, QuizSlot
from assessments.wagtail_hooks import QuestionViewSet
from tests.assessments.factories import CategoryFactory, single

pytestmark = pytest.mark.django_db


def _question_form(world, *, type, options=(), true_false="unknown", accepted=""):
    data = {
        "category": str(CategoryFactory(name="片区化").pk),
        "type": type,
        "stem": "先导区建设的核心是什么？",
        "points": "2",
        "scoring": "all",
        "true_false_answer": true_false,
        "accepted_answers": accepted,
        "explanation": "",
        "tags": "",
        "is_active": "on",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "8",
    }
    for i, (text, correct) in enumerate(options):
        data[f"options-{i}-text"] = text
        data[f"options-{i}-ORDER"] = str(i + 1)
        if correct:
            data[f"options-{i}-is_correct"] = "on"
    form_class = QuestionViewSet.edit_handler.bind_to_model(Question).get_form_class()
    return form_class(data, instance=Question(), for_user=world.instructor)


TWO_OPTIONS = [("片区化组团式发展", True), ("各村单打独斗", False)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"type": "fill_in", "accepted": "片区化", "options": TWO_OPTIONS},
            "只有单选题和多选题有选项",
        ),
        ({"type": "true_false", "true_false": "true", "options": TWO_OPTIONS}, "有选项"),
        ({"type": "essay", "options": TWO_OPTIONS}, "有选项"),
        ({"type": "single", "options": TWO_OPTIONS, "true_false": "false"}, "只有判断题"),
        ({"type": "essay", "accepted": "片区化"}, "只有填空题有可接受的答案"),
        ({"type": "true_false", "true_false": "true", "accepted": "对"}, "可接受的答案"),
    ],
    ids=[
        "options-on-fill-in",
        "options-on-true-false",
        "options-on-short-answer",
        "true-false-answer-on-single-choice",
        "accepted-answers-on-short-answer",
        "accepted-answers-on-true-false",
    ],
)
def test_content_the_type_does_not_use_is_refused_in_chinese(world, fields, message):
    with translation.override("zh-hans"):
        form = _question_form(world, **fields)
        assert not form.is_valid()
        errors = " ".join(form.non_field_errors())
    assert message in errors and "更改题型" in errors


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "single", "options": [("唯一选项", True)]}, "至少需要两个选项"),
        ({"type": "single", "options": [("甲", False), ("乙", False)]}, "只能有一个正确选项"),
        ({"type": "true_false"}, "正确还是错误"),
        ({"type": "fill_in"}, "至少需要一个可接受的答案"),
    ],
    ids=["choice-needs-two-options", "single-needs-one-correct", "true-false", "fill-in"],
)
def test_what_the_type_needs_is_asked_for_in_chinese(world, fields, message):
    with translation.override("zh-hans"):
        form = _question_form(world, **fields)
        assert not form.is_valid()
        assert message in " ".join(form.non_field_errors())


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "single", "options": TWO_OPTIONS},
        {"type": "multiple", "options": TWO_OPTIONS},
        {"type": "true_false", "true_false": "false"},
        {"type": "fill_in", "accepted": "片区化\n组团式"},
        {"type": "essay"},
    ],
    ids=lambda f: f["type"],
)
def test_each_type_with_only_its_own_parts_is_accepted(world, fields):
    form = _question_form(world, **fields)
    assert form.is_valid(), form.errors


def _sections(html: str) -> dict[str, str]:
    """The `data-question-types` of the element holding each named input."""
    found = {}
    for name in ("scoring", "options-TOTAL_FORMS", "true_false_answer", "accepted_answers"):
        at = html.index(f'name="{name}"')
        marks = list(re.finditer(r'data-question-types="([^"]+)"', html[:at]))
        found[name] = marks[-1].group(1) if marks else ""
    return found


def test_the_form_marks_each_part_with_the_types_that_use_it(client, world):
    client.force_login(world.instructor)
    html = client.get(reverse("wagtailsnippets_assessments_question:add")).content.decode()
    assert "assessments/admin/form_sections.js" in html
    assert 'data-controller="question-type"' in html
    sections = _sections(html)
    assert sections["scoring"] == "multiple"
    assert set(sections["options-TOTAL_FORMS"].split()) == {"single", "multiple"}
    assert sections["true_false_answer"] == "true_false"
    assert sections["accepted_answers"] == "fill_in"
    # Stem, points and explanation belong to every type: never marked.
    for name in ("stem", "explanation", "points"):
        at = html.index(f'name="{name}"')
        opened = html.rfind('data-question-types="', 0, at)
        assert opened == -1 or html.rfind("</section>", opened, at) != -1, name


# --- quiz slots ---------------------------------------------------------------------


def _quiz_data(slots):
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
    }
    for i, slot in enumerate(slots):
        data[f"slots-{i}-ORDER"] = str(i + 1)
        data.update({f"slots-{i}-{k}": str(v) for k, v in slot.items()})
    return data


def test_a_fixed_question_keeps_no_draw_count(client, world):
    question = single()
    category = CategoryFactory(name="随机")
    for i in range(3):
        single(category, stem=f"随机题{i}")
    client.force_login(world.instructor)
    response = client.post(
        reverse("wagtailsnippets_assessments_quiz:add"),
        _quiz_data(
            [
                {"question": question.pk, "draw_count": 5},  # left behind by a category
                {"category": category.pk, "draw_count": 2},
            ]
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    fixed, drawn = QuizSlot.objects.filter(quiz=Quiz.objects.get()).order_by("sort_order")
    assert (fixed.question_id, fixed.draw_count) == (question.pk, 1)
    assert (drawn.category_id, drawn.draw_count) == (category.pk, 2)


def test_the_draw_count_is_marked_for_the_slot_script(client, world):
    client.force_login(world.instructor)
    html = client.get(reverse("wagtailsnippets_assessments_quiz:add")).content.decode()
    assert "assessments/admin/form_sections.js" in html
    row = html.index('data-controller="quiz-slot"')
    target = html.index('data-quiz-slot-target="drawCount"', row)
    # The row holds the question and category choosers and, after them, the draw count.
    between = html[row:target]
    assert 'name="slots-0-question"' in between and 'name="slots-0-category"' in between
    assert 'name="slots-0-draw_count"' in html[target : target + 3000]
