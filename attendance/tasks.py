"""Background work for the worker (`manage.py db_worker`) or cron (`manage.py close_sessions`)."""

from django_tasks import task

from training.services import classes_end_past

from .services import sessions_close_ended


@task()
def close_ended_sessions(days: int = 14) -> int:
    """Mark absent everyone missing from sessions that have ended, then move classes past
    their last session to 已结束待结班; safe to run any time."""
    closed = sessions_close_ended(days=days)
    classes_end_past()
    return closed
