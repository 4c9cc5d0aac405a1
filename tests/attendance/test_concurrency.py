"""Real row locking on PostgreSQL: a double tap, many phones, leave approved mid-scan.

Run with `make test` or:
    DJANGO_DATABASE_URL=postgres://… pytest -m postgres tests/attendance -p no:xdist
"""

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection

from attendance.models import AttendanceRecord, CheckinAttempt
from attendance.services import checkin_record, leave_approve, session_close
from attendance.tokens import token_make
from tests.attendance.factories import LeaveRequestFactory, running_session
from tests.factories import trainee as make_trainee
from tests.training.factories import EnrolmentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = AttendanceRecord.Status


def together(n, fn):
    """Run `fn(i)` in n threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            return fn(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects them
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_concurrent_scans_of_one_trainee_make_one_record(postgres_only, world, klass):
    session = running_session(klass)

    def scan(_i):
        return checkin_record(
            trainee=world.trainee_a,
            token=token_make(session_id=session.pk),
            session_id=session.pk,
        )

    results = together(8, scan)
    assert all(not isinstance(r, Exception) for r in results), results
    assert [r.already for r in results].count(False) == 1
    assert AttendanceRecord.objects.filter(session=session).count() == 1
    assert CheckinAttempt.objects.filter(reason="already_checked_in").count() == 7


def test_many_trainees_at_once_nobody_lost(postgres_only, world, klass):
    session = running_session(klass)
    people = [make_trainee() for _ in range(20)]
    for p in people:
        EnrolmentFactory(training_class=klass, trainee=p)

    def scan(i):
        return checkin_record(
            trainee=people[i % 20], token=token_make(session_id=session.pk), session_id=session.pk
        )

    results = together(40, scan)  # everyone twice
    assert not [r for r in results if isinstance(r, Exception)]
    assert AttendanceRecord.objects.filter(session=session).count() == 20
    assert sum(not r.already for r in results) == 20


def test_leave_approval_racing_a_check_in_ends_present(postgres_only, world, klass):
    """Whichever commits first, a trainee who scanned is present, and there is one record."""
    for _round in range(5):
        session = running_session(klass)
        leave = LeaveRequestFactory(
            trainee=world.trainee_a, training_class=klass, sessions=[session]
        )

        def act(i, session=session, leave=leave):
            if i == 0:
                return leave_approve(actor=world.adviser, leave=leave)
            return checkin_record(
                trainee=world.trainee_a,
                token=token_make(session_id=session.pk),
                session_id=session.pk,
            )

        results = together(2, act)
        assert not [r for r in results if isinstance(r, Exception)], results
        record = AttendanceRecord.objects.get(session=session)
        assert record.status == S.PRESENT and record.checked_in_at is not None


def test_closing_racing_a_late_check_in(postgres_only, world, klass):
    session = running_session(klass, started_minutes_ago=170)  # ends in ten minutes

    def act(i):
        if i == 0:
            return session_close(session=session, now=session.ends_at)
        return checkin_record(
            trainee=world.trainee_a,
            token=token_make(session_id=session.pk),
            session_id=session.pk,
        )

    results = together(2, act)
    assert not [r for r in results if isinstance(r, Exception)], results
    # Either the scan came first (late) or the closing did and the scan then counts: the
    # scan is before the end, so the trainee is there. One record either way.
    assert AttendanceRecord.objects.filter(session=session).count() == 1
    assert AttendanceRecord.objects.get(session=session).status == S.LATE


@pytest.mark.parametrize(
    "mode", [["--concurrency", "6"], ["--within", "2"]], ids=["closed-loop", "open-arrivals"]
)
def test_bench_command_in_process(postgres_only, db, mode):
    from django.contrib.auth.models import Group

    from people.roles import Role

    Group.objects.get_or_create(name=str(Role.TRAINEE))
    out = io.StringIO()
    call_command("bench_checkin", "--trainees", "30", *mode, stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert re.fullmatch(
        r"checkin: 30 trainees, ok 30, duplicates 0, lost 0, p50 \d+ ms, p95 \d+ ms", last
    ), last


@pytest.mark.parametrize("login", [[], ["--http-login"]], ids=["made-sessions", "login-form"])
def test_bench_command_over_http(postgres_only, live_server, login):
    """--url: the scans go to a running server over HTTP, each with its trainee's cookies;
    the counts still come from the database, so a scan the server dropped shows as lost."""
    from django.contrib.auth.models import Group

    from people.roles import Role

    Group.objects.get_or_create(name=str(Role.TRAINEE))
    out = io.StringIO()
    call_command(
        "bench_checkin",
        "--trainees",
        "12",
        "--within",
        "1",
        "--url",
        live_server.url,
        *login,
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert "non-200 responses 0" in lines[-2], lines
    assert re.fullmatch(
        r"checkin: 12 trainees, ok 12, duplicates 0, lost 0, p50 \d+ ms, p95 \d+ ms", lines[-1]
    ), lines


def test_bench_command_takes_one_arrival_mode(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bench_checkin", "--within", "5", "--concurrency", "4")
