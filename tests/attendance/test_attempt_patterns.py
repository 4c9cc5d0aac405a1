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
