"""An instructor writes a question and builds a quiz in the admin (issue 16): the question
form shows only the chosen type's parts and saves only what is shown; the quiz builder asks
抽题数量 only for a random draw; the preview shows the trainee's page at phone width."""

import pytest
from playwright.sync_api import expect

from assessments.models import Question, QuizSlot
from tests.assessments import factories as af
from tests.factories import TEST_PASSWORD
from tests.journeys.harness import journey_test
from tests.training.factories import ClassSessionFactory, class_for_world

pytestmark = [pytest.mark.browser, journey_test]


def _section(page, name):
    """The innermost part of the form holding the input `name` that the type controller
    shows or hides."""
    return page.locator(f"[data-question-types]:has([name='{name}'])").last


def test_question_form_follows_the_type_and_the_quiz_builder_its_slots(journey, world, site):
    category = af.CategoryFactory(name="先导区建设")
    page = journey.desktop()

    with journey.step("open a new question: no type, no type-specific parts"):
        journey.login(page, world.instructor.phone, TEST_PASSWORD)
        page.goto(journey.url("/admin/snippets/assessments/question/add/"))
        for name in ("options-TOTAL_FORMS", "true_false_answer", "accepted_answers", "scoring"):
            expect(_section(page, name)).to_be_hidden()

    with journey.step("single choice: options, no scoring, no true/false, no answers"):
        page.select_option("#id_type", "single")
        expect(_section(page, "options-TOTAL_FORMS")).to_be_visible()
        expect(_section(page, "scoring")).to_be_hidden()
        expect(_section(page, "true_false_answer")).to_be_hidden()
        expect(_section(page, "accepted_answers")).to_be_hidden()
        for text in ("片区化组团式发展", "各村单打独斗"):
            page.locator("#id_options-ADD").click()
            page.locator("input[name$='-text']:visible").last.fill(text)

    with journey.step("multiple choice adds the scoring"):
        page.select_option("#id_type", "multiple")
        expect(_section(page, "scoring")).to_be_visible()
        expect(_section(page, "options-TOTAL_FORMS")).to_be_visible()

    with journey.step("true or false: only its answer"):
        page.select_option("#id_type", "true_false")
        expect(_section(page, "true_false_answer")).to_be_visible()
        expect(_section(page, "options-TOTAL_FORMS")).to_be_hidden()

    with journey.step("fill in the blank: only accepted answers, and it saves without options"):
        page.select_option("#id_type", "fill_in")
        expect(_section(page, "accepted_answers")).to_be_visible()
        expect(_section(page, "true_false_answer")).to_be_hidden()
        expect(_section(page, "options-TOTAL_FORMS")).to_be_hidden()
        page.locator("#id_stem").fill("先导区建设要推进________、组团式发展。")
        page.locator("#id_accepted_answers").fill("片区化")
        # The category chooser's modal is Wagtail's; its hidden input is what it fills.
        page.evaluate(f"document.getElementById('id_category').value = '{category.pk}'")
        journey.submit(page, "button[type=submit]:has-text('保存')")
        question = Question.objects.get(stem__startswith="先导区建设要推进")
        assert question.type == "fill_in" and not question.options.exists()

    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    for i in range(3):
        af.single(category, stem=f"随机题{i}")
    quiz = af.quiz_with([af.essay()], training_class=klass, title="先导区随堂测验")
    QuizSlot.objects.create(quiz=quiz, category=category, draw_count=2, sort_order=1)

    with journey.step("the quiz builder asks how many to draw only for the category draw"):
        page.goto(journey.url(f"/admin/snippets/assessments/quiz/edit/{quiz.pk}/"))
        rows = page.locator("[data-controller='quiz-slot']")
        expect(rows).to_have_count(2)
        expect(rows.nth(0).locator("[data-quiz-slot-target='drawCount']")).to_be_hidden()
        expect(rows.nth(1).locator("[data-quiz-slot-target='drawCount']")).to_be_visible()

    with journey.step("preview the quiz as a trainee on a phone"):
        with page.expect_popup() as popup:
            page.get_by_role("link", name="预览（学员视图）").click()
        preview = popup.value
        frame = preview.frame_locator("iframe.qp-phone")
        expect(frame.locator(".qz-preview-note").first).to_be_visible()
        expect(frame.locator(".qz-q")).to_have_count(3)
        width = preview.locator("iframe.qp-phone").evaluate("f => f.clientWidth")
        assert width <= 420
