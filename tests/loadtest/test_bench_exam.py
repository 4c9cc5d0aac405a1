"""bench_exam: how its --url mode reads the exam (the database and the CSRF cookie, not the
page), its plan of saves, and a whole exam over HTTP (Locust) against the live server with
the counts checked in the database."""

import io
import json
import random
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from assessments.models import Attempt, AttemptQuestion, Quiz
from loadtest.management.commands.bench_exam import answer_plan, exam_questions
from people.models import User
from tests.assessments.factories import essay, fill_in, multiple, quiz_with, single, true_false
from tests.training.factories import class_for_world
from training.models import TrainingClass

LAST_LINE = re.compile(
    r"^exam: (?P<n>\d+) trainees, start p50 \d+ ms p95 \d+ ms, answer p95 \d+ ms, "
    r"submit p95 \d+ ms, lost (?P<lost>\d+), double-graded (?P<double>\d+)$"
)


@pytest.mark.django_db
def test_the_bench_reads_the_exam_the_page_shows_and_posts_with_the_csrf_cookie(world):
    """The HTTP bench reads each attempt's questions and option tokens from the database
    and posts with the csrftoken cookie's value: if the exam page changes shape, the bench
    must notice here, not at 300 users."""
    quiz = quiz_with(
        [single(), multiple(), true_false(), fill_in(), essay()],
        training_class=class_for_world(world),
        shuffle_options=True,
    )
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.trainee_a)
    assert browser.get(reverse("assessments:quiz_detail", args=[quiz.pk])).status_code == 200
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        reverse("assessments:attempt_start", args=[quiz.pk]), {"csrfmiddlewaretoken": csrf}
    )
    attempt = Attempt.objects.get(quiz=quiz, trainee=world.trainee_a)
    assert response["Location"] == reverse("assessments:attempt_take", args=[attempt.pk])
    page = browser.get(response["Location"])
    html = page.content.decode()

    questions = exam_questions(attempt.pk)
    shown = [
        (q["position"], q["type"], [o["value"] for o in q.get("options", ())])
        for q in page.context["all_questions"]
    ]
    assert [(p, t) for p, t, _k in questions] == [(p, t) for p, t, _k in shown]
    for (position, qtype, keys), (_p, _t, page_keys) in zip(questions, shown, strict=True):
        if qtype in ("single", "multiple"):
            # The shuffled order the trainee sees, each option by its token, not its key.
            assert keys == page_keys and keys
            for token in keys:
                assert f'name="q{position}" value="{token}"' in html
        else:
            assert keys == []
    assert reverse("assessments:attempt_answer", args=[attempt.pk]) in html

    position, _type, keys = next(q for q in questions if q[1] == "single")
    saved = browser.post(
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        data=json.dumps({"position": position, "answer": keys[0], "seq": 1}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert saved.status_code == 200 and saved.json()["ok"]
    submitted = browser.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]), {"csrfmiddlewaretoken": csrf}
    )
    assert submitted["Location"] == reverse("assessments:attempt_result", args=[attempt.pk])


def test_the_plan_resends_retries_and_late_saves_with_their_old_numbers():
    questions = [(p, "single", ["a", "b", "c", "d"]) for p in range(1, 41)]
    steps, final = answer_plan(questions, random.Random(7))
    counter = iter(range(1, 10_000))
    for step in steps:
        if step.ref is None:
            step.seq = next(counter)
    new = [s for s in steps if s.ref is None]
    resent = [s for s in steps if s.ref is not None]
    assert {s.position for s in new} == set(final) == set(range(1, 41))
    assert resent, "the plan must include retries and late saves"
    assert any(s.ref.value != final[s.position] for s in resent), "no late older save"
    for step in resent:
        assert step.seq == step.ref.seq and step.value == step.ref.value
    # The newest save of each position carries its final answer.
    newest = {}
    for step in new:
        newest[step.position] = step
    assert {p: s.value for p, s in newest.items()} == final
    # Late saves come after every new one: they can only lose to a newer number.
    last_new = max(i for i, s in enumerate(steps) if s.ref is None)
    late = [i for i, s in enumerate(steps) if s.ref is not None and s.value != final[s.position]]
    assert all(i > last_new for i in late)


def _run(**options):
    out = io.StringIO()
    # skip_checks=False: run as `manage.py bench_exam` runs, system checks included.
    call_command("bench_exam", stdout=out, skip_checks=False, **options)
    lines = out.getvalue().strip().splitlines()
    tag = re.search(r"bench tag (\w+)", lines[0]).group(1)
    return lines, tag


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_exam_over_http_counts_from_the_database_and_cleans_up(postgres_only, live_server):
    sessions_before = Session.objects.count()
    lines, tag = _run(trainees=12, questions=8, workers=4, url=live_server.url, keep=True)
    text = "\n".join(lines)
    match = LAST_LINE.match(lines[-1])
    assert match, lines[-1]
    assert (match["n"], match["lost"], match["double"]) == ("12", "0", "0"), text
    assert "errors:" not in text
    assert "unexpected responses none" in text
    # 12 trainees: quiz page, start, exam page, 8+ saves, submit (2 for a tenth), result.
    requests = int(re.search(r"http: (\d+) requests", text).group(1))
    assert requests >= 12 * (3 + 8 + 2) + 2

    quiz = Quiz.objects.get(title=f"bench exam {tag}")
    attempts = list(Attempt.objects.filter(quiz=quiz))
    assert len(attempts) == 12
    assert {a.status for a in attempts} == {Attempt.Status.SUBMITTED}
    assert {a.graded_count for a in attempts} == {1}
    assert len({a.trainee_id for a in attempts}) == 12
    logs = ModelLogEntry.objects.filter(
        action="assessments.attempt_submit", object_id__in=[str(a.pk) for a in attempts]
    )
    assert logs.count() == 12
    answers = AttemptQuestion.objects.filter(attempt__quiz=quiz)
    assert answers.count() == 12 * 8
    assert not answers.filter(answer__isnull=True).exists()
    # Sequence numbers from the page's server-corrected clock (ms), as quiz.js sends them:
    # the saves went through the autosave endpoint, not the services.
    assert not answers.filter(answer_seq__lt=10**12).exists()
    assert Session.objects.count() == sessions_before + 12

    # The same again without --keep leaves nothing behind, this run's sessions included.
    lines, tag2 = _run(trainees=3, questions=4, workers=2, url=live_server.url)
    assert LAST_LINE.match(lines[-1])["lost"] == "0", lines
    assert not User.objects.filter(username__startswith=f"bench-{tag2}-").exists()
    assert not Quiz.objects.filter(title__contains=tag2).exists()
    assert not TrainingClass.objects.filter(code=f"bench-{tag2}").exists()
    assert Session.objects.count() == sessions_before + 12


@pytest.mark.django_db
def test_a_server_that_is_not_there_is_a_clear_error_and_leaves_nothing():
    users_before = User.objects.count()
    with pytest.raises(CommandError, match="127.0.0.1:9"):
        _run(trainees=2, questions=2, workers=1, url="http://127.0.0.1:9")
    assert User.objects.count() == users_before
    assert not Quiz.objects.exists()
    assert not Session.objects.exists()
