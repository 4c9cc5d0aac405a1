"""The course page's admin form: the owning unit is one the editor manages.

The owning unit decides who approves the course and its lessons (review.py), so it is
chosen only by those who manage it: an organiser files a new course under one of their
units (their own when they manage just one), and may move it among their units; someone
who does not manage the current unit (an instructor, another county's organiser) sees it
but cannot change it. Superusers choose any unit, or none.

Courses are made by organising bodies: the choice lists the editor's units down to county
level (and any unit they manage below it), not every township and village.
"""

from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm

from people.models import OrgUnit
from people.selectors import org_unit_list, unit_is_managed_by

OWNING_LEVELS = [OrgUnit.Level.PROVINCE, OrgUnit.Level.CITY, OrgUnit.Level.COUNTY]


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("owning_unit")
        if field is None or for_user is None or for_user.is_superuser:
            return
        current = self.instance.owning_unit if self.instance.owning_unit_id else None
        units = org_unit_list(viewer=for_user).filter(
            Q(level__in=OWNING_LEVELS) | Q(pk__in=for_user.managed_units.values("pk"))
        )
        if (current is not None and not unit_is_managed_by(current, for_user)) or (
            current is None and not units.exists()
        ):
            field.disabled = True
            field.queryset = OrgUnit.objects.filter(pk=current.pk if current else None)
            return
        field.required = True
        field.queryset = units
        if current is None and self.instance.pk is None:  # a new course: their own unit
            own = list(for_user.managed_units.all()[:2])
            if len(own) == 1:
                self.initial["owning_unit"] = own[0].pk
