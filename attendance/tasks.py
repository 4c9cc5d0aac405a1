"""Background work for the worker (`manage.py db_worker`) or cron (`manage.py close_sessions`)."""

from django_tasks import task

from .services import sessions_close_ended


@task()
def close_ended_sessions(days: int = 14) -> int:
    """Mark absent everyone missing from sessions that have ended; safe to run any time."""
    return sessions_close_ended(days=days)
