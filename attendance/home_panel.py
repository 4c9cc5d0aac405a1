"""The class adviser's corner of the admin home: today's sessions, leave to decide, trainees
at risk. Each panel is one selector of `selectors_home` (fixed query counts)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.admin_home import ViewerPanel

from . import selectors_home


class TodayPanel(ViewerPanel):
    name = "attendance_today"
    template_name = "attendance/admin/home_today.html"
    order = 100
    icon = "date"
    heading = _("Today's sessions")
    empty = _("No sessions today in the classes you advise.")
    full_label = _("Attendance")

    def full_url(self):
        return reverse("attendance_admin:index")

    def rows(self):
        items, total = selectors_home.sessions_today(viewer=self.viewer)
        now = timezone.now()
        for s in items:
            s.phase = "done" if s.ends_at <= now else ("now" if s.starts_at <= now else "next")
        return {"items": items, "total": total}


class LeavePanel(ViewerPanel):
    name = "attendance_leave"
    template_name = "attendance/admin/home_leave.html"
    order = 101
    icon = "calendar-alt"
    heading = _("Leave awaiting your decision")
    empty = _("No leave requests waiting.")
    full_label = _("All leave requests")

    def full_url(self):
        return reverse("attendance_admin:leave_list")

    def rows(self):
        items, total = selectors_home.leave_awaiting(viewer=self.viewer)
        return {"items": items, "total": total}


class AtRiskPanel(ViewerPanel):
    name = "attendance_at_risk"
    template_name = "attendance/admin/home_at_risk.html"
    order = 102
    icon = "warning"
    heading = _("Trainees at risk")
    empty = _("No trainee at risk in the classes you advise.")
    full_label = _("Attendance")

    def full_url(self):
        return reverse("attendance_admin:index")

    def rows(self):
        items = selectors_home.classes_at_risk(viewer=self.viewer)
        return {"items": items, "total": len(items)}
