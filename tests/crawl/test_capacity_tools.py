"""The capacity tools on the demo world: `capacity_data` seeds the rush profile's trainees,
and `profile_path` sends every hot path through Django's whole stack in this process,
prints the CPU a request costs and its queries, and stops on an answer that is not 200.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from loadtest.management.commands.profile_path import KINDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def capacity(demo, tmp_path):
    out = tmp_path / "capacity.json"
    call_command("capacity_data", trainees=6, answering=3, out=str(out), stdout=io.StringIO())
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_each_hot_path_answers_and_prints_its_cpu_and_queries(capacity, kind):
    stdout = io.StringIO()
    call_command("profile_path", kind, requests=3, warmup=1, data=str(capacity), stdout=stdout)
    line = stdout.getvalue().strip().splitlines()[-1]
    assert line.startswith(f"profile {kind}: 3 requests, CPU a request p50 ")
    queries = int(line.rsplit(", ", 1)[1].split()[0])
    assert queries == 0 if kind == "floor" else queries > 0


def test_profile_prints_the_costliest_functions(capacity):
    stdout = io.StringIO()
    call_command(
        "profile_path",
        "heartbeat",
        requests=2,
        warmup=0,
        profile=5,
        data=str(capacity),
        stdout=stdout,
    )
    assert "Ordered by: internal time" in stdout.getvalue()
    assert "Ordered by: cumulative time" in stdout.getvalue()


def test_a_path_that_is_refused_stops_the_profile(capacity):
    data = json.loads(capacity.read_text())
    for trainee in data["trainees"]:
        trainee["session"] = "not-a-session"  # signed out: the lesson redirects to the login
    data["paths"]["lesson"] = "/no-such-page/"
    capacity.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="lesson: 404"):
        call_command("profile_path", "lesson", requests=1, warmup=0, data=str(capacity))
