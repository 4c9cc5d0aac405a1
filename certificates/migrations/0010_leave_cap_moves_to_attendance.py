from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0009_official_leave_excused_moves_to_attendance"),
        # That migration carries each class's cap to its attendance policy first.
        ("attendance", "0010_leave_cap_from_completion_rule"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="completionrule",
            name="max_leave_share",
        ),
    ]
