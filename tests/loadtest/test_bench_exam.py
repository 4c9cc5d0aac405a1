"""bench_exam: the page reader its --url mode relies on, its plan of saves, and a whole
exam over HTTP against the live server with the counts checked in the database."""

import io
import random
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from loadtest.management.commands.bench_exam import answer_plan, parse_page
from assessments.models import Attempt, AttemptQuestion, Quiz
from assessments.option_tokens import option_tokens
from people.models import User
from tests.assessments.factories import essay, fill_in, multiple, quiz_with, single, true_false
from tests.training.factories import class_for_world
from training.models import TrainingClass

LAST_LINE = re.compile(
    r"^exam: (?P<n>\d+) trainees, start p50 \d+ ms p95 \d+ ms, answer p95 \d+ ms, "
    r"submit p95 \d+ ms, lost (?P<lost>\d+), double-graded (?P<double>\d+)$"
)


@pytest.mark.django_db
def test_the_page_reader_finds_what_quiz_js_and_the_forms_use(world, client):
    """If the exam page changes shape, the HTTP bench must notice here, not at 300 users."""
    quiz = quiz_with(
        [single(), multiple(), true_false(), fill_in(), essay()],
        training_class=class_for_world(world),
        shuffle_options=True,
    )
    client.force_login(world.trainee_a)
    detail = parse_page(client.get(reverse("assessments:quiz_detail", args=[quiz.pk])).text)
    start = detail.form(action_suffix=reverse("assessments:attempt_start", args=[quiz.pk]))
    assert start is not None and start["csrf"]

    response = client.post(start["action"])
    attempt = Attempt.objects.get(quiz=quiz, trainee=world.trainee_a)
    assert response["Location"] == reverse("assessments:attempt_take", args=[attempt.pk])
    page = parse_page(client.get(response["Location"]).text)

    assert page.form(id="qz-form")["csrf"]
    submit = page.form(id="qz-submit")
    assert submit["action"] == reverse("assessments:attempt_submit", args=[attempt.pk])
    assert submit["csrf"]
    assert page.config["answerUrl"] == reverse("assessments:attempt_answer", args=[attempt.pk])
    assert isinstance(page.config["serverNow"], int)
    expected = [
        (aq.position, aq.version.data["type"])
        for aq in AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("version")
        .order_by("position")
    ]
    assert [(q["position"], q["type"]) for q in page.questions] == expected
    by_position = {q["position"]: q for q in page.questions}
    for aq in AttemptQuestion.objects.filter(attempt=attempt).select_related("version"):
        keys = by_position[aq.position]["keys"]
        if aq.version.data["type"] in ("single", "multiple"):
            # The shuffled order the trainee sees, each option by its token, not its key.
            tokens = option_tokens(
                attempt_id=attempt.pk, position=aq.position, keys=aq.option_order
            )
            assert keys == [tokens[k] for k in aq.option_order]
            assert not set(keys) & set(aq.option_order)
        else:
            assert keys == []


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
