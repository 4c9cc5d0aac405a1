"""What the admin home shows about pages in the approval workflow: an author's pages sent
back with the reviewer's comment, a reviewer's pages waiting for approval. One query
each, however many pages (tests/lms/test_admin_home.py counts them)."""

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from lms.admin_home import first_rows

from .models import CourseApprovalTask
from .review import page_ids_of_other_units

# Workflow rows point at their object by (content type, text id): for pages the base
# content type is Page's. Filtering on its natural key joins the table instead of asking
# the content type cache, which may cost a query of its own.
_PAGES = {"app_label": "wagtailcore", "model": "page"}


def _page_fields(queryset: QuerySet, object_id: str) -> QuerySet:
    """Each row's page id and draft title (the title as its author last saved it), read in
    the same query; rows whose page has since been deleted are left out."""
    page = Page.objects.filter(pk=Cast(OuterRef(object_id), IntegerField()))
    return queryset.filter(Exists(page)).annotate(
        page_id=Cast(object_id, IntegerField()),
        page_title=Subquery(page.values("draft_title")[:1]),
    )


def pages_sent_back(*, viewer) -> tuple[list[WorkflowState], int]:
    """Pages the viewer submitted that a reviewer sent back for changes, newest first, with
    the task state that holds the reviewer's comment (`current_task_state`). One query."""
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_NEEDS_CHANGES,
        requested_by=viewer,
        **{f"base_content_type__{k}": v for k, v in _PAGES.items()},
    ).select_related("current_task_state__finished_by")
    return first_rows(_page_fields(states, "object_id").order_by("-created_at", "-pk"))


def approvals_waiting(*, viewer) -> QuerySet[TaskState]:
    """Page approvals waiting for the viewer, oldest first: in-progress tasks of Wagtail's
    group approval type, or of the course approval task, whose groups include one of the
    viewer's (superusers: all), the rule of their `get_task_states_user_can_moderate`; for
    the course approval task, only pages of courses owned by the viewer's units or none
    (courses/review.py). Who is in those groups decides whose approval a page waits for;
    this follows it. One query (without the per-task queries of
    `TaskState.objects.reviewable_by`)."""
    if not viewer.is_authenticated:
        return TaskState.objects.none()
    course_tasks = CourseApprovalTask.objects.values("pk")
    states = TaskState.objects.filter(
        Q(task__in=GroupApprovalTask.objects.values("pk")) | Q(task__in=course_tasks),
        status=TaskState.STATUS_IN_PROGRESS,
        task__active=True,
        **{f"workflow_state__base_content_type__{k}": v for k, v in _PAGES.items()},
    )
    if not viewer.is_superuser:
        member = GroupApprovalTask.groups.through.objects.filter(
            groupapprovaltask_id=OuterRef("task_id"), group__user=viewer
        )
        course_member = CourseApprovalTask.groups.through.objects.filter(
            courseapprovaltask_id=OuterRef("task_id"), group__user=viewer
        )
        states = states.filter(Exists(member) | Exists(course_member)).exclude(
            Q(task__in=course_tasks)
            & Q(workflow_state__object_id__in=page_ids_of_other_units(viewer))
        )
    return (
        _page_fields(states, "workflow_state__object_id")
        .select_related("workflow_state__requested_by", "task")
        .order_by("started_at", "pk")
    )
