"""The leave cap had two homes: the attendance policy (a fraction, for the at-risk flag
and the leave form) and the completion rule (a four-place share, for 结业). The policy
becomes the one cap. A class whose completion rule said other than the default 0.1429
keeps the cap its completion was decided by: that share, as the nearest fraction with a
denominator up to 100 (0.2 → 1/5), becomes its policy's."""

from decimal import Decimal
from fractions import Fraction

import django.core.validators
from django.db import migrations, models

RULE_DEFAULT = Decimal("0.1429")


def rule_to_policy(apps, schema_editor):
    CompletionRule = apps.get_model("certificates", "CompletionRule")
    AttendancePolicy = apps.get_model("attendance", "AttendancePolicy")
    rules = CompletionRule.objects.exclude(max_leave_share=RULE_DEFAULT).values_list(
        "training_class_id", "max_leave_share"
    )
    for class_id, share in rules:
        cap = Fraction(share).limit_denominator(100)
        AttendancePolicy.objects.update_or_create(
            training_class_id=class_id,
            defaults={
                "leave_cap_numerator": cap.numerator,
                "leave_cap_denominator": cap.denominator,
            },
        )


def policy_to_rule(apps, schema_editor):
    CompletionRule = apps.get_model("certificates", "CompletionRule")
    AttendancePolicy = apps.get_model("attendance", "AttendancePolicy")
    policies = AttendancePolicy.objects.values_list(
        "training_class_id", "leave_cap_numerator", "leave_cap_denominator"
    )
    for class_id, numerator, denominator in policies:
        share = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))
        if share != RULE_DEFAULT:
            CompletionRule.objects.update_or_create(
                training_class_id=class_id, defaults={"max_leave_share": share}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0009_official_leave_excused_on_policy"),
        ("certificates", "0009_official_leave_excused_moves_to_attendance"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attendancepolicy",
            name="leave_cap_denominator",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="Leave beyond this share of the class's credit hours (1/7 by the regulation) flags the trainee, and at the class's close means withdrawal.",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="leave cap denominator",
            ),
        ),
        migrations.RunPython(rule_to_policy, policy_to_rule),
    ]
