"""bench_notify prints the issue's line, with the counts taken from the database, the fake
SMS API and the mail the file backend wrote (PostgreSQL: its task workers run in threads of
the bench, or each in a process of its own)."""

import io
import re

import pytest
from django.core.management import call_command

LINE = re.compile(
    r"^notify: (?P<n>\d+) recipients, inbox (?P<inbox>\d+), email (?P<email>\d+), "
    r"sms (?P<sms>\d+), duplicates (?P<dup>\d+), failed (?P<failed>\d+), in [\d.]+ s$"
)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", [[], ["--processes"]], ids=["threads", "processes"])
def test_bench_notify_line(postgres_only, world, where):
    out = io.StringIO()
    call_command("bench_notify", "--trainees", "12", *where, stdout=out, stderr=io.StringIO())
    match = LINE.match(out.getvalue().strip().splitlines()[-1])
    assert match, out.getvalue()
    assert match.groupdict() == {
        "n": "12",
        "inbox": "12",
        "email": "12",
        "sms": "12",
        "dup": "0",
        "failed": "0",
    }
