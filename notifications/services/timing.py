"""When and by which template a delivery may go out: read by queuing (notify) and by
sending (deliver) alike."""

import datetime

from django.conf import settings
from django.utils import timezone


def quiet_until(now: datetime.datetime) -> datetime.datetime | None:
    """The end of the night's quiet hours if `now` falls in them (22:00-07:00 by default,
    the site's time zone, Asia/Shanghai), else None. Equal hours mean none at all."""
    start, end = settings.NOTIFICATIONS_QUIET_HOURS
    if start == end:  # no quiet hours
        return None
    local = timezone.localtime(now)
    if not (local.hour >= start or local.hour < end):
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if local.hour >= start:
        morning += datetime.timedelta(days=1)
    return morning


def _sms_template(event: str) -> str:
    return str(settings.SMS_TEMPLATES.get(event) or "")
