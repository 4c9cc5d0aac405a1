"""Sections of the trainee's home page: 今日课程 and unread class notices."""

from django.utils import timezone

from . import selectors
from .models import SessionEvaluation


def today_section(request):
    user = request.user
    today = timezone.localdate()
    sessions = list(
        selectors.session_list_for_trainee_on(trainee=user, date=today).select_related("instructor")
    )
    if not sessions:
        return None
    now = timezone.now()
    evaluated = set(
        SessionEvaluation.objects.filter(trainee=user, session__in=sessions).values_list(
            "session_id", flat=True
        )
    )
    ended = [s.pk for s in sessions if s.ends_at <= now]
    not_to_rate = selectors.sessions_not_to_rate(trainee=user, session_ids=ended)
    for s in sessions:
        s.state = "done" if s.ends_at <= now else ("now" if s.starts_at <= now else "next")
        s.can_evaluate = s.state == "done" and s.pk not in evaluated | not_to_rate
    return {"template": "training/home_today.html", "sessions": sessions, "today": today}


def notices_section(request):
    notices = list(selectors.notice_list_for_trainee(trainee=request.user)[:5])
    if not notices:
        return None
    return {
        "template": "training/home_notices.html",
        "notices": notices,
        "unread": sum(1 for n in notices if not n.is_read),
    }
