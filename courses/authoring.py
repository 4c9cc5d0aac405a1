"""Who may write and publish which content in the Wagtail admin.

Choice: **one group per course** ("课程作者 · <id>"), holding add + change (never publish)
on that course page, so on its lessons too; its members are the course's instructors. The
two GroupPagePermission rows stay put while instructors come and go, so giving or taking
a course is a membership change, visible in the group screen and in the audit log. The
group is synced from the *published* course (signal `page_published`): an instructor who
adds a colleague in a draft grants nothing until an organiser approves it.

Publishing goes through the workflow "课程与案例发布审核", whose single task is approval by
an organiser (`CourseApprovalTask`: an organiser of the course's owning unit, see review.py);
it is attached to the course catalogue and the case library. Organisers hold
add/change/publish there (publishing a course's page only for its owning unit's organisers,
review.CoursePagePermissionTester); instructors may add case studies (and edit the ones they
wrote).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from people.roles import Role

from .models import CaseStudyIndexPage, CourseApprovalTask

WORKFLOW_NAME = "课程与案例发布审核"
TASK_NAME = "组织员审核"
COURSE_GROUP_PREFIX = "课程作者 · "


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _grant(group: Group, page: Page, *codenames: str) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(f"{codename}_page")
        )


def authoring_workflow_ensure() -> Workflow:
    """The organiser-approval workflow; made at migrate time so a fresh site has it.

    Sites made before issue 16 have Wagtail's GroupApprovalTask as its step, which asks
    every organiser: it is replaced by the unit-scoped task, and pages awaiting it move
    over with their comments. Safe to repeat."""
    with transaction.atomic():
        organisers, _ = Group.objects.get_or_create(name=str(Role.ORGANISER))
        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
        task = CourseApprovalTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = CourseApprovalTask.objects.create(name=TASK_NAME)
        task.groups.add(organisers)
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr)
        _group_task_retire(workflow=workflow, successor=task)
    return workflow


def _group_task_retire(*, workflow: Workflow, successor) -> None:
    for old in GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow):
        TaskState.objects.filter(task=old, status=TaskState.STATUS_IN_PROGRESS).update(
            task=successor.task_ptr
        )
        WorkflowTask.objects.filter(workflow=workflow, task=old).delete()
        if not old.workflow_tasks.exists():
            Task.objects.filter(pk=old.pk).update(active=False)


def authoring_index_setup(*, index: Page) -> None:
    """Attach the workflow and the role permissions to a course catalogue or case library."""
    workflow = authoring_workflow_ensure()
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    organisers = Group.objects.get(name=str(Role.ORGANISER))
    _grant(organisers, index, "add", "change", "publish")
    if isinstance(index.specific, CaseStudyIndexPage):
        instructors, _ = Group.objects.get_or_create(name=str(Role.INSTRUCTOR))
        _grant(instructors, index, "add")


def course_authors_group(course) -> Group:
    group, _ = Group.objects.get_or_create(name=f"{COURSE_GROUP_PREFIX}{course.pk}")
    return group


def course_authors_sync(*, course) -> Group:
    """Make the course's author group hold exactly its (published) instructors."""
    with transaction.atomic():
        group = course_authors_group(course)
        _grant(group, course, "add", "change")
        # From the database (the published course), not the in-memory draft.
        wanted = set(
            get_user_model().objects.filter(taught_courses=course).values_list("pk", flat=True)
        )
        current = set(group.user_set.values_list("pk", flat=True))
        if wanted - current:
            group.user_set.add(*(wanted - current))
        if current - wanted:
            group.user_set.remove(*(current - wanted))
    return group
