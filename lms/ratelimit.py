"""One fixed-window counter in the shared cache, for the limits allauth does not cover.

Logins and password resets are limited by allauth (ACCOUNT_RATE_LIMITS). The public
certificate lookup and the study heartbeat count here. The cache is shared by every app
process in production (database or Redis, lms/settings/production.py), so the limit holds
across processes; `cache.incr` is atomic on both.
"""

from django.core.cache import cache
from django.utils import timezone


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one request against `key`; True while at most `limit` fell in this window.

    The window is aligned to the clock (every `window` seconds), so a burst at the end of
    one window and the start of the next may pass up to twice `limit`: fine for abuse
    limits, which is all these are.
    """
    slot = int(timezone.now().timestamp() // window)
    name = f"rl:{key}:{slot}"
    cache.add(name, 0, timeout=window * 2)
    try:
        count = cache.incr(name)
    except ValueError:  # evicted between add and incr
        cache.set(name, 1, timeout=window * 2)
        count = 1
    return count <= limit
