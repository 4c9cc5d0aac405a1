"""The absence limit had two homes, as the leave cap had (0010): the attendance policy (for
the at-risk flag) and the completion rule (for 结业). The policy becomes the one limit. A
class whose completion rule said other than the default 2 days keeps the limit its
completion was decided by: it becomes its policy's."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

DEFAULT = Decimal("2")


def rule_to_policy(apps, schema_editor):
    CompletionRule = apps.get_model("certificates", "CompletionRule")
    AttendancePolicy = apps.get_model("attendance", "AttendancePolicy")
    rules = CompletionRule.objects.exclude(absence_limit_days=DEFAULT).values_list(
        "training_class_id", "absence_limit_days"
    )
    for class_id, days in rules:
        AttendancePolicy.objects.update_or_create(
            training_class_id=class_id, defaults={"absence_limit_days": days}
        )


def policy_to_rule(apps, schema_editor):
    CompletionRule = apps.get_model("certificates", "CompletionRule")
    AttendancePolicy = apps.get_model("attendance", "AttendancePolicy")
    policies = AttendancePolicy.objects.exclude(absence_limit_days=DEFAULT).values_list(
        "training_class_id", "absence_limit_days"
    )
    for class_id, days in policies:
        CompletionRule.objects.update_or_create(
            training_class_id=class_id, defaults={"absence_limit_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0010_leave_cap_from_completion_rule"),
        ("certificates", "0010_leave_cap_moves_to_attendance"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attendancepolicy",
            name="absence_limit_days",
            field=models.DecimalField(
                decimal_places=1,
                default=Decimal("2.0"),
                help_text="Unexcused absence of this many days or more flags the trainee, and at the class's close means withdrawal.",
                max_digits=4,
                validators=[django.core.validators.MinValueValidator(Decimal("0.5"))],
                verbose_name="absence limit (days)",
            ),
        ),
        migrations.RunPython(rule_to_policy, policy_to_rule),
    ]
