"""Background work: sending (queued by notify after commit) and the sweep (every few
minutes from `manage.py send_notifications` or the task queue).

Sending is defined beside the services that queue it (services.deliver), so that services
and tasks do not import each other; queued tasks' paths point here.
"""

from django_tasks import task

from .services.deliver import deliveries_send_later as deliveries_send
from .sweep import sweep


@task()
def notifications_sweep() -> dict:
    return sweep()


__all__ = ["deliveries_send", "notifications_sweep"]
