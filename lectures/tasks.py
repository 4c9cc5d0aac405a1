"""Background jobs (Django's tasks API; `manage.py db_worker` runs them in production)."""

from django_tasks import task

from .media import transcode


@task()
def transcode_lecture(lecture_id: int) -> dict:
    lecture = transcode(lecture_id)
    return {"status": lecture.status, "reason": lecture.failure_reason}
