from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
DEMO_LECTURE_SECONDS = (4, 3)  # demo/videos.py: seed_demo in tests makes short clips
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
# Tests change data between two views of a report: no cached overview unless a test asks.
REPORTS_OVERVIEW_CACHE_SECONDS = 0
SMS_BACKEND = "notifications.sms.locmem.SmsBackend"
SMS_TEMPLATES = {  # placeholders: Tencent's template ids are numbers like these
    event: str(2_000_000 + i)
    for i, event in enumerate(
        [
            "notice_posted",
            "session_starting",
            "leave_approved",
            "leave_rejected",
            "leave_report_back_due",
            "quiz_open",
            "quiz_due",
            "work_graded",
            "certificate_issued",
            "account_created",
            "password_reset",
            "login_code",
        ]
    )
}
# Tests choose their own clock: the quiet hours' tests set them, others never meet them
# whatever the time of day the suite runs at.
NOTIFICATIONS_QUIET_HOURS = (0, 0)
