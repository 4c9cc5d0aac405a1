"""Background jobs: submit attempts whose time ran out, even if the trainee never returns."""

from django_tasks import task


@task()
def submit_attempt_if_overdue(attempt_id: int) -> bool:
    """Enqueued at start to run at the attempt's deadline; a no-op if already submitted."""
    from .models import Attempt
    from .services.attempts import attempt_close_if_overdue

    attempt = Attempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return False
    return attempt_close_if_overdue(attempt=attempt).status == Attempt.Status.SUBMITTED


@task()
def submit_overdue_attempts() -> int:
    """The sweep: every overdue attempt. Run by `manage.py submit_overdue_attempts` too."""
    from .services.attempts import attempts_submit_overdue

    return attempts_submit_overdue()
