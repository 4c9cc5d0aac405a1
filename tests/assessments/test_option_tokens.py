"""Issue 14, the answer key leaks: the option values a trainee's page carries say nothing
of the order the options were authored in, and differ from one attempt to the next."""

import json
import re

import pytest
from django.urls import reverse

from assessments.models import Attempt
from people.roles import Role
from tests.assessments.factories import quiz_with, single
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OPTION = re.compile(
    r'<input type="radio" name="q1" value="(?P<value>[^"]*)"[^>]*>\s*'
    r'<span class="qz-option__label">[A-H]</span><span class="qz-option__text">(?P<text>[^<]*)<'
)


def _options(client, quiz):
    """{option text: value} of question 1 as the trainee's page offers it, and the attempt."""
    client.post(reverse("assessments:attempt_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz, trainee=client.trainee)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    return {m["text"]: m["value"] for m in OPTION.finditer(page)}, attempt


def test_option_values_do_not_reveal_authoring_order(client):
    # The key is authored first: its o<pk> is the lowest of the question's options.
    question = single(stem="先导区培训在哪里举办？")
    keys = {o["text"]: o["key"] for o in question.current_version.data["options"]}
    right = "大别山干部学院"
    quiz = quiz_with([question], shuffle_options=True, attempts_allowed=0)
    seen = []
    for _n in range(10):
        client.trainee = UserFactory(roles=[Role.TRAINEE])
        client.force_login(client.trainee)
        values, attempt = _options(client, quiz)
        assert set(values) == set(keys), "the page reader no longer finds the options"
        for text, value in values.items():
            assert not re.fullmatch(r"o\d+", value) and value != keys[text]
        seen.append((values, attempt))

    # Sorting the values does not find the key: it is not always the lowest.
    lowest_is_right = [min(v.values()) == v[right] for v, _a in seen]
    assert not all(lowest_is_right)
    # Another attempt, other values: nothing learnt in one attempt carries to the next.
    first, second = seen[0][0], seen[1][0]
    assert not set(first.values()) & set(second.values())

    # The server reads the token back: autosave (JSON) and the plain form both score it.
    values, attempt = seen[-1]
    answer_url = reverse("assessments:attempt_answer", args=[attempt.pk])
    body = {"position": 1, "answer": values[right], "seq": 1}
    saved = client.post(answer_url, json.dumps(body), content_type="application/json")
    assert saved.json()["saved"]
    client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.score == attempt.max_score > 0
    assert attempt.questions.get().answer == keys[right]  # stored as the key, as before

    values, attempt = seen[-2]
    client.force_login(attempt.trainee)
    client.post(
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        {"q1": values[right], "finish": "1"},
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.score == attempt.max_score


def test_stored_keys_and_other_attempts_tokens_are_refused(client):
    question = single()
    keys = {o["text"]: o["key"] for o in question.current_version.data["options"]}
    quiz = quiz_with([question], shuffle_options=True)
    tokens = {}
    for _n in range(2):
        client.trainee = UserFactory(roles=[Role.TRAINEE])
        client.force_login(client.trainee)
        values, attempt = _options(client, quiz)
        tokens[attempt.pk] = values
    (first, _values), (second, values) = tokens.items()
    url = reverse("assessments:attempt_answer", args=[second])
    for forged in (keys["大别山干部学院"], tokens[first]["大别山干部学院"], [values["省委党校"]]):
        body = {"position": 1, "answer": forged, "seq": 1}
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "invalid_answer"
        if isinstance(forged, str):  # a page from before a deploy is told to reload
            assert "刷新页面" in response.json()["message"]
    plain = client.post(url, {"q1": keys["大别山干部学院"]})
    assert plain.status_code == 302
    assert Attempt.objects.get(pk=second).questions.get().answer is None
