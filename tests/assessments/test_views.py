"""Trainee pages by URL: own work only, nothing of the key leaks before review allows."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Attempt, AttemptQuestion, Quiz
from assessments.option_tokens import option_token
from assessments.services.attempts import attempt_start, attempt_submit
from tests.assessments.factories import essay, fill_in, quiz_with, single, true_false
from tests.training.factories import class_for_world

pytestmark = pytest.mark.django_db

SECRET_EXPLANATION = "解析甲乙丙"


@pytest.fixture
def setup(world, client):
    klass = class_for_world(world)
    quiz = quiz_with(
        [single(), true_false(), fill_in(), essay()],
        training_class=klass,
        time_limit_minutes=30,
        review=Quiz.Review.AFTER_CLOSE,
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(world.trainee_a)
    return world, quiz, client


def _post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_take_page_and_answer_json_do_not_reveal_the_key(setup):
    world, quiz, client = setup
    response = client.post(reverse("assessments:attempt_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz, trainee=world.trainee_a)
    assert response.status_code == 302 and response["Location"].endswith(f"/attempt/{attempt.pk}/")
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert "先导区培训在哪里举办" in page
    for secret in (SECRET_EXPLANATION, "秘密答案丁", '"correct"', "true_false_answer", "参考要点"):
        assert secret not in page
    answer_url = reverse("assessments:attempt_answer", args=[attempt.pk])
    body = _post_json(client, answer_url, {"position": 3, "answer": "片区化", "seq": 1}).json()
    assert body["ok"] and body["saved"] and "correct" not in json.dumps(body)
    assert "score" not in body


def test_reload_resumes_with_every_saved_answer(setup):
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    url = reverse("assessments:attempt_answer", args=[attempt.pk])
    aq1 = attempt.questions.get(position=1)
    key = option_token(attempt_id=attempt.pk, position=1, key=aq1.option_order[0])
    assert _post_json(client, url, {"position": 1, "answer": key, "seq": 10}).json()["saved"]
    assert _post_json(client, url, {"position": 2, "answer": False, "seq": 11}).json()["saved"]
    assert _post_json(client, url, {"position": 3, "answer": "片区 化", "seq": 12}).json()["saved"]
    # "Another phone": a fresh session of the same trainee.
    client.logout()
    client.force_login(world.trainee_a)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert f'value="{key}" checked' in page
    assert 'value="false" checked' in page
    assert 'value="片区 化"' in page
    assert '"seqs": {"1": 10, "2": 11, "3": 12, "4": 0}' in page


def test_bad_answers_get_clear_codes_and_change_nothing(setup):
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    url = reverse("assessments:attempt_answer", args=[attempt.pk])
    forged = _post_json(client, url, {"position": 1, "answer": "o424242", "seq": 1})
    assert forged.status_code == 400 and forged.json()["code"] == "invalid_answer"
    missing = _post_json(client, url, {"position": 99, "answer": "x", "seq": 1})
    assert missing.status_code == 400 and missing.json()["code"] == "question_not_in_attempt"
    garbage = client.post(url, "{nope", content_type="application/json")
    assert garbage.status_code == 400 and garbage.json()["code"] == "bad_request"
    # What the page shows after "Not saved:" is a sentence in the trainee's language.
    with translation.override("zh-hans"):
        no_seq = _post_json(client, url, {"position": 1, "answer": "x"}).json()
    assert no_seq["code"] == "bad_request" and no_seq["message"] != "bad request"
    assert "刷新页面" in no_seq["message"]
    assert not AttemptQuestion.objects.filter(attempt=attempt, answer__isnull=False).exists()


def test_plain_form_post_saves_without_javascript(setup):
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    url = reverse("assessments:attempt_answer", args=[attempt.pk])
    response = client.post(url, {"q2": "true", "q3": "片区化", "next_q": "2"})
    assert response.status_code == 302 and response["Location"].endswith("?q=2")
    answers = dict(attempt.questions.values_list("position", "answer"))
    assert answers[2] is True and answers[3] == "片区化"


def test_other_trainee_cannot_read_or_change_an_attempt(setup):
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    client.force_login(world.trainee_b)
    for name in ("attempt_take", "attempt_result"):
        assert client.get(reverse(f"assessments:{name}", args=[attempt.pk])).status_code == 404
    answer = _post_json(
        client,
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        {"position": 2, "answer": True, "seq": 5},
    )
    assert answer.status_code == 404
    submit = client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))
    assert submit.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
    assert attempt.questions.get(position=2).answer is None
    # trainee_b is not in the class: the quiz itself is hidden too.
    assert client.get(reverse("assessments:quiz_detail", args=[quiz.pk])).status_code == 404
    assert client.post(reverse("assessments:attempt_start", args=[quiz.pk])).status_code == 404


def test_review_after_close_hides_key_until_quiz_closes(setup):
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))
    client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))  # double tap
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.graded_count == 1
    page = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    assert SECRET_EXPLANATION not in page and "秘密答案丁" not in page
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    assert SECRET_EXPLANATION in page and "秘密答案丁" in page


def test_start_past_limit_shows_message(setup):
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    response = client.post(reverse("assessments:attempt_start", args=[quiz.pk]), follow=True)
    assert "已用完" in response.content.decode() or "all the attempts" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_overdue_attempt_is_submitted_on_next_visit(setup):
    world, quiz, client = setup
    attempt = attempt_start(
        quiz=quiz, trainee=world.trainee_a, now=timezone.now() - datetime.timedelta(hours=2)
    )
    response = client.get(reverse("assessments:attempt_take", args=[attempt.pk]))
    assert response.status_code == 302 and "result" in response["Location"]
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.auto_submitted


def test_my_work_and_quiz_detail_render(setup):
    world, quiz, client = setup
    assert quiz.title in client.get(reverse("assessments:my_work")).content.decode()
    assert client.get(reverse("assessments:quiz_detail", args=[quiz.pk])).status_code == 200


def test_per_question_layout_shows_one_question_with_its_saved_answer(world, client):
    klass = class_for_world(world)
    quiz = quiz_with(
        [single(), fill_in(), essay()], training_class=klass, layout=Quiz.Layout.PER_QUESTION
    )
    client.force_login(world.trainee_a)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    url = reverse("assessments:attempt_answer", args=[attempt.pk])
    assert _post_json(client, url, {"position": 2, "answer": "片区化", "seq": 5}).json()["saved"]
    take = reverse("assessments:attempt_take", args=[attempt.pk])
    page = client.get(take + "?q=2").content.decode()
    assert "________、组团式" in page and 'value="片区化"' in page
    assert "先导区培训在哪里举办" not in page and "谈谈如何融入" not in page
    assert page.count('class="qz-q"') == 1 and page.count("data-nav=") == 3
    assert 'is-current" data-nav="2"' in page
    assert 'name="next_q" value="1"' in page and 'name="next_q" value="3"' in page
    # Out of range or not a number: the nearest question, never an error.
    assert "谈谈如何融入" in client.get(take + "?q=99").content.decode()
    assert "先导区培训在哪里举办" in client.get(take + "?q=x").content.decode()


def test_submit_without_javascript_saves_the_answers_on_the_page_first(setup):
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    answers_form = page.split('id="qz-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="finish"' in answers_form  # Submit posts the answers, not a separate form
    response = client.post(
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        {"q2": "true", "q3": "片区化", "finish": "1"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/result/")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.graded_count == 1
    assert attempt.score == 3  # true/false 1 + fill-in 2, saved before grading


def test_scores_speak_one_way_score_out_of_full_marks_and_score_rate(world, client):
    """The quiz page's 及格线, the result and the badge all use 得分率 (percent of full
    marks); before, they read '60 / 100', '60%' and '得分率 25%'."""
    klass = class_for_world(world)
    quiz = quiz_with([single(points="4"), single(points="4")], training_class=klass)
    client.force_login(world.trainee_a)
    detail = client.get(reverse("assessments:quiz_detail", args=[quiz.pk])).content.decode()
    assert "得分率 60%" in detail and "60 / 100" not in detail
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    attempt.refresh_from_db()
    result = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    assert "0 <small>/ 8 · 得分率 0%" in result
    assert "及格线：得分率 60%" in result
    detail = client.get(reverse("assessments:quiz_detail", args=[quiz.pk])).content.decode()
    assert "未通过 · 得分率 0%" in detail


def test_an_autosave_costs_a_few_queries(setup, django_assert_max_num_queries):
    """Every answer a trainee types is one request: session, user, the attempt; then the
    attempt locked, the question's row, its version, the one UPDATE (and the test's two
    savepoints). Nothing per question of the exam, nothing from the cache."""
    world, quiz, client = setup
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    url = reverse("assessments:attempt_answer", args=[attempt.pk])
    _post_json(client, url, {"position": 3, "answer": "片区", "seq": 1})
    with django_assert_max_num_queries(8):
        body = _post_json(client, url, {"position": 3, "answer": "片区化", "seq": 2}).json()
    assert body["saved"]
