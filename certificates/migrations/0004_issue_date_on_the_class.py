from django.db import migrations, models


def copy_to_open_classes(apps, schema_editor):
    """A template's issue date becomes the rule's of each class not yet closed that uses it
    (explicitly, or as the default template). Closed classes keep theirs in the snapshots."""
    Template = apps.get_model("certificates", "CertificateTemplate")
    Rule = apps.get_model("certificates", "CompletionRule")
    default = Template.objects.filter(is_default=True, issue_date__isnull=False).first()
    for rule in Rule.objects.exclude(training_class__status="closed").select_related(
        "certificate_template"
    ):
        template = rule.certificate_template or default
        if template is not None and template.issue_date:
            rule.certificate_issue_date = template.issue_date
            rule.save(update_fields=["certificate_issue_date"])


class Migration(migrations.Migration):
    """The issue date moves from the template (shared by many classes) to the class's rule."""

    dependencies = [
        ("certificates", "0003_batch_error"),
    ]

    operations = [
        migrations.AddField(
            model_name="completionrule",
            name="certificate_issue_date",
            field=models.DateField(
                blank=True,
                help_text="Printed on the class's certificates, and the year of their numbers; "
                "the class's end date when empty.",
                null=True,
                verbose_name="certificate issue date",
            ),
        ),
        migrations.RunPython(copy_to_open_classes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="certificatetemplate",
            name="issue_date",
        ),
    ]
