"""The four roles are auth groups; code refers to them by these constants, never by name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TRAINEE = "学员", _("Trainee")
    INSTRUCTOR = "教师", _("Instructor")
    ADVISER = "班主任", _("Class adviser")
    ORGANISER = "组织员", _("Organiser")


# Who may enter the Wagtail admin, and what each role may do there.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.TRAINEE: [],
    Role.INSTRUCTOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "lectures.add_lecture",
        "lectures.change_lecture",
        "lectures.view_lecture",
    ],
    Role.ADVISER: ["wagtailadmin.access_admin"],
    Role.ORGANISER: [
        "wagtailadmin.access_admin",
        "people.manage_people",
        "certificates.add_certificatetemplate",
        "certificates.change_certificatetemplate",
        "certificates.view_certificatetemplate",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "lectures.add_lecture",
        "lectures.change_lecture",
        "lectures.view_lecture",
    ],
}


def role_names(user) -> set[str]:
    """The user's role names: from the user's row (`User.group_names`, kept in step with
    the groups by people.signals), so a page asks no query for them."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.group_names)
        user._role_names = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in role_names(user)


def primary_role(user) -> Role | None:
    """The role shown in the header: the most senior one the user holds."""
    names = role_names(user)
    for role in (Role.ORGANISER, Role.ADVISER, Role.INSTRUCTOR, Role.TRAINEE):
        if role in names:
            return role
    return None
