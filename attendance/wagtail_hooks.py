from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from people.roles import Role, has_role
from training.selectors import EVALUATION_BAR_HOOK

from . import admin_urls
from . import notify as _notify  # noqa: F401  (registers the report-back reminder)
from .home import home_section
from .home_panel import AtRiskPanel, LeavePanel, TodayPanel
from .selectors import sessions_missed


@hooks.register("register_admin_urls")
def register_attendance_admin_urls():
    return [path("attendance/", include(admin_urls, namespace="attendance_admin"))]


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or has_role(user, Role.ADVISER) or has_role(user, Role.ORGANISER)


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        _("Attendance"), reverse("attendance_admin:index"), icon_name="date", order=310
    )


@hooks.register("register_log_actions")
def register_attendance_actions(actions):
    for action, label, message in [
        ("attendance.checkin", _("Check in"), _("Checked in")),
        ("attendance.checkout", _("Check out"), _("Checked out")),
        ("attendance.record_correct", _("Correct attendance"), _("Attendance corrected")),
        ("attendance.session_close", _("Close session attendance"), _("Session closed")),
        ("attendance.leave_request", _("Ask for leave"), _("Leave requested")),
        ("attendance.leave_approve", _("Approve leave"), _("Leave approved")),
        ("attendance.leave_reject", _("Reject leave"), _("Leave rejected")),
        ("attendance.leave_withdraw", _("Withdraw leave"), _("Leave withdrawn")),
        ("attendance.leave_report_back", _("Report back"), _("Reported back")),
        ("attendance.policy_change", _("Change attendance rules"), _("Attendance rules changed")),
    ]:
        actions.register_action(action, label, message)


@hooks.register("construct_homepage_panels")
def add_adviser_panels(request, panels):
    """Advisers: today's sessions, leave to decide, trainees at risk. Organisers: the
    longer leave that waits for them (shorter leave is the adviser's)."""
    user = request.user
    if has_role(user, Role.ADVISER):
        panels.extend([TodayPanel(user), LeavePanel(user), AtRiskPanel(user)])
    elif user.is_superuser or has_role(user, Role.ORGANISER):
        panels.append(LeavePanel(user, order=140))


# Sections of the trainee's home page (portal.selectors.home_sections), lowest order first.
hooks.register("portal_home_section", home_section, order=35)
# Who was absent or on leave may not rate the session (training.selectors.sessions_not_to_rate).
hooks.register(EVALUATION_BAR_HOOK, sessions_missed)
