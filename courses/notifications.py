"""E-mail to reviewers when a course's page is submitted for approval (issue 16).

Wagtail's own notifier writes to every member of a GroupApprovalTask's groups; the course
approval task is not one, so Wagtail's stays silent for it and this one writes, with
Wagtail's templates, to the reviewers `review.reviewers_to_notify` names."""

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState

from .models import CourseApprovalTask


class ReviewRequestNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """Wagtail's "submitted for approval" e-mail for `CourseApprovalTask`, sent to
    `reviewers_to_notify` instead of every member of the task's groups."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, TaskState) and isinstance(
            instance.task.specific, CourseApprovalTask
        )

    def get_recipient_users(self, task_state, **kwargs):
        page = task_state.workflow_state.content_object
        recipients = task_state.task.specific.reviewers_to_notify(page)
        if getattr(settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True):
            recipients = recipients | (
                get_user_model().objects.filter(is_superuser=True, is_active=True).distinct()
            )
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return recipients


review_request_notifier = ReviewRequestNotifier()
