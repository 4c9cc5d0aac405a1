from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from people.roles import Role, has_role

from . import admin_urls
from .admin_classes import TrainingClassPolicy, TrainingClassViewSet
from .home import notices_section, today_section
from .home_panel import ClassesThisWeekPanel, UpcomingSessionsPanel
from .models import TrainingClass

register_permission_policy(TrainingClass, TrainingClassPolicy(TrainingClass))


@hooks.register("register_admin_viewset")
def register_class_viewset():
    return TrainingClassViewSet()


@hooks.register("register_admin_urls")
def register_training_urls():
    return [path("training/", include(admin_urls, namespace="training_admin"))]


class StaffMenuItem(MenuItem):
    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or any(has_role(user, r) for r in self.roles)


@hooks.register("register_admin_menu_item")
def register_classes_menu_item():
    return StaffMenuItem(
        _("Training classes"),
        reverse("training_class:index"),
        icon_name="group",
        order=200,
        roles=(Role.ORGANISER, Role.ADVISER, Role.INSTRUCTOR),
    )


@hooks.register("register_admin_menu_item")
def register_evaluations_menu_item():
    return StaffMenuItem(
        _("Evaluations of my sessions"),
        reverse("training_admin:my_evaluations"),
        icon_name="pick",
        order=210,
        roles=(Role.INSTRUCTOR,),
    )


@hooks.register("register_log_actions")
def register_training_actions(actions):
    for action, label, message in (
        ("training.class_create", _("Create class"), _("Class created")),
        ("training.class_update", _("Edit class"), _("Class edited")),
        ("training.class_status", _("Change class status"), _("Class status changed")),
        ("training.class_ended", _("Class ended"), _("Class ended, awaiting close")),
        ("training.roster_import", _("Import roster"), _("Roster imported")),
        ("training.enrolment_add", _("Enrol trainee"), _("Trainee enrolled")),
        (
            "training.roster_paste",
            _("Enrol pasted numbers"),
            _("Trainees enrolled by mobile number"),
        ),
        ("training.enrolment_withdraw", _("Withdraw trainee"), _("Trainee withdrawn")),
        ("training.group_create", _("Create group"), _("Group created")),
        ("training.group_update", _("Edit group"), _("Group edited")),
        ("training.group_member", _("Change group"), _("Group changed")),
        ("training.committee_role", _("Set committee role"), _("Committee role set")),
        ("training.session_create", _("Add session"), _("Session added")),
        ("training.session_update", _("Edit session"), _("Session edited")),
        ("training.session_delete", _("Delete session"), _("Session deleted")),
        ("training.timetable_import", _("Import timetable"), _("Timetable imported")),
        ("training.notice_publish", _("Publish notice"), _("Notice published")),
        ("training.calendar_renew", _("Renew calendar link"), _("Calendar link renewed")),
    ):
        actions.register_action(action, label, message)


@hooks.register("construct_homepage_panels")
def add_training_panels(request, panels):
    """Instructors: the sessions they are about to teach. Organisers: their units' classes
    of the week."""
    user = request.user
    if has_role(user, Role.INSTRUCTOR):
        panels.append(UpcomingSessionsPanel(user))
    if user.is_superuser or has_role(user, Role.ORGANISER):
        panels.append(ClassesThisWeekPanel(user))


# Sections of the trainee's home page (portal.selectors.home_sections), lowest order first.
hooks.register("portal_home_section", today_section, order=12)
hooks.register("portal_home_section", notices_section, order=14)
