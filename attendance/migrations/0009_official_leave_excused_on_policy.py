"""Whether 公假 (official-duty leave) is excused from the leave cap moves from the class's
completion rule (certificates) to its attendance policy, which the cap already lives in:
each class keeps the value its completion rule had."""

from django.db import migrations, models


def rule_to_policy(apps, schema_editor):
    CompletionRule = apps.get_model("certificates", "CompletionRule")
    AttendancePolicy = apps.get_model("attendance", "AttendancePolicy")
    # The default (excused) needs no row; only classes that said otherwise are carried.
    for class_id in CompletionRule.objects.filter(official_leave_excused=False).values_list(
        "training_class_id", flat=True
    ):
        AttendancePolicy.objects.update_or_create(
            training_class_id=class_id, defaults={"official_leave_excused": False}
        )


def policy_to_rule(apps, schema_editor):
    CompletionRule = apps.get_model("certificates", "CompletionRule")
    AttendancePolicy = apps.get_model("attendance", "AttendancePolicy")
    for class_id in AttendancePolicy.objects.filter(official_leave_excused=False).values_list(
        "training_class_id", flat=True
    ):
        CompletionRule.objects.update_or_create(
            training_class_id=class_id, defaults={"official_leave_excused": False}
        )


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0008_field_verbose_names"),
        ("certificates", "0008_field_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendancepolicy",
            name="official_leave_excused",
            field=models.BooleanField(
                default=True,
                help_text="Official-duty leave (公假) does not count towards the leave cap, and its sessions earn their credit hours.",
                verbose_name="official-duty leave is excused",
            ),
        ),
        migrations.RunPython(rule_to_policy, policy_to_rule),
    ]
