"""Defaults from 《干部教育培训工作条例》(2023) and the 2023-2027 national cadre-training plan."""

from django.db import migrations

DEFAULTS = [
    # 乡科级 and below: 90 学时 of in-person training a year.
    ("乡科级干部每年脱产培训", "township", "in_person", "90", "year"),
    ("科级以下干部每年脱产培训", "staff", "in_person", "90", "year"),
    ("村(社区)干部每年脱产培训", "none", "in_person", "90", "year"),
    # 县处级 and above: 550 学时 in five years.
    ("县处级干部五年累计培训", "county", "all", "550", "five_years"),
    ("厅局级及以上干部五年累计培训", "bureau", "all", "550", "five_years"),
    # Everyone: 50 学时 online a year.
    ("每年网络培训", "", "online", "50", "year"),
]


def create(apps, schema_editor):
    CreditRequirement = apps.get_model("ledger", "CreditRequirement")
    for name, rank, channel, hours, period in DEFAULTS:
        CreditRequirement.objects.get_or_create(
            rank=rank, channel=channel, period=period, defaults={"name": name, "hours": hours}
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_evidence_requirements")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
