"""The trainee's home page card: today's sessions with their check-in status."""

from django.utils import timezone

from training.selectors import session_list_for_trainee_on

from .models import AttendanceRecord, LeaveRequest


def home_section(request) -> dict | None:
    user = request.user
    today = timezone.localdate()
    sessions = list(session_list_for_trainee_on(trainee=user, date=today))
    pending = LeaveRequest.objects.filter(trainee=user, status=LeaveRequest.Status.PENDING).count()
    if not sessions and not pending:
        return None
    records = {
        r.session_id: r for r in AttendanceRecord.objects.filter(trainee=user, session__in=sessions)
    }
    return {
        "template": "attendance/home_section.html",
        "rows": [(s, records.get(s.pk)) for s in sessions],
        "pending_leave": pending,
        "now": timezone.now(),
    }
