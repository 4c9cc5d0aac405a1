from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0010_leave_cap_moves_to_attendance"),
        # That migration carries each class's limit to its attendance policy first.
        ("attendance", "0011_absence_limit_from_completion_rule"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="completionrule",
            name="absence_limit_days",
        ),
    ]
