"""Background work: sending (queued by notify after commit) and the sweep (every few
minutes from `manage.py send_notifications` or the task queue)."""

from django_tasks import task


@task()
def deliveries_send(key: str = "", channel: str = "sms") -> dict:
    from .services import deliveries_send as send

    return send(key=key, channel=channel)


@task()
def notifications_sweep() -> dict:
    from .sweep import sweep

    return sweep()
