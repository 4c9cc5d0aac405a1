"""QR check-in: a trainee scans the code on the screen and is checked in exactly once.

The story: the adviser's screen shows a code that lives 30 s. 学员甲 scans it on time (出勤),
scans again (nothing new), a colleague scans a photo forwarded a minute later (refused),
someone from another class tries (refused), a late-comer is 迟到, and after the end
nobody can check in any more. Every refusal is stored with its reason.
"""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils.timezone import now as timezone_now
from wagtail.models import ModelLogEntry

from attendance import errors
from attendance.models import AttendanceRecord, CheckinAttempt
from attendance.services import checkin_record
from attendance.services.checkin import checkin_token_age_ok
from attendance.tokens import CHECKOUT, token_make

from .factories import running_session, session_around

S = AttendanceRecord.Status
pytestmark = pytest.mark.django_db


def scan(session, trainee, *, at, issued=None, mode="i", opened_at=None, session_id=None):
    token = token_make(session_id=session.pk, mode=mode, now=(issued or at).timestamp())
    return checkin_record(
        trainee=trainee,
        token=token,
        session_id=session_id or session.pk,
        now=at,
        opened_at=opened_at,
    )


def attempts(trainee):
    return list(CheckinAttempt.objects.filter(trainee=trainee).values_list("reason", flat=True))


def test_on_time_scan_is_present_and_audited(world, live_session):
    at = live_session.starts_at + datetime.timedelta(minutes=5)
    result = scan(live_session, world.trainee_a, at=at)
    assert not result.already
    record = AttendanceRecord.objects.get(session=live_session, trainee=world.trainee_a)
    assert (record.status, record.source, record.checked_in_at) == (S.PRESENT, "qr", at)
    entry = ModelLogEntry.objects.get(action="attendance.checkin", object_id=str(record.pk))
    assert entry.user_id == world.trainee_a.pk and entry.data["status"] == "present"


def test_scan_after_grace_is_late(world, live_session):
    at = live_session.starts_at + datetime.timedelta(minutes=10, seconds=1)
    assert scan(live_session, world.trainee_a, at=at).record.status == S.LATE


def test_scan_at_grace_boundary_is_present(world, live_session):
    at = live_session.starts_at + datetime.timedelta(minutes=10)
    assert scan(live_session, world.trainee_a, at=at).record.status == S.PRESENT


def test_second_scan_changes_nothing_and_is_noted(world, live_session):
    first = live_session.starts_at + datetime.timedelta(minutes=1)
    scan(live_session, world.trainee_a, at=first)
    again = scan(live_session, world.trainee_a, at=first + datetime.timedelta(minutes=20))
    assert again.already
    assert AttendanceRecord.objects.filter(session=live_session).count() == 1
    record = AttendanceRecord.objects.get()
    assert (record.status, record.checked_in_at) == (S.PRESENT, first)
    assert attempts(world.trainee_a) == ["already_checked_in"]


def test_forwarded_photo_a_minute_later_is_refused(world, live_session):
    at = live_session.starts_at + datetime.timedelta(minutes=3)
    with pytest.raises(errors.TokenExpired) as exc:
        scan(live_session, world.trainee_a, at=at, issued=at - datetime.timedelta(seconds=60))
    assert exc.value.code == "token_expired"
    assert not AttendanceRecord.objects.exists()
    attempt = CheckinAttempt.objects.get()
    assert (attempt.reason, attempt.session_id, attempt.token_age_seconds) == (
        "token_expired",
        live_session.pk,
        60,
    )


def test_code_is_accepted_until_its_lifetime(world, live_session):
    at = live_session.starts_at + datetime.timedelta(minutes=3)
    result = scan(live_session, world.trainee_a, at=at, issued=at - datetime.timedelta(seconds=30))
    assert result.record.status == S.PRESENT


def test_tampered_code_is_refused(world, live_session):
    token = token_make(session_id=live_session.pk)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(errors.TokenInvalid):
        checkin_record(trainee=world.trainee_a, token=forged, session_id=live_session.pk)
    assert attempts(world.trainee_a) == ["bad_signature"]


def test_code_signed_for_something_else_is_refused(world, live_session):
    from django.core import signing

    other = signing.dumps({"s": live_session.pk, "m": "i", "t": int(time.time() * 1000)})
    with pytest.raises(errors.TokenInvalid):
        checkin_record(trainee=world.trainee_a, token=other, session_id=live_session.pk)


def test_code_of_another_session_is_refused(world, klass, live_session):
    other = running_session(klass, title="另一课次")
    at = live_session.starts_at + datetime.timedelta(minutes=1)
    with pytest.raises(errors.WrongSession):
        scan(other, world.trainee_a, at=at, session_id=live_session.pk)
    assert attempts(world.trainee_a) == ["wrong_session"]
    assert not AttendanceRecord.objects.exists()


def test_trainee_not_on_roster_is_refused(world, live_session):
    at = live_session.starts_at + datetime.timedelta(minutes=1)
    with pytest.raises(errors.NotOnRoster):
        scan(live_session, world.trainee_b, at=at)
    assert attempts(world.trainee_b) == ["not_on_roster"]


def test_withdrawn_trainee_is_refused(world, klass, live_session):
    klass.enrolments.filter(trainee=world.trainee_a).update(status="withdrawn")
    with pytest.raises(errors.NotOnRoster):
        scan(live_session, world.trainee_a, at=live_session.starts_at)


def test_after_the_end_check_in_is_closed(world, live_session):
    at = live_session.ends_at + datetime.timedelta(seconds=1)
    with pytest.raises(errors.SessionEnded):
        scan(live_session, world.trainee_a, at=at)
    assert attempts(world.trainee_a) == ["session_ended"]


def test_too_early_is_refused(world, live_session):
    at = live_session.starts_at - datetime.timedelta(minutes=31)
    with pytest.raises(errors.CheckinNotOpen):
        scan(live_session, world.trainee_a, at=at)
    at = live_session.starts_at - datetime.timedelta(minutes=29)
    assert scan(live_session, world.trainee_a, at=at).record.status == S.PRESENT


def test_check_out_before_the_end_is_left_early(world, live_session):
    scan(live_session, world.trainee_a, at=live_session.starts_at)
    out_at = live_session.ends_at - datetime.timedelta(minutes=20)
    result = scan(live_session, world.trainee_a, at=out_at, mode=CHECKOUT)
    assert (result.record.status, result.record.checked_out_at) == (S.LEFT_EARLY, out_at)
    again = scan(live_session, world.trainee_a, at=out_at, mode=CHECKOUT)
    assert again.already and attempts(world.trainee_a) == ["already_checked_out"]


def test_check_out_after_the_end_keeps_the_status(world, live_session):
    scan(live_session, world.trainee_a, at=live_session.starts_at + datetime.timedelta(minutes=20))
    out_at = live_session.ends_at + datetime.timedelta(minutes=5)
    assert scan(live_session, world.trainee_a, at=out_at, mode=CHECKOUT).record.status == S.LATE


def test_check_out_opens_only_shortly_before_the_end(world, klass, live_session):
    from attendance.services import policy_save

    scan(live_session, world.trainee_a, at=live_session.starts_at)
    early = live_session.ends_at - datetime.timedelta(minutes=31)
    with pytest.raises(errors.CheckoutNotOpen) as exc:
        scan(live_session, world.trainee_a, at=early, mode=CHECKOUT)
    assert exc.value.code == "checkout_not_open"
    assert attempts(world.trainee_a) == ["checkin_not_open"]
    record = AttendanceRecord.objects.get()
    assert (record.status, record.checked_out_at) == (S.PRESENT, None)
    policy_save(
        actor=world.organiser,
        training_class=klass,
        values={"checkout_opens_minutes_before_end": 45},
    )
    klass.refresh_from_db()
    live_session.training_class = klass
    assert scan(live_session, world.trainee_a, at=early, mode=CHECKOUT).record.status == (
        S.LEFT_EARLY
    )
    too_late = live_session.ends_at + datetime.timedelta(minutes=31)
    with pytest.raises(errors.CheckoutClosed):
        scan(live_session, world.trainee_a, at=too_late, mode=CHECKOUT)


def test_late_trainee_who_leaves_early_stays_late_and_counts_as_both(world, klass):
    from attendance.selectors import class_attendance_summary

    session = session_around(klass, start=timezone_now() - datetime.timedelta(hours=3, minutes=10))
    scan(session, world.trainee_a, at=session.starts_at + datetime.timedelta(minutes=25))
    out_at = session.ends_at - datetime.timedelta(minutes=15)
    result = scan(session, world.trainee_a, at=out_at, mode=CHECKOUT)
    assert (result.record.status, result.record.checked_out_at) == (S.LATE, out_at)
    s = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert (s.present, s.late, s.left_early, s.absent) == (0, 1, 1, 0)


def test_check_out_without_check_in_is_refused(world, live_session):
    with pytest.raises(errors.NotCheckedIn):
        scan(live_session, world.trainee_a, at=live_session.ends_at, mode=CHECKOUT)
    assert not AttendanceRecord.objects.exists()


def test_trainee_on_leave_who_comes_after_all_is_present(world, live_session):
    AttendanceRecord.objects.create(
        session=live_session, trainee=world.trainee_a, status=S.ON_LEAVE, source="leave"
    )
    result = scan(live_session, world.trainee_a, at=live_session.starts_at)
    assert not result.already and result.record.status == S.PRESENT
    assert AttendanceRecord.objects.count() == 1


# -- the login detour --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "opened", "now", "ok"),
    [
        (0, None, 30, True),  # within the 30 s lifetime
        (0, None, 31, False),  # expired, no login detour
        (0, 10, 150, True),  # fresh when opened, logged in within 180 s
        (0, 10, 191, False),  # login took longer than the grace
        (0, 45, 60, False),  # already expired when opened: a forwarded photo
        (0, -60, 20, True),  # nonsense opened_at does not matter while fresh
        (0, -60, 40, False),  # ...and never extends it
        (100, None, 0, False),  # issued in the future
    ],
)
def test_token_age_rules(issued, opened, now, ok):
    assert (
        checkin_token_age_ok(
            issued_at=issued, now=now, lifetime=30, login_grace=180, opened_at=opened
        )
        is ok
    )


def _url(session, token):
    return reverse("attendance:checkin", kwargs={"session_pk": session.pk}) + f"?t={token}"


def test_scan_while_logged_out_keeps_the_code_through_login(client, world, live_session):
    token = token_make(session_id=live_session.pk)
    response = client.get(_url(live_session, token))
    assert response.status_code == 302
    assert "/login/" in response["Location"] and "t%3D" in response["Location"]
    assert not AttendanceRecord.objects.exists()
    login_page = client.get(response["Location"]).content.decode()
    assert "登录后即完成签到" in login_page  # the phone says why it is asked to log in
    client.force_login(world.trainee_a)  # the login keeps the session's note
    response = client.get(_url(live_session, token))
    assert response.status_code == 200
    assert 'data-code="present"' in response.content.decode()
    assert AttendanceRecord.objects.get().trainee == world.trainee_a


def test_slow_login_after_a_fresh_scan_gets_the_grace(client, world, live_session):
    issued = time.time() - 100  # expired by now...
    token = token_make(session_id=live_session.pk, now=issued)
    client.get(_url(live_session, token))  # (noted nothing: the code was already old)
    session = client.session
    from attendance.views.trainee import OPENED_KEY, _token_key

    session[OPENED_KEY] = {_token_key(token): issued + 5}  # ...but it was fresh when opened
    session.save()
    client.force_login(world.trainee_a)
    response = client.get(_url(live_session, token))
    assert response.status_code == 200, response.content.decode()
    assert AttendanceRecord.objects.filter(trainee=world.trainee_a).exists()


def test_stale_code_opened_logged_out_gets_no_grace(client, world, live_session):
    token = token_make(session_id=live_session.pk, now=time.time() - 60)
    client.get(_url(live_session, token))
    assert "attendance_opened" not in client.session
    client.force_login(world.trainee_a)
    response = client.get(_url(live_session, token))
    assert response.status_code == 400
    assert 'data-code="token_expired"' in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_confirmation_page_after_repeat_and_for_outsider(client, world, live_session):
    client.force_login(world.trainee_a)
    client.get(_url(live_session, token_make(session_id=live_session.pk)))
    response = client.get(_url(live_session, token_make(session_id=live_session.pk)))
    assert response.status_code == 200 and 'data-code="already"' in response.content.decode()
    client.force_login(world.trainee_b)
    response = client.get(_url(live_session, token_make(session_id=live_session.pk)))
    assert response.status_code == 403
    assert 'data-code="not_on_roster"' in response.content.decode()
    assert AttendanceRecord.objects.count() == 1


def test_ended_session_page(client, world, klass):
    past = session_around(
        klass, start=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=5)
    )
    client.force_login(world.trainee_a)
    response = client.get(_url(past, token_make(session_id=past.pk)))
    assert response.status_code == 409
    assert 'data-code="session_ended"' in response.content.decode()


def test_a_scan_costs_few_queries(world, live_session):
    """The door is the hottest path: 300 scans in a few minutes, on phones waiting.

    A first scan: the session with its class, policy and the roster check in one query,
    the insert that cannot duplicate (ON CONFLICT DO NOTHING), the audit entry. A repeat:
    the same lookup, the insert that does nothing, the locked read, the noted attempt.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at = live_session.starts_at + datetime.timedelta(minutes=1)
    ContentType.objects.get_for_model(AttendanceRecord)  # cached in a running server

    def statements(queries):
        return [q["sql"].split()[0] for q in queries if "SAVEPOINT" not in q["sql"]]

    with CaptureQueriesContext(connection) as first:
        scan(live_session, world.trainee_a, at=at)
    assert statements(first) == ["SELECT", "INSERT", "INSERT"], first.captured_queries
    with CaptureQueriesContext(connection) as repeat:
        assert scan(live_session, world.trainee_a, at=at).already
    assert statements(repeat) == ["SELECT", "INSERT", "SELECT", "INSERT"]
    assert AttendanceRecord.objects.filter(session=live_session).count() == 1


def test_code_lifetime_is_capped_and_outlives_its_rotation(client, world, klass):
    from django.core.exceptions import ValidationError

    from attendance.services import policy_save

    for values in ({"token_lifetime_seconds": 600}, {"token_rotate_seconds": 40}):
        with pytest.raises(ValidationError) as exc:
            policy_save(actor=world.organiser, training_class=klass, values=values)
        assert "token_lifetime_seconds" in exc.value.message_dict
    policy = policy_save(
        actor=world.organiser,
        training_class=klass,
        values={"token_lifetime_seconds": 120, "token_rotate_seconds": 15},
    )
    assert (policy.token_lifetime_seconds, policy.token_rotate_seconds) == (120, 15)
    client.force_login(world.organiser)
    url = reverse("attendance_admin:class_policy", args=[klass.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(url, {**data, "token_lifetime_seconds": 300})
    assert (
        response.status_code == 200 and "token_lifetime_seconds" in response.context["form"].errors
    )


def _device(ip, agent):
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": ip, "HTTP_USER_AGENT": agent}


IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49"


def test_check_in_keeps_the_device_as_the_rate_limits_see_it(client, settings, world, live_session):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # nginx in front, as in production
    client.force_login(world.trainee_a)
    token = token_make(session_id=live_session.pk)
    response = client.get(_url(live_session, token), **_device("203.0.113.7", IPHONE))
    assert response.status_code == 200
    record = AttendanceRecord.objects.get()
    assert (record.ip_address, record.user_agent) == ("203.0.113.7", IPHONE)
    client.get(_url(live_session, "junk"), **_device("203.0.113.8", IPHONE))
    assert CheckinAttempt.objects.get(reason="bad_signature").ip_address == "203.0.113.8"


def test_session_page_shows_trainees_checked_in_on_one_device(client, settings, world, klass):
    from tests.factories import trainee as make_trainee
    from tests.training.factories import EnrolmentFactory

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    session = running_session(klass)
    colleague = make_trainee(full_name="代签同事")
    honest = make_trainee(full_name="自己扫码")
    for t in (colleague, honest):
        EnrolmentFactory(training_class=klass, trainee=t)
    for trainee, ip in ((world.trainee_a, "203.0.113.7"), (colleague, "203.0.113.7")):
        client.force_login(trainee)
        client.get(_url(session, token_make(session_id=session.pk)), **_device(ip, IPHONE))
    client.force_login(honest)
    client.get(_url(session, token_make(session_id=session.pk)), **_device("203.0.113.9", IPHONE))
    assert AttendanceRecord.objects.filter(session=session).count() == 3

    client.force_login(world.adviser)
    html = client.get(reverse("attendance_admin:session", args=[session.pk])).content.decode()
    assert "同一设备签到" in html
    assert html.count('data-shared-device="1"') == 2
    shared = html[html.index('id="shared-devices"') : html.index("data-shared-device") + 2000]
    assert "代签同事" in shared and world.trainee_a.get_full_name() in shared
    assert "自己扫码" not in shared


def test_new_account_scanning_logged_in_is_checked_in_after_changing_its_password(
    client, world, live_session, monkeypatch
):
    """An imported trainee, logged in but still on the initial password, scans at the door:
    the forced password change comes first, and four minutes later the scan still counts."""
    from types import SimpleNamespace

    from django.utils import timezone as real_timezone

    from tests.factories import TEST_PASSWORD

    world.trainee_a.must_change_password = True
    world.trainee_a.save(update_fields=["must_change_password"])
    client.force_login(world.trainee_a)
    url = _url(live_session, token_make(session_id=live_session.pk))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_change_password"))
    assert not AttendanceRecord.objects.exists()

    later = real_timezone.now() + datetime.timedelta(minutes=4)  # reading, typing twice
    monkeypatch.setattr("attendance.services.checkin.timezone", SimpleNamespace(now=lambda: later))
    response = client.post(
        response["Location"],
        {"oldpassword": TEST_PASSWORD, "password1": "Xin-mima-2026", "password2": "Xin-mima-2026"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert 'data-code="present"' in response.content.decode()
    record = AttendanceRecord.objects.get()
    assert (record.trainee, record.checked_in_at) == (world.trainee_a, later)


def test_failed_scan_page_names_the_session_only_to_those_who_may_know_it(client, world, klass):
    session = running_session(klass, title="内部专题：干部监督工作")
    client.force_login(world.trainee_b)  # another class, with a junk code
    html = client.get(_url(session, "junk")).content.decode()
    assert 'data-code="bad_signature"' in html
    assert session.title not in html and klass.name not in html
    other = token_make(session_id=session.pk + 1000)
    assert session.title not in client.get(_url(session, other)).content.decode()
    # A real code of the session, even refused, was read off its screen.
    html = client.get(_url(session, token_make(session_id=session.pk))).content.decode()
    assert 'data-code="not_on_roster"' in html and session.title in html
    client.force_login(world.trainee_a)  # on the roster: a junk scan still names it
    html = client.get(_url(session, "junk")).content.decode()
    assert 'data-code="bad_signature"' in html and session.title in html
