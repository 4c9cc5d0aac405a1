"""Load-balancer probes: /healthz is alive and touches nothing, /readyz checks serving."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.lms.test_production import _production_value


@pytest.mark.django_db
def test_healthz_answers_without_the_database_a_host_check_or_a_session(client, settings):
    settings.ALLOWED_HOSTS = ["lms.example.cn"]  # a probe comes to the address, not the name
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response and not response.cookies
    assert len(queries) == 0


@pytest.mark.django_db
def test_readyz_checks_database_cache_and_reports_an_empty_queue(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["cache"] == "ok"
    assert body["tasks"] == "ok" and body["oldest_task_wait_s"] is None


@pytest.mark.django_db
def test_readyz_names_a_stalled_queue_but_stays_in_the_pool(client, settings):
    from django_tasks_db.models import DBTaskResult

    from certificates.tasks import issue_certificates

    settings.LMS_READY_TASK_AGE_WARN = 60
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    issue_certificates.enqueue(batch_id=0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200  # taking app processes out would not run the task
    assert body["tasks"] == "stale"
    assert 590 <= body["oldest_task_wait_s"] <= 700


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_loses_values(client):
    with mock.patch("lms.health.cache.get", return_value=None):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["cache"] == "error: RuntimeError"
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails(client):
    with mock.patch("lms.health._database", side_effect=OSError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error: OSError" and "tasks" not in body
    assert "refused" not in response.content.decode()  # no detail for a stranger


def test_the_probes_come_before_the_https_redirect_in_production():
    middleware = _production_value("settings.MIDDLEWARE")
    assert middleware[0] == "lms.health.HealthCheckMiddleware"
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 2
