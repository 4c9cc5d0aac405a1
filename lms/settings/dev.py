from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret-7c1f0f1e9c6a4d9aa1f8"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Run background tasks in the request in development, so `make run` needs no worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# SMS printed on the console; placeholder template ids so that every event shows one.
SMS_TEMPLATES = {
    event: f"dev-{event}"
    for event in [
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
        "declaration_approved",
        "declaration_refused",
    ]
}
