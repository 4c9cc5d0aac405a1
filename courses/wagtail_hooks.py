from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .authoring import authoring_index_setup
from .models import CaseStudyIndexPage, CourseIndexPage


@hooks.register("register_log_actions")
def register_courses_actions(actions):
    actions.register_action(
        "courses.class_course_add", _("Add course to class"), _("Course added to class")
    )
    actions.register_action(
        "courses.course_enrol", _("Assign course"), _("Course assigned to trainee")
    )
    actions.register_action("courses.lesson_complete", _("Complete lesson"), _("Lesson completed"))
    actions.register_action("courses.course_complete", _("Complete course"), _("Course completed"))


@hooks.register("after_create_page")
def set_up_authoring(request, page):
    """A new catalogue or case library gets the approval workflow and role permissions."""
    if isinstance(page.specific, CourseIndexPage | CaseStudyIndexPage):
        authoring_index_setup(index=page)
