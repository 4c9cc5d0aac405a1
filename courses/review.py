"""Who reviews a course's pages: the organisers of the course's owning unit (issue 16).

A lesson or course submitted for approval goes to the reviewers (members of the task's
groups, i.e. organisers) who manage the course's owning unit or a unit above it: the city
organiser reviews the city's courses and its counties', a county organiser only its own
county's. Pages that belong to no course (the case library), and courses filed without an
owning unit, keep the plain group rule: any member of the task's groups.

The unit is always read from the database (the live course row), never from a draft: an
author who changed the owning unit in a draft would otherwise choose their own reviewer.

`CourseApprovalTask` (models.py) asks these functions; so do the page permission tester
(publishing outside moderation is approving too) and the submission e-mails.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Length, Substr
from wagtail.models import Page, PagePermissionTester

from people.models import OrgUnit
from people.selectors import managed_unit_paths

NO_COURSE = ""  # the page is in no course, or its course has no owning unit


def owning_unit_path(page) -> str:
    """The tree path of the owning unit of the course `page` is or belongs to; NO_COURSE
    when there is none. Cached on the page object for the request."""
    cached = getattr(page, "_owning_unit_path", None)
    if cached is not None:
        return cached
    # Imported here: models.py imports this module.
    from .models import CoursePage

    path = page.path
    candidates = [path, path[: -Page.steplen]] if len(path) > Page.steplen else [path]
    found = (
        CoursePage.objects.filter(path__in=candidates, owning_unit__isnull=False)
        .values_list("owning_unit__path", flat=True)
        .first()
    )
    page._owning_unit_path = found or NO_COURSE
    return page._owning_unit_path


def manages_unit_path(user, unit_path: str) -> bool:
    paths = managed_unit_paths(user)
    return paths is None or any(unit_path.startswith(p) for p in paths)


def may_review_page(user, page) -> bool:
    """Given the user is one of the task's reviewers: may they review this page?"""
    if user.is_superuser:
        return True
    unit_path = owning_unit_path(page)
    return unit_path == NO_COURSE or manages_unit_path(user, unit_path)


def pages_of_other_units(user) -> QuerySet:
    """Pages of courses owned by a unit the user does not manage (nor a unit above it):
    the course pages and their lessons. A subquery, whatever the number of courses and
    units; the user's units are read in it, not before it."""
    # Imported here: models.py imports this module.
    from .models import CoursePage

    if user.is_superuser:
        return Page.objects.none()
    managing = OrgUnit.objects.filter(
        organisers=user, path=Substr(OuterRef("owning_unit__path"), 1, Length("path"))
    )
    foreign = (
        CoursePage.objects.filter(owning_unit__isnull=False)
        .exclude(Exists(managing))
        .values("path")
    )
    return Page.objects.annotate(
        parent_path=Substr("path", 1, Length("path") - Page.steplen)
    ).filter(Q(path__in=foreign) | Q(parent_path__in=foreign))


def page_ids_of_other_units(user) -> QuerySet:
    """`pages_of_other_units` as workflow rows name them (the page id as text): a subquery."""
    return pages_of_other_units(user).annotate(pk_text=Cast("pk", CharField())).values("pk_text")


def task_states_in_scope(states: QuerySet, user) -> QuerySet:
    """`states` (TaskStates) without those on pages of courses of other units."""
    if user.is_superuser:
        return states
    return states.exclude(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id__in=page_ids_of_other_units(user),
    )


def reviewers_to_notify(*, groups, page) -> QuerySet:
    """Active members of `groups` to tell about a page awaiting review: for a course's
    page, those managing the nearest unit at or above its owning unit that has any (a
    county's course goes to the county's organisers; the city's sees it in its list)."""
    members = get_user_model().objects.filter(groups__in=groups, is_active=True).distinct()
    unit_path = owning_unit_path(page)
    if unit_path == NO_COURSE:
        return members
    step = OrgUnit.steplen
    ancestors = [unit_path[:n] for n in range(step, len(unit_path) + 1, step)]
    managing = members.filter(managed_units__path__in=ancestors).values_list(
        "pk", "managed_units__path"
    )
    depth = {}
    for pk, path in managing:
        depth[pk] = max(depth.get(pk, 0), len(path))
    if not depth:
        return members.none()
    nearest = max(depth.values())
    return members.filter(pk__in=[pk for pk, d in depth.items() if d == nearest])


class CoursePagePermissionTester(PagePermissionTester):
    """Publishing a course's page outside moderation approves it as surely as the task's
    "Approve" does: only those who manage the course's owning unit publish, unpublish or
    delete it. Editing and submitting for approval stay as Wagtail grants them."""

    def _other_unit(self) -> bool:
        if self.user.is_superuser:
            return False
        unit_path = owning_unit_path(self.page)
        return unit_path != NO_COURSE and not manages_unit_path(self.user, unit_path)

    def can_publish(self):
        return super().can_publish() and not self._other_unit()

    def can_unpublish(self):
        return super().can_unpublish() and not self._other_unit()

    def can_publish_subpage(self):
        return super().can_publish_subpage() and not self._other_unit()

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk=ignore_bulk) and not self._other_unit()
