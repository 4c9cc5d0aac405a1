import os
import re
import subprocess
import sys

from django.conf import settings

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "x" * 60 + "a-long-random-secret-for-the-check",
    "DJANGO_ALLOWED_HOSTS": "train.example.cn",
    "DJANGO_DATABASE_URL": "postgres://lms@127.0.0.1:5432/lms",
}


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_nginx_body_limit_agrees_with_the_upload_settings():
    """nginx refuses a body before Django sees it, with an English error page; it must
    let through every file a form accepts, so that Django answers with its message."""
    conf = (settings.BASE_DIR / "deploy" / "nginx-lms.conf").read_text()
    sizes = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", conf, re.MULTILINE)
    assert sizes, "client_max_body_size is missing from deploy/nginx-lms.conf"
    assert {int(s) * 1024 * 1024 for s in sizes} == {settings.REQUEST_MAX_BODY_SIZE}
    for limit in (
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        settings.LECTURES_UPLOAD_MAX_SIZE,
        settings.SPREADSHEET_UPLOAD_MAX_SIZE,
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    ):
        assert limit < settings.REQUEST_MAX_BODY_SIZE
