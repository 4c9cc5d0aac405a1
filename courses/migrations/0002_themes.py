from django.db import migrations

THEMES = ["industry", "talent", "culture", "ecology", "organisation"]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("courses", "Theme")
    for order, code in enumerate(THEMES):
        Theme.objects.update_or_create(code=code, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
