import django.db.models.deletion
from django.db import migrations, models

STEPLEN = 4  # treebeard's default for people.OrgUnit


def _common_unit_path(paths: list[str]) -> str:
    """The deepest unit containing every path (materialised paths share its prefix)."""
    prefix = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(prefix), len(path)) and prefix[n] == path[n]:
            n += 1
        prefix = prefix[:n]
    return prefix[: len(prefix) - len(prefix) % STEPLEN]


def owning_units_set(apps, schema_editor):
    """A template in use belongs to the unit of the classes using it (their common unit when
    several units use it); one no class uses, and the default, stay system templates."""
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    CompletionRule = apps.get_model("certificates", "CompletionRule")
    OrgUnit = apps.get_model("people", "OrgUnit")
    for template in CertificateTemplate.objects.filter(org_unit__isnull=True, is_default=False):
        paths = list(
            CompletionRule.objects.filter(certificate_template=template)
            .values_list("training_class__organising_unit__path", flat=True)
            .distinct()
        )
        if not paths:
            continue
        unit = OrgUnit.objects.filter(path=_common_unit_path(paths)).first()
        if unit is not None:
            template.org_unit = unit
            template.save(update_fields=["org_unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0005_leave_share_at_most_one"),
        ("people", "0001_initial"),
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificatetemplate",
            name="org_unit",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Organisers of this unit change the template; classes of the units below "
                    "it may use it. Empty: a system template that only administrators change."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.orgunit",
                verbose_name="owning unit",
            ),
        ),
        migrations.RunPython(owning_units_set, migrations.RunPython.noop),
    ]
