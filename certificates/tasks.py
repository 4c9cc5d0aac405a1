"""Background jobs (Django's tasks API; `manage.py db_worker` runs them in production)."""

from django_tasks import task


@task()
def issue_certificates(batch_id: int) -> dict:
    from .services import batch_run

    batch = batch_run(batch_id=batch_id)
    return {"done": batch.done, "failed": batch.failed, "total": batch.total}
