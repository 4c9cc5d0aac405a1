"""Wagtail's install-time rows in Chinese: its migrations create a root page "Root", the
groups "Editors" and "Moderators" and the workflow and task "Moderators approval", which
staff then read in the Chinese admin (breadcrumbs, group lists, workflow history).

Only rows that still carry Wagtail's English default are renamed, so a site that renamed
them keeps its names; a name already taken is left alone.
"""

from django.db import migrations

PAGES = {"Root": "根目录"}
GROUPS = {"Editors": "编辑", "Moderators": "审核员"}
WORKFLOWS = {"Moderators approval": "审核员审批"}


def _rename(model, field, names, *, reverse=False):
    for old, new in names.items():
        old, new = (new, old) if reverse else (old, new)
        if model.objects.filter(**{field: new}).exists():
            continue
        model.objects.filter(**{field: old}).update(**{field: new})


def forwards(apps, schema_editor, reverse=False):
    page = apps.get_model("wagtailcore", "Page")
    for old, new in PAGES.items():
        old, new = (new, old) if reverse else (old, new)
        page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)
    _rename(apps.get_model("auth", "Group"), "name", GROUPS, reverse=reverse)
    _rename(apps.get_model("wagtailcore", "Workflow"), "name", WORKFLOWS, reverse=reverse)
    _rename(apps.get_model("wagtailcore", "Task"), "name", WORKFLOWS, reverse=reverse)


def backwards(apps, schema_editor):
    forwards(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
