"""Production: everything secret or site-specific comes from DJANGO_* environment variables.

The module builds new lists and dicts instead of mutating the ones from `base`, so importing
it (the browser journeys read its content security policy) cannot change other settings.

Variables (see docs/deploy.md for an example environment file):
  DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DJANGO_DATABASE_URL    required
  DJANGO_CSRF_TRUSTED_ORIGINS  https://train.example.cn,…
  DJANGO_BASE_URL              https://train.example.cn (links in e-mails and the admin)
  DJANGO_DB_CONN_MAX_AGE       seconds a connection is kept (default 60)
  DJANGO_DB_PGBOUNCER          1 when DJANGO_DATABASE_URL is PgBouncer in transaction mode
                               (no server-side cursors; see docs/deploy.md, "Scaling out")
  DJANGO_MEDIA_ROOT, DJANGO_MEDIA_URL   uploaded files on disk (default BASE_DIR/media)
  DJANGO_PRIVATE_MEDIA_ROOT    certificates, attachments, evidence, written work: served
                               only by permission-checked views (default BASE_DIR/var/private)
  DJANGO_MEDIA_STORAGE, DJANGO_MEDIA_STORAGE_OPTIONS   another storage backend and its
                               OPTIONS as JSON, e.g. an S3-compatible object store
  DJANGO_STATIC_ROOT           where collectstatic writes (default BASE_DIR/static_collected)
  DJANGO_CACHE_URL             redis://… for a shared cache (default: the database cache)
  DJANGO_SECURE_SSL_REDIRECT   1 (default) or 0 when the proxy already redirects
  DJANGO_SECURE_COOKIES        1 (default); 0 only for plain-HTTP loopback (make prod-local)
  DJANGO_HSTS_SECONDS, DJANGO_HSTS_PRELOAD
  DJANGO_TRUSTED_PROXY_COUNT   proxies in front that set X-Forwarded-For (default 1: nginx);
                               rate limits (login, verification page) key on the real client
  DJANGO_LOG_LEVEL, DJANGO_LOG_FORMAT   INFO; json (default) or plain
  DJANGO_EMAIL_*, DJANGO_DEFAULT_FROM_EMAIL
  DJANGO_SMS_BACKEND           notifications.sms.tencent.SmsBackend to send SMS (default: none)
  DJANGO_SMS_TENCENT_SECRET_ID, _SECRET_KEY, _APP_ID, _SIGN_NAME, _REGION   Tencent Cloud SMS
  DJANGO_SMS_TEMPLATES         JSON: approved template id per event, {"notice_posted": "…"}
"""

import json
import logging
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES as _BASE_DATABASES
from .base import LOGGING as _BASE_LOGGING
from .base import MIDDLEWARE as _BASE_MIDDLEWARE
from .base import STORAGES as _BASE_STORAGES


def _require(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def _csv(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = False
SECRET_KEY = _require("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _require("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = _csv("DJANGO_CSRF_TRUSTED_ORIGINS")

# PostgreSQL only: row locks (check-in, exam submission, the task queue) and full-text
# search are tested there; SQLite would silently serialise every writer.
_database_url = _require("DJANGO_DATABASE_URL")
if not _database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
    raise ImproperlyConfigured("DJANGO_DATABASE_URL must point at PostgreSQL (postgres://…).")
DATABASES = {
    **_BASE_DATABASES,
    "default": {
        **_BASE_DATABASES["default"],
        # Persistent connections, checked before reuse so a restarted server is harmless.
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        # Behind PgBouncer in transaction mode a cursor must not outlive its transaction
        # (the next one may run on another server connection): DJANGO_DB_PGBOUNCER=1.
        "DISABLE_SERVER_SIDE_CURSORS": _flag("DJANGO_DB_PGBOUNCER", "0"),
    },
}

# WhiteNoise serves compressed, hashed static files straight from the app processes (nginx
# may serve STATIC_ROOT itself; the files are the same). It sits right after
# SecurityMiddleware so static responses skip sessions, auth and locale. The health
# probes (lms.health) stay first of all.
_SECURITY = _BASE_MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [
    *_BASE_MIDDLEWARE[: _SECURITY + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "people.middleware.ContentSecurityPolicyMiddleware",
    *_BASE_MIDDLEWARE[_SECURITY + 1 :],
]
if os.environ.get("DJANGO_STATIC_ROOT"):
    STATIC_ROOT = os.environ["DJANGO_STATIC_ROOT"]
_media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if os.environ.get("DJANGO_MEDIA_STORAGE"):
    _media_storage = {
        "BACKEND": os.environ["DJANGO_MEDIA_STORAGE"],
        "OPTIONS": json.loads(os.environ.get("DJANGO_MEDIA_STORAGE_OPTIONS", "{}")),
    }
STORAGES = {
    **_BASE_STORAGES,
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("DJANGO_MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["DJANGO_MEDIA_ROOT"]
if os.environ.get("DJANGO_MEDIA_URL"):
    MEDIA_URL = os.environ["DJANGO_MEDIA_URL"]
if os.environ.get("DJANGO_BASE_URL"):
    WAGTAILADMIN_BASE_URL = os.environ["DJANGO_BASE_URL"]
# The admin dashboard would fetch releases.wagtail.org from every organiser's browser:
# blocked by the CSP below, often unreachable from government networks, and upgrades are
# the operator's business, not the organisers'.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", "1")
_secure_cookies = _flag("DJANGO_SECURE_COOKIES", "1")
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
LANGUAGE_COOKIE_SECURE = _secure_cookies
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = _flag("DJANGO_HSTS_PRELOAD", "1")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's live preview shows the page inside the admin in a same-origin frame, so
# framing stays allowed for our own origin (and CSP frame-ancestors says the same).
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]  # noqa: F405

# Content security policy, sent by people.middleware.ContentSecurityPolicyMiddleware.
# Measured in headless Chromium over the Wagtail 8 admin (tests/journeys/test_csp.py):
#  - script-src needs 'unsafe-inline': the pages explorer, users and history listings run
#    inline <script> blocks, and our base template's language switch uses onchange=.
#    Nothing needed 'unsafe-eval', so it is not allowed.
#  - style-src needs 'unsafe-inline': the page editor applies inline styles.
#  - connect-src 'self' is why the update check is off (WAGTAIL_ENABLE_UPDATE_CHECK).
#  - img-src data:/blob: for icons and previews of images before upload; frame-src 'self'
#    for the live preview, https: for embeds (Wagtail's oEmbed finder: video sites).
# Everything else is same-origin only: no third-party scripts, fonts or form targets.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self' https:",
        "frame-ancestors 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

# Django's tasks API with the database-backed queue: `manage.py db_worker` processes run
# the jobs; any number of them can share the PostgreSQL database (see docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

if os.environ.get("DJANGO_CACHE_URL", "").startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DJANGO_CACHE_URL"],
        }
    }
else:
    # Rate limits must be shared by every app process: keep them in the database
    # (`manage.py createcachetable` creates the table).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lms_cache",
        }
    }

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("DJANGO_EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SMS: off unless configured (notifications.sms.tencent.SmsBackend with the
# DJANGO_SMS_TENCENT_* variables and DJANGO_SMS_TEMPLATES; see lms/settings/base.py).
SMS_BACKEND = os.environ.get("DJANGO_SMS_BACKEND", "notifications.sms.disabled.SmsBackend")


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line on stdout, for journald / a log shipper to parse."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        if getattr(record, "status_code", None):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


_log_format = os.environ.get("DJANGO_LOG_FORMAT", "json")
LOGGING = {
    **_BASE_LOGGING,
    "formatters": {
        **_BASE_LOGGING["formatters"],
        "json": {"()": JsonLineFormatter},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if _log_format == "json" else "plain",
        }
    },
    "root": {**_BASE_LOGGING["root"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        **_BASE_LOGGING["loggers"],
        # The task worker's own progress lines (task started, finished, failed).
        "django_tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
        # 4xx are normal (wrong passwords, bad QR codes); 5xx are errors.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        # WeasyPrint logs seven "Step n" lines per PDF at INFO (a class's certificates
        # would flood the log); its warnings (a missing image, a bad CSS rule) stay.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Behind nginx every request comes from 127.0.0.1: take the client from X-Forwarded-For,
# or all visitors would share one rate-limit bucket (login, certificate verification).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1"))
