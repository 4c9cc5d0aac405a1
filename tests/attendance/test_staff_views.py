"""The adviser's screens: the check-in display and its feed, the session and class pages,
corrections through the admin, closing a session from its page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceCorrection, AttendanceRecord, CheckinAttempt
from attendance.tokens import token_read

from .factories import AttendanceRecordFactory, session_around

S = AttendanceRecord.Status
pytestmark = pytest.mark.django_db


def test_display_shows_a_fresh_signed_code_and_the_lists(client, world, live_session):
    AttendanceRecordFactory(session=live_session, trainee=world.trainee_a)
    client.force_login(world.adviser)
    page = client.get(reverse("attendance:display", args=[live_session.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "学员甲" in html
    feed = client.get(reverse("attendance:display_feed", args=[live_session.pk])).json()
    assert feed["counts"]["checked_in"] == 1 and feed["counts"]["roster"] == 1
    assert feed["checked_in"][0]["name"] == "学员甲" and feed["missing"] == []
    token = re.search(r"\?t=(.+)$", feed["url"]).group(1)
    data = token_read(token)
    assert (data.session_id, data.mode) == (live_session.pk, "i")
    assert abs(data.age()) < 5
    again = client.get(reverse("attendance:display_feed", args=[live_session.pk])).json()
    assert feed["rotate_seconds"] == 10 and again["svg"].startswith("<svg")
    out = client.get(reverse("attendance:display_feed", args=[live_session.pk]) + "?mode=out")
    assert token_read(out.json()["url"].split("?t=")[1]).mode == "o"


def test_check_out_display_says_when_it_opens_and_closes_by_its_own_times(client, world, klass):
    client.force_login(world.adviser)

    def display(session, mode=""):
        url = reverse("attendance:display", args=[session.pk]) + ("?mode=out" if mode else "")
        return client.get(url).context["feed"], client.get(url).content.decode()

    now = timezone.now()
    running = session_around(klass, start=now - datetime.timedelta(minutes=5))
    feed, html = display(running, "out")
    assert feed["not_open"] and not feed["ended"]
    assert "签退将于" in html
    just_ended = session_around(klass, start=now - datetime.timedelta(hours=3, minutes=10))
    feed, html = display(just_ended)
    assert feed["ended"] and "本课次已结束，签到已关闭" in html
    feed, html = display(just_ended, "out")
    assert not feed["ended"] and not feed["not_open"]
    long_ended = session_around(klass, start=now - datetime.timedelta(hours=5))
    feed, html = display(long_ended, "out")
    assert feed["ended"] and "本课次签退已关闭" in html
    assert "签到已关闭" not in html


def test_display_is_only_for_those_who_run_the_class(client, world, live_session):
    for outsider in (world.adviser_other, world.organiser_other, world.trainee_a):
        client.force_login(outsider)
        assert client.get(reverse("attendance:display", args=[live_session.pk])).status_code == 404
        feed = client.get(reverse("attendance:display_feed", args=[live_session.pk]))
        assert feed.status_code == 404


def test_session_page_lists_failed_scans_and_closes(client, world, klass):
    ended = session_around(klass, start=timezone.now() - datetime.timedelta(hours=4))
    CheckinAttempt.objects.create(session=ended, trainee=world.trainee_a, reason="token_expired")
    client.force_login(world.adviser)
    html = client.get(reverse("attendance_admin:session", args=[ended.pk])).content.decode()
    assert "过期" in html and "学员甲" in html
    response = client.post(reverse("attendance_admin:session_close", args=[ended.pk]))
    assert response.status_code == 302
    assert AttendanceRecord.objects.get().status == S.ABSENT


def test_correction_through_the_admin_with_history(client, world, live_session):
    client.force_login(world.adviser)
    url = reverse("attendance_admin:record_edit", args=[live_session.pk, world.trainee_a.pk])
    response = client.post(url, {"status": S.PRESENT, "reason": ""})
    assert response.status_code == 200 and not AttendanceRecord.objects.exists()
    response = client.post(url, {"status": S.PRESENT, "reason": "手机故障，现场确认到课"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "手机故障，现场确认到课" in html and "班主任甲" in html
    assert AttendanceCorrection.objects.get().new_status == S.PRESENT


def test_class_page_and_trainee_record(client, world, klass, live_session):
    AttendanceRecordFactory(session=live_session, trainee=world.trainee_a, status=S.LATE)
    client.force_login(world.organiser)
    assert klass.name in client.get(reverse("attendance_admin:index")).content.decode()
    html = client.get(reverse("attendance_admin:class", args=[klass.pk])).content.decode()
    assert live_session.title in html
    html = client.get(
        reverse("attendance_admin:class_trainee", args=[klass.pk, world.trainee_a.pk])
    ).content.decode()
    assert "迟到" in html
    client.force_login(world.organiser_other)
    assert client.get(reverse("attendance_admin:class", args=[klass.pk])).status_code == 404
    assert klass.name not in client.get(reverse("attendance_admin:index")).content.decode()


def test_policy_form_for_organisers_only(client, world, klass):
    url = reverse("attendance_admin:class_policy", args=[klass.pk])
    client.force_login(world.adviser)
    assert client.get(url).status_code == 404
    client.force_login(world.organiser)
    data = {
        "grace_minutes": 5,
        "opens_minutes_before": 30,
        "checkout_opens_minutes_before_end": 30,
        "checkout_closes_minutes_after": 30,
        "token_rotate_seconds": 8,
        "token_lifetime_seconds": 25,
        "login_grace_seconds": 120,
        "leave_cap_numerator": 1,
        "leave_cap_denominator": 7,
        "absence_limit_days": "2.0",
        "adviser_max_leave_half_days": 1,
    }
    assert client.post(url, data).status_code == 302
    assert klass.attendance_policy.grace_minutes == 5


def test_a_closed_session_no_longer_offers_to_close_it(client, world, klass):
    ended = session_around(klass, start=timezone.now() - datetime.timedelta(hours=4))
    client.force_login(world.adviser)
    url = reverse("attendance_admin:session", args=[ended.pk])
    close = reverse("attendance_admin:session_close", args=[ended.pk])
    assert close in client.get(url).content.decode()
    client.post(close)
    html = client.get(url).content.decode()
    assert close not in html and "学员甲" in html


def test_the_display_lists_every_missing_name_of_a_large_class(client, world, live_session):
    """A projector cannot scroll: 300 names pack into more, smaller columns, none cut."""
    from tests.factories import trainee
    from tests.training.factories import EnrolmentFactory

    for n in range(299):
        EnrolmentFactory(
            training_class=live_session.training_class,
            trainee=trainee(org_unit=world.village_a, full_name=f"学员{n:03d}"),
        )
    client.force_login(world.adviser)
    page = client.get(reverse("attendance:display", args=[live_session.pk]))
    html = page.content.decode()
    missing = html[html.index('id="missing-list"') :]
    assert 'data-size="xl"' in missing[:40]
    assert all(f"学员{n:03d}" in missing for n in range(299))


def test_the_class_page_shows_a_trainee_by_session_grid(client, world, klass):
    """Every status of the class on one screen, each cell a way to correct it."""
    now = timezone.now()
    first = session_around(klass, start=now - datetime.timedelta(days=1))
    second = session_around(klass, start=now - datetime.timedelta(hours=4))
    AttendanceRecordFactory(session=first, trainee=world.trainee_a)
    AttendanceRecordFactory(session=second, trainee=world.trainee_a, status=S.ABSENT)
    client.force_login(world.adviser)
    html = client.get(reverse("attendance_admin:class", args=[klass.pk])).content.decode()
    grid = html[html.index('class="listing att-grid"') :]
    grid = grid[: grid.index("</table>")]
    row = grid[grid.index("学员甲") :]
    assert row.index(">出<") < row.index(">旷<")
    assert reverse("attendance_admin:record_edit", args=[second.pk, world.trainee_a.pk]) in row
