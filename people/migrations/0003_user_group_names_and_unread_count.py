from collections import defaultdict

from django.db import migrations, models


def fill_group_names(apps, schema_editor):
    User = apps.get_model("people", "User")
    names = defaultdict(list)
    for user_id, name in User.groups.through.objects.values_list("user_id", "group__name"):
        names[user_id].append(name)
    by_list = defaultdict(list)
    for user_id, names_ in names.items():
        by_list[tuple(sorted(names_))].append(user_id)
    for names_, user_ids in by_list.items():
        User.objects.filter(pk__in=user_ids).update(group_names=list(names_))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_orgunit_depth_path_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="group_names",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="role names"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="unread_notifications",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="unread notifications"
            ),
        ),
        migrations.RunPython(fill_group_names, migrations.RunPython.noop),
    ]
