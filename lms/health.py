"""Health endpoints for load balancers and monitoring (docs/deploy.md, "Health checks").

- `/healthz`: the process is alive and answers. Touches nothing else: no database, no
  session, no host check. It is the floor every other request is measured against.
- `/readyz`: the process can serve: the database answers, the cache stores and reads
  back, and how long the oldest task has been waiting for a worker.

Both are answered by a middleware at the top of the stack, before the host check, the
HTTPS redirect and the session: a load balancer probes an address, over plain HTTP,
without cookies. Neither says anything a visitor could use: status words and numbers.

A stalled worker does not make an app process unready (taking app processes out of
the pool would not run a single task): `/readyz` reports the queue's age, and marks
it "stale" past `LMS_READY_TASK_AGE_WARN` seconds, with status 200; monitoring alerts
on that word. Only a database or cache failure answers 503.
"""

import json
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def _json(payload: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, separators=(",", ":")), content_type="application/json", status=status
    )
    response["Cache-Control"] = "no-store"
    return response


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not keep a value")
    return "ok"


def _oldest_waiting_seconds() -> float | None:
    """Seconds the oldest task that is due has waited; None when nothing waits."""
    # Imported here: its models exist only where the database task backend is installed.
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
    ).first()
    if oldest is None:
        return None
    return max(0.0, (timezone.now() - oldest).total_seconds())


def readiness() -> tuple[dict, int]:
    started = time.monotonic()
    checks: dict[str, object] = {}
    healthy = True
    for name, probe in (("database", _database), ("cache", _cache)):
        try:
            checks[name] = probe()
        except Exception as exc:  # noqa: BLE001 (any failure is "not ready", named by type)
            checks[name] = f"error: {type(exc).__name__}"
            healthy = False
    if checks["database"] == "ok":
        try:
            waited = _oldest_waiting_seconds()
        except Exception as exc:  # noqa: BLE001 (the queue's table missing, say, is reported)
            checks["tasks"] = f"error: {type(exc).__name__}"
        else:
            warn = getattr(settings, "LMS_READY_TASK_AGE_WARN", 300)
            checks["tasks"] = "stale" if waited is not None and waited > warn else "ok"
            checks["oldest_task_wait_s"] = None if waited is None else round(waited, 1)
    checks["status"] = "ok" if healthy else "unavailable"
    checks["took_ms"] = round((time.monotonic() - started) * 1000, 1)
    return checks, 200 if healthy else 503


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the two probes before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path == HEALTH_PATH:
            return _json({"status": "ok"})
        if path == READY_PATH:
            payload, status = readiness()
            return _json(payload, status)
        return self.get_response(request)
