"""Issue 16: staff preview a quiz as the trainee will see it, and nothing is recorded.

The preview is the trainee's own quiz page (assessments/attempt_take.html) in a phone-sized
frame, with questions drawn by the draw an attempt makes: with the same seed, the same
questions in the same order with the same options shuffled alike. It is scoped like editing
the quiz: a quiz outside the editor's scope answers 404 (docs/permissions.md).
"""

import re

import pytest
from django.urls import reverse

from assessments.models import Attempt, AttemptQuestion, Question, QuestionVersion, QuizSlot
from assessments.preview import quiz_preview
from assessments.services.attempts import attempt_start
from tests.assessments.factories import CategoryFactory, QuizFactory, essay, quiz_with, single
from tests.training.factories import ClassSessionFactory, class_for_world

pytestmark = pytest.mark.django_db


def _page_url(quiz):
    return reverse("wagtailsnippets_assessments_quiz:preview_as_trainee", args=[quiz.pk])


def _frame_url(quiz, **query):
    url = reverse("wagtailsnippets_assessments_quiz:preview_frame", args=[quiz.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def drawn_quiz(world):
    """A class quiz of 罗山县: one fixed question, then 3 of 6 drawn from a category, with
    questions and options shuffled."""
    klass = class_for_world(world)
    category = CategoryFactory(name="片区化")
    for i in range(6):
        single(category, stem=f"随机题{i}")
    quiz = quiz_with(
        [essay()],
        training_class=klass,
        shuffle_questions=True,
        shuffle_options=True,
        attempts_allowed=0,
    )
    QuizSlot.objects.create(quiz=quiz, category=category, draw_count=3, sort_order=1)
    return quiz


def _shown(questions):
    return [(q["stem"], [o["text"] for o in q["options"]]) for q in questions]


def test_the_preview_draws_what_a_trainees_attempt_with_that_seed_gets(world, drawn_quiz):
    for seed in (1, 7, 2026):
        preview = quiz_preview(quiz=drawn_quiz, seed=seed)
        attempt = attempt_start(quiz=drawn_quiz, trainee=world.trainee_a, seed=seed)
        given = [
            (aq.version.data["stem"], aq.option_order)
            for aq in attempt.questions.select_related("version").order_by("position")
        ]
        texts = {o["key"]: o["text"] for aq in attempt.questions.all() for o in aq.data["options"]}
        assert _shown(preview.questions) == [
            (stem, [texts[k] for k in order]) for stem, order in given
        ]
        attempt.delete()  # the next start draws afresh
    # Different seeds draw differently: it is a draw, not a fixed list.
    draws = {str(_shown(quiz_preview(quiz=drawn_quiz, seed=s).questions)) for s in range(8)}
    assert len(draws) > 1


def test_the_preview_records_nothing(client, world, drawn_quiz):
    # A question never versioned: a real draw would version it; the preview leaves no trace.
    bare = Question.objects.create(
        category=CategoryFactory(name="未定版"), type="essay", stem="从未定版的简答题"
    )
    QuizSlot.objects.create(quiz=drawn_quiz, question=bare, sort_order=2)
    counts = (Attempt.objects.count(), AttemptQuestion.objects.count())
    versions = QuestionVersion.objects.count()
    client.force_login(world.organiser)
    response = client.get(_frame_url(drawn_quiz, seed=5))
    assert response.status_code == 200
    page = response.content.decode()
    assert "从未定版的简答题" in page and "谈谈如何融入片区化发展" in page
    assert (Attempt.objects.count(), AttemptQuestion.objects.count()) == counts
    assert QuestionVersion.objects.count() == versions
    bare.refresh_from_db()
    assert bare.current_version_id is None
    # The page posts nowhere and runs no autosave; the answer key is not on it.
    assert "/answer/" not in page and "quiz.js" not in page and "qz-config" not in page
    assert "解析甲乙丙" not in page and "disabled>" in page


def test_the_preview_page_shows_the_trainee_page_in_a_phone_frame(client, world, drawn_quiz):
    client.force_login(world.instructor)  # not teaching this class yet: out of scope
    assert client.get(_page_url(drawn_quiz)).status_code == 404
    ClassSessionFactory(training_class=drawn_quiz.training_class, instructor=world.instructor)
    response = client.get(_page_url(drawn_quiz))
    assert response.status_code == 200
    page = response.content.decode()
    frame = re.search(r'<iframe class="qp-phone" src="([^"]+)" width="(\d+)"', page)
    assert frame and int(frame.group(2)) <= 420
    framed = client.get(frame.group(1).replace("&amp;", "&"))
    assert framed.status_code == 200
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "assessments/attempt_take.html" in [t.name for t in framed.templates]


def test_a_quiz_outside_the_editors_scope_is_not_found(client, world, drawn_quiz):
    for actor in ("organiser_other", "instructor_other", "adviser"):
        client.force_login(getattr(world, actor))
        assert client.get(_page_url(drawn_quiz)).status_code == 404, actor
        assert client.get(_frame_url(drawn_quiz)).status_code == 404, actor
    for actor in ("organiser", "city_organiser", "admin"):
        client.force_login(getattr(world, actor))
        assert client.get(_frame_url(drawn_quiz)).status_code == 200, actor


def test_one_question_per_page_pages_through_the_same_draw(client, world, drawn_quiz):
    drawn_quiz.layout = "per_question"
    drawn_quiz.save()
    client.force_login(world.organiser)
    stems = []
    for q in (1, 2, 3, 4):
        page = client.get(_frame_url(drawn_quiz, seed=11, q=q)).content.decode()
        stems += re.findall(r'<div class="qz-q__stem">([^<]+)</div>', page)
        assert f'href="?seed=11&amp;q={q}"' in page
    assert len(stems) == 4 and len(set(stems)) == 4
    assert stems == [q["stem"] for q in quiz_preview(quiz=drawn_quiz, seed=11).questions]


def test_a_quiz_that_cannot_be_started_says_so(client, world):
    category = CategoryFactory(name="题量不足")
    single(category)
    quiz = QuizFactory(training_class=class_for_world(world))
    QuizSlot.objects.create(quiz=quiz, category=category, draw_count=5)
    client.force_login(world.organiser)
    response = client.get(_frame_url(quiz))
    assert response.status_code == 200
    assert "学员目前无法开始此测验" in response.content.decode()


def test_the_quiz_builder_and_list_link_to_the_preview(client, world, drawn_quiz):
    client.force_login(world.organiser)
    edit = reverse("wagtailsnippets_assessments_quiz:edit", args=[drawn_quiz.pk])
    assert _page_url(drawn_quiz) in client.get(edit).content.decode()
    listing = reverse("wagtailsnippets_assessments_quiz:list")
    assert _page_url(drawn_quiz) in client.get(listing).content.decode()
