"""The session page's failed-scan patterns name the reason in the adviser's language, not
by its code (found by the check-in browser journey)."""

import pytest
from django.urls import reverse

from attendance.models import CheckinAttempt
from attendance.selectors import attempt_patterns

pytestmark = pytest.mark.django_db


def test_patterns_carry_the_translated_reason(client, world, live_session):
    for _ in range(2):
        CheckinAttempt.objects.create(
            session=live_session, trainee=world.trainee_a, reason="token_expired"
        )
    rows = attempt_patterns(session=live_session)
    assert [(r["reason"], r["n"]) for r in rows] == [("token_expired", 2)]
    assert rows[0]["reason_label"] == CheckinAttempt.Reason.EXPIRED.label

    client.force_login(world.adviser)
    html = client.get(reverse("attendance_admin:session", args=[live_session.pk])).content.decode()
    patterns = html.split("<th>次数</th>")[1].split("</table>")[0]
    assert "二维码已过期" in patterns and "token_expired" not in patterns


def test_repeat_scans_are_counted_not_listed_as_failures(client, world, live_session):
    """A trainee scanning twice to be sure is not suspicious: the adviser sees a count."""
    for reason in ["already_checked_in", "already_checked_in", "token_expired"]:
        CheckinAttempt.objects.create(session=live_session, trainee=world.trainee_a, reason=reason)
    assert [r["reason"] for r in attempt_patterns(session=live_session)] == ["token_expired"]

    client.force_login(world.adviser)
    html = client.get(reverse("attendance_admin:session", args=[live_session.pk])).content.decode()
    failed = html.split("签到失败记录")[1]
    assert "已签到" not in failed.split("</table>")[1]  # the list of attempts
    assert "2 次重复扫码" in failed
