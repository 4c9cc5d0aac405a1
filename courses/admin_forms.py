"""The course page's admin form: the owning unit is one the editor manages.

The owning unit decides who approves the course and its lessons (review.py), so it is
chosen only by those who manage it: an organiser files a new course under one of their
units (their own when they manage just one) with the unit chooser (people/choosers.py,
scoped to their part of the tree), and may move it among their units; someone who does not
manage the current unit (an instructor, another county's organiser) sees it but cannot
change it. Superusers choose any unit, or none. A course is filed by an organising body,
never by a village.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from people.choosers import unit_field
from people.models import OrgUnit
from people.selectors import org_unit_list, unit_is_managed_by

NOT_OWNING_LEVELS = [OrgUnit.Level.VILLAGE]


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("owning_unit")
        if field is None or for_user is None:
            return
        current = self.instance.owning_unit if self.instance.owning_unit_id else None
        manages = org_unit_list(viewer=for_user).exclude(level__in=NOT_OWNING_LEVELS)
        if not for_user.is_superuser and (
            (current is not None and not unit_is_managed_by(current, for_user))
            or (current is None and not manages.exists())
        ):
            field.disabled = True
            field.widget = forms.Select(attrs={"disabled": True})
            field.queryset = OrgUnit.objects.filter(pk=current.pk if current else None)
            return
        self.fields["owning_unit"] = unit_field(
            field,
            viewer=for_user,
            exclude_levels=NOT_OWNING_LEVELS,
            required=not for_user.is_superuser,
        )
        if current is None and self.instance.pk is None:  # a new course: their own unit
            own = list(for_user.managed_units.all()[:2])
            if len(own) == 1:
                self.initial["owning_unit"] = own[0].pk
