from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from assessments.signals import attempt_result_changed


def _ensure_workflow(sender, **kwargs):
    # Imported here: apps.py is imported before the app registry is ready.
    from .authoring import authoring_workflow_ensure

    authoring_workflow_ensure()


def _sync_course_authors(sender, instance, **kwargs):
    # Imported here: apps.py is imported before the app registry is ready.
    from .authoring import course_authors_sync

    course_authors_sync(course=instance.specific)


def _lessons_after_quiz(sender, attempt, **kwargs):
    # Imported here: apps.py is imported before the app registry is ready.
    from .services import lessons_refresh_after_quiz

    lessons_refresh_after_quiz(trainee=attempt.trainee, quiz_id=attempt.quiz_id)


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses and case studies")

    def ready(self):
        # Imported here: apps.py is imported before the app registry is ready.
        from wagtail.models import TaskState
        from wagtail.signals import page_published, task_submitted

        from .models import CoursePage
        from .notifications import review_request_notifier

        # After people's role sync (it connects first), so the organiser group exists.
        post_migrate.connect(_ensure_workflow, sender=self, dispatch_uid="courses.workflow")
        page_published.connect(
            _sync_course_authors, sender=CoursePage, dispatch_uid="courses.authors_sync"
        )
        # Review requests go to the organisers of the course's owning unit (review.py).
        task_submitted.connect(
            review_request_notifier, sender=TaskState, dispatch_uid="courses.review_request"
        )

        attempt_result_changed.connect(_lessons_after_quiz, dispatch_uid="courses.lesson_quiz")
