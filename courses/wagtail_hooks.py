from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.models import GroupApprovalTask
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from assessments.selectors import is_assessment_staff
from lms.admin_scope import ScopedSnippetViewSet, SharedVocabularyPolicy
from people.roles import Role, has_role

from . import admin_approvals, admin_urls, gradebook_views
from .authoring import authoring_index_setup
from .home import continue_learning_section
from .home_panel import ApprovalsPanel, SentBackPanel
from .models import CaseApproach, CaseStudyIndexPage, CourseApprovalTask, CourseIndexPage
from .selectors import class_courses_for_trainee, document_is_visible_to, is_staff_reader
from .selectors_assignment import is_assignment_manager


@hooks.register("register_log_actions")
def register_courses_actions(actions):
    actions.register_action(
        "courses.class_course_add", _("Add course to class"), _("Course added to class")
    )
    actions.register_action(
        "courses.class_course_update",
        _("Change a class course's terms"),
        _("Compulsory or elective, or due date, changed"),
    )
    actions.register_action(
        "courses.class_course_remove",
        _("Remove course from class"),
        _("Course removed from class"),
    )
    actions.register_action(
        "courses.course_enrol", _("Assign course"), _("Course assigned to trainee")
    )
    actions.register_action(
        "courses.course_self_enrol",
        _("Enrol in self-selected course"),
        _("Trainee enrolled in a self-selected course"),
    )
    actions.register_action(
        "courses.course_unenrol", _("Withdraw course"), _("Course withdrawn from trainee")
    )
    actions.register_action("courses.lesson_complete", _("Complete lesson"), _("Lesson completed"))
    actions.register_action("courses.course_complete", _("Complete course"), _("Course completed"))


# Approaches filter the whole case library: whoever holds the model permission
# (administrators) manages them, every case author chooses from them.
register_permission_policy(CaseApproach, SharedVocabularyPolicy(CaseApproach))


class CaseApproachViewSet(ScopedSnippetViewSet):
    model = CaseApproach


register_snippet(CaseApproachViewSet)


@hooks.register("after_create_page")
def set_up_authoring(request, page):
    """A new catalogue or case library gets the approval workflow and role permissions."""
    if isinstance(page.specific, CourseIndexPage | CaseStudyIndexPage):
        authoring_index_setup(index=page)


# ---------------------------------------------------------------------------------------
# Gradebooks: the index, and a course's gradebook (a class's is in assessments' admin)


@hooks.register("register_admin_urls")
def register_gradebook_urls():
    return [path("gradebooks/", include(gradebook_views, namespace="gradebooks"))]


class GradebookMenuItem(MenuItem):
    def is_shown(self, request):
        return is_assessment_staff(request.user)


@hooks.register("register_admin_menu_item")
def gradebook_menu_item():
    return GradebookMenuItem(
        _("Gradebooks"), reverse("gradebooks:index"), icon_name="table", order=252
    )


# ---------------------------------------------------------------------------------------
# Assignment screens


@hooks.register("register_admin_urls")
def register_assignment_urls():
    return [path("course-assignment/", include(admin_urls, namespace="courses_admin"))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_reader(request.user)


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_assignment_manager(request.user)


class AssignmentMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return is_staff_reader(request.user)


@hooks.register("register_admin_menu_item")
def register_assignment_menu():
    items = [
        StaffMenuItem(
            _("Courses of classes"),
            reverse_lazy("courses_admin:class_list"),
            name="class-courses",
            icon_name="group",
            order=100,
        ),
        ManagerMenuItem(
            _("Individual enrolment and progress"),
            reverse_lazy("courses_admin:course_list"),
            name="course-progress",
            icon_name="user",
            order=200,
        ),
    ]
    return AssignmentMenu(
        _("Course assignment"),
        Menu(items=items),
        name="course-assignment",
        icon_name="doc-full-inverse",
        order=205,
    )


@hooks.register("training_class_admin_tabs")
def class_courses_tab(request, training_class):
    """A tab on training's class screens, once training asks its hooks for extra tabs."""
    return [
        {
            "key": "courses",
            "label": _("Online courses"),
            "url": reverse("courses_admin:class_courses", args=[training_class.pk]),
        }
    ]


@hooks.register("training_class_page_sections")
def class_courses_section(request, training_class, enrolment):
    """The class's online courses on its page: 必修/选修, due dates, the trainee's progress."""

    courses = class_courses_for_trainee(training_class=training_class, trainee=request.user)
    if not courses.statuses:
        return None
    return {
        "id": "courses",
        "title": _("Online courses"),
        "template": "courses/class_courses_section.html",
        "courses": courses,
        "show_progress": enrolment is not None,
        "today": timezone.localdate(),
    }


@hooks.register("before_serve_document")
def document_serve_check(document, request):
    """Documents are course material: signed-in readers of a course that uses them only
    (courses.selectors.document_is_visible_to). Others are told nothing exists."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not document_is_visible_to(viewer=request.user, document=document):
        raise Http404


@hooks.register("register_admin_urls")
def register_approval_urls():
    return [path("approvals/", include(admin_approvals, namespace="courses_approvals"))]


@hooks.register("construct_homepage_panels")
def add_workflow_panels(request, panels):
    """Authors see what was sent back to them; reviewers what waits for their approval.

    Our approvals panel replaces Wagtail's "awaiting your review", which asks the
    database again for every page listed and every task type. Reviewers are organisers,
    superusers and anyone in a group that approves a workflow task."""

    user = request.user
    panels[:] = [p for p in panels if getattr(p, "name", "") != "workflow_objects_to_moderate"]
    author = user.is_superuser or has_role(user, Role.INSTRUCTOR)
    panels.append(SentBackPanel(user, hide_when_empty=not author))
    if (
        user.is_superuser
        or has_role(user, Role.ORGANISER)
        or GroupApprovalTask.groups.through.objects.filter(group__user=user).exists()
        or CourseApprovalTask.groups.through.objects.filter(group__user=user).exists()
    ):
        panels.append(ApprovalsPanel(user))


# Sections of the trainee's home page (portal.selectors.home_sections), lowest order first.
hooks.register("portal_home_section", continue_learning_section, order=20)
