"""Settings shared by every environment; dev, test and production refine them."""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    # Project apps: content (courses, assessments) depends on the domain, never back.
    "people",
    "notifications",
    "training",
    "attendance",
    "ledger",
    "declarations",
    "courses",
    "lectures",
    "assessments",
    "certificates",
    "reports",
    "portal",
    # Demo data (`seed_demo`) and load tests (bench commands, Locust drivers): outside the
    # apps, which never import them.
    "demo",
    "loadtest",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    # Background work (Django's tasks API with a database-backed queue)
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # /healthz and /readyz, before the host check and the HTTPS redirect (lms/health.py).
    "lms.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's Wagtail Site and root paths from this process's copy (lms/sites.py).
    "lms.sites.WagtailSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.middleware.ForcePasswordChangeMiddleware",
    "lms.middleware.SuperuserOnlyViewsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "people.context_processors.roles",
                "portal.context_processors.navigation",
            ],
            # {% chrome %}: the base template's fragments that are the same for everyone.
            "libraries": {"chrome": "lms.chrome"},
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands from DJANGO_DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DJANGO_DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock at BEGIN and wait for it, so concurrent requests on the dev
    # server queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) exist for PostgreSQL; SQLite builds them without the extra
# columns, which is all a development database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "people.User"
# Django's database sessions; every signed-in request's read compiled once (people/sessions.py).
SESSION_ENGINE = "people.sessions"

AUTHENTICATION_BACKENDS = [
    # Phone numbers in any common spelling, then usernames, through allauth's login form.
    "people.backends.PhoneOrUsernameBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: organisers create accounts; nobody signs up on their own. The adapter is
# people's, with the SMS hooks of login by code (notifications/adapters.py).
ACCOUNT_ADAPTER = "notifications.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    # Five wrong passwords for one account within five minutes lock it for the rest, from
    # anywhere; ten a minute from one client address lock that address, whatever account
    # it tries. The account is the normalised phone or case-folded username
    # (people.adapters.login_throttle_key), not the login as typed.
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
    # Login by a code sent by SMS: as the password login, per client address and per
    # account (the normalised phone), and each SMS costs money.
    "request_login_code": "10/m/ip,3/5m/key",
}
ACCOUNT_FORMS = {
    "login": "people.forms.LoginForm",
    "request_login_code": "notifications.forms.RequestLoginCodeForm",
}
# 验证码登录: a six-digit code by SMS instead of the password; three tries per code.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_USER_DISPLAY = "people.models.user_display"

# Internationalisation: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# locale_wagtail/: Chinese for Wagtail's own strings its zh_Hans catalogues lack (see
# scripts/wagtail_zh_missing.py). After ours, so our own translation wins for a msgid
# both have; `make messages` writes only locale/ (makemessages uses the first path).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Shanghai"
# One time zone for the whole country: the admin's account page offers no choice (its
# list of 600 zones is in English only).
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
# Project formats first (lms/formats/<language>/formats.py), then Django's.
FORMAT_MODULE_PATH = ["lms.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Certificates, leave attachments, evidence and written work: served only by views that
# check permissions, never from MEDIA_URL (lms/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Upload limits, largest first. nginx's client_max_body_size (deploy/nginx-lms.conf) is
# REQUEST_MAX_BODY_SIZE and must agree (tests/lms/test_deploy.py checks): a little above
# the largest file any form takes (Wagtail documents), so Django, not nginx, answers the
# smaller per-form limits with a message in the user's language.
REQUEST_MAX_BODY_SIZE = 60 * 1024 * 1024
# Request bodies that are not files (form fields): Django's default, stated.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Larger uploads are spooled to a temporary file instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Roster, timetable and question-bank spreadsheets (lms.spreadsheets.read_table).
SPREADSHEET_UPLOAD_MAX_SIZE = 10 * 1024 * 1024

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each app process keeps the Wagtail Sites and their root paths it read for this many
# seconds (lms/sites.py): a Site changed in another process shows within it.
SITES_MAX_AGE = 60

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /readyz marks the task queue "stale" when a due task has waited longer than this (s).
LMS_READY_TASK_AGE_WARN = 300

# Notifications (notifications/): email through EMAIL_BACKEND, SMS through SMS_BACKEND.
# Tencent Cloud SMS needs approved templates; their ids per event (notifications.models.
# Event) come as JSON in DJANGO_SMS_TEMPLATES, e.g. {"notice_posted": "1234567", ...}.
# An event without a template id sends no SMS (the delivery log says so).
SMS_BACKEND = os.environ.get("DJANGO_SMS_BACKEND", "notifications.sms.console.SmsBackend")
SMS_TEMPLATES = json.loads(os.environ.get("DJANGO_SMS_TEMPLATES", "{}"))
SMS_TENCENT = {
    "SECRET_ID": os.environ.get("DJANGO_SMS_TENCENT_SECRET_ID", ""),
    "SECRET_KEY": os.environ.get("DJANGO_SMS_TENCENT_SECRET_KEY", ""),
    "SDK_APP_ID": os.environ.get("DJANGO_SMS_TENCENT_APP_ID", ""),
    "SIGN_NAME": os.environ.get("DJANGO_SMS_TENCENT_SIGN_NAME", ""),
    "REGION": os.environ.get("DJANGO_SMS_TENCENT_REGION", "ap-guangzhou"),
}
# Template variables longer than this are cut (Tencent limits their length).
SMS_PARAM_MAX_LENGTH = int(os.environ.get("DJANGO_SMS_PARAM_MAX_LENGTH", "20"))
# No SMS from 22:00 to 07:00 site time (Asia/Shanghai), except login codes.
NOTIFICATIONS_QUIET_HOURS = (22, 7)
# The notifications sweep deletes inbox items older than this (the delivery log stays).
NOTIFICATIONS_INBOX_KEEP_DAYS = 365

# Wagtail
WAGTAIL_SITE_NAME = "干部教育培训平台"
WAGTAILADMIN_BASE_URL = os.environ.get("DJANGO_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "zip", "mp4", "webm"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024  # below REQUEST_MAX_BODY_SIZE
# Video lectures (lectures/): the largest recording an instructor may upload (below
# REQUEST_MAX_BODY_SIZE; raise both, and nginx's client_max_body_size, for longer
# lectures), the fastest playback speed that is credited, and the player's heartbeat.
LECTURES_UPLOAD_MAX_SIZE = int(os.environ.get("DJANGO_LECTURES_UPLOAD_MAX_MB", "50")) * 1024 * 1024
LECTURES_MAX_PLAYBACK_RATE = float(os.environ.get("DJANGO_LECTURES_MAX_PLAYBACK_RATE", "2"))
LECTURES_HEARTBEAT_INTERVAL_SECONDS = 15
LECTURES_HEARTBEAT_RATE_PER_MINUTE = 30
# The player's files (private, lectures/stream.py): how long a lesson page's URLs work,
# and, behind nginx, the internal location that sends them (docs/deploy.md; "" = Django
# sends them itself).
LECTURES_STREAM_TOKEN_SECONDS = 6 * 3600
LECTURES_STREAM_ACCEL_REDIRECT = os.environ.get("DJANGO_LECTURES_STREAM_ACCEL_REDIRECT", "")
# A transcoding that shows no progress for this long may be started again (重新转码).
LECTURES_TRANSCODE_STUCK_MINUTES = 30
# Paths whose views never read the login (signed-token files): middleware must not
# look it up there (people.middleware.ForcePasswordChangeMiddleware).
NO_LOGIN_LOOKUP_PREFIXES = ["/lectures/stream/"]
# One login and one password reset, both allauth's and both throttled: Wagtail's admin
# login redirects there (people/views.py) and its unthrottled reset views answer 404.
WAGTAILADMIN_LOGIN_URL = "admin_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Documents are streamed by Wagtail's view, after the `before_serve_document` hook has
# checked who asks (courses/wagtail_hooks.py); never linked to MEDIA_URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

SITE_TITLE = _("Cadre Training Platform")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "lms": {"level": "INFO"},
        "django.request": {"level": "ERROR"},
    },
}

# Training cycles for coverage reports: five calendar years at a time, counted from the
# first year of Henan's 2021-2025 plan (so 2026 falls in 2026-2030).
LMS_TRAINING_CYCLE_FIRST_YEAR = int(os.environ.get("LMS_TRAINING_CYCLE_FIRST_YEAR", "2021"))
LMS_TRAINING_CYCLE_YEARS = 5

# 我的学时 shows this year's online hours against a target: the person's yearly online
# credit-hour requirement (admin: 学时要求) when one applies, else this figure (the
# 2023-2027 national plan's 50 学时 a year).
LEDGER_ONLINE_TARGET_HOURS = 50
