"""One rule per event with the defaults of notifications/events.py at the time."""

from django.db import migrations

DEFAULTS = {
    "notice_posted": ("on", "on"),
    "session_starting": ("off", "mandatory"),
    "leave_approved": ("on", "mandatory"),
    "leave_rejected": ("on", "mandatory"),
    "leave_report_back_due": ("on", "on"),
    "quiz_open": ("on", "on"),
    "quiz_due": ("on", "on"),
    "work_graded": ("on", "off"),
    "certificate_issued": ("on", "on"),
    "account_created": ("mandatory", "mandatory"),
    "password_reset": ("mandatory", "mandatory"),
}


def create(apps, schema_editor):
    EventRule = apps.get_model("notifications", "EventRule")
    for event, (email, sms) in DEFAULTS.items():
        EventRule.objects.get_or_create(event=event, defaults={"email": email, "sms": sms})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
