"""The production profile beyond `check --deploy`: database, static files, logs, tasks."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from tests.lms.test_deploy import PROD_ENV, _manage


def _production_value(expression: str, **env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, **PROD_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_sqlite():
    env = {**PROD_ENV, "DJANGO_DATABASE_URL": "sqlite:////tmp/lms.sqlite3"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_uses_the_database_task_queue_and_shared_cache():
    tasks, cache = _production_value(
        "[settings.TASKS['default']['BACKEND'], settings.CACHES['default']['BACKEND']]"
    )
    assert tasks == "django_tasks_db.DatabaseBackend"
    assert cache == "django.core.cache.backends.db.DatabaseCache"


def test_media_storage_is_configurable():
    backend = _production_value(
        "settings.STORAGES['default']",
        DJANGO_MEDIA_STORAGE="django.core.files.storage.FileSystemStorage",
        DJANGO_MEDIA_STORAGE_OPTIONS='{"location": "/srv/media", "base_url": "/files/"}',
    )
    assert backend == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/media", "base_url": "/files/"},
    }


def test_importing_production_settings_changes_nothing_else():
    """The journeys read the CSP from the module; it must not touch base's lists."""
    from tests.journeys.harness import production_csp

    before = list(settings.MIDDLEWARE)
    policy = production_csp()
    assert "'unsafe-eval'" not in policy and "object-src 'none'" in policy
    from lms.settings import base

    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in base.MIDDLEWARE
    assert list(settings.MIDDLEWARE) == before


def test_logs_are_one_json_object_per_line():
    from tests.journeys.harness import production_csp

    production_csp()  # imports the module
    from lms.settings.production import JsonLineFormatter

    try:
        raise ValueError("boom <b>")
    except ValueError:
        record = logging.LogRecord("lms", logging.ERROR, __file__, 1, "签到 %s", ("失败",), None)
        record.exc_info = sys.exc_info()
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "签到 失败" and entry["level"] == "ERROR"
    assert "ValueError: boom <b>" in entry["exception"]


def test_pdf_progress_lines_stay_out_of_the_production_log():
    levels = _production_value(
        "{n: settings.LOGGING['loggers'].get(n, {}).get('level') for n in ('weasyprint', 'lms')}"
    )
    assert levels == {"weasyprint": "WARNING", "lms": "INFO"}


def test_private_files_have_their_own_folder():
    root = _production_value(
        "str(settings.PRIVATE_MEDIA_ROOT)", DJANGO_PRIVATE_MEDIA_ROOT="/srv/lms/private"
    )
    assert root == "/srv/lms/private"


STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")


def test_every_static_reference_in_templates_exists():
    """The manifest storage turns a {% static %} of a missing file into a 500 in production
    (the test settings would not notice)."""
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    missing = []
    for root in roots:
        if ".venv" in root.parts:
            continue
        for template in root.rglob("*.html"):
            for path in STATIC_TAG.findall(template.read_text(encoding="utf-8")):
                if not finders.find(path):
                    missing.append(f"{template.relative_to(settings.BASE_DIR)}: {path}")
    assert missing == []


def test_collectstatic_with_the_manifest_storage(tmp_path):
    """Hashes and compresses every file, Wagtail's admin included; a CSS url() to a file
    that does not exist fails here instead of at deploy time."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**base, **PROD_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "css/site.css" in manifest
    assert "wagtailadmin/css/core.css" in manifest
    hashed = tmp_path / manifest["css/site.css"]
    assert hashed.exists() and Path(f"{hashed}.gz").exists()
