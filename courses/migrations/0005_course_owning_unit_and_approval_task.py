"""Courses get an owning unit, whose organisers approve them (issue 16), and the approval
task that reads it (courses.models.CourseApprovalTask). The workflow is switched over to
the new task by `authoring_workflow_ensure` after migrating (apps.py), as it is set up.

Existing courses get the unit of the organiser who created them (the deepest unit holding
all the units they manage), or else the common unit of the classes that use them; a course
neither tells stays without one, and keeps the old rule: any organiser approves it.
"""

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
    CoursePage = apps.get_model("courses", "CoursePage")
    ClassCourse = apps.get_model("courses", "ClassCourse")
    OrgUnit = apps.get_model("people", "OrgUnit")
    User = apps.get_model("people", "User")
    for course in CoursePage.objects.filter(owning_unit__isnull=True):
        paths = []
        if course.owner_id:
            paths = list(
                User.objects.filter(pk=course.owner_id).values_list(
                    "managed_units__path", flat=True
                )
            )
            paths = [p for p in paths if p]
        if not paths:
            paths = list(
                ClassCourse.objects.filter(course_id=course.pk)
                .values_list("training_class__organising_unit__path", flat=True)
                .distinct()
            )
            paths = [p for p in paths if p]
        if not paths:
            continue
        unit = OrgUnit.objects.filter(path=_common_unit_path(paths)).first()
        if unit is not None:
            CoursePage.objects.filter(pk=course.pk).update(owning_unit=unit)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("courses", "0004_class_course_requirement_due_date"),
        ("people", "0001_initial"),
        ("training", "0002_class_life"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="coursepage",
            name="owning_unit",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Organisers of this unit (or of a unit above it) approve the course and "
                    "its lessons; organisers of other units are not asked."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="courses",
                to="people.orgunit",
                verbose_name="owning unit",
            ),
        ),
        migrations.CreateModel(
            name="CourseApprovalTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        help_text=(
                            "Members of these groups approve pages at this step: each only the "
                            "pages of courses owned by a unit they manage."
                        ),
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
            ],
            options={
                "verbose_name": "approval by the course's owning unit",
                "verbose_name_plural": "approvals by the course's owning unit",
            },
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(owning_units_set, migrations.RunPython.noop),
    ]
