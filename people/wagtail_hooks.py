from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.admin_scope import ScopedDeleteBulkAction

from .admin_views import PersonViewSet
from .choosers import org_unit_chooser_viewset


@hooks.register("register_log_actions")
def register_people_actions(actions):
    actions.register_action("people.person_create", _("Create person"), _("Person created"))
    actions.register_action(
        "people.password_reset", _("Reset password"), pgettext_lazy("account", "Password reset")
    )
    actions.register_action("people.person_update", _("Edit person"), _("Person edited"))


@hooks.register("register_admin_viewset")
def register_org_unit_chooser():
    return org_unit_chooser_viewset


@hooks.register("register_admin_viewset")
def register_people_viewset():
    return PersonViewSet()


class PeopleMenuItem(MenuItem):
    """Organisers manage people here; Wagtail's own Users area stays for administrators."""

    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("people.manage_people")


@hooks.register("register_admin_menu_item")
def register_people_menu_item():
    return PeopleMenuItem(_("People"), reverse("people_admin:index"), icon_name="user", order=190)


@hooks.register("construct_reports_menu")
def hide_wagtail_reports(request, menu_items):
    """Wagtail's own reports (workflows, site history, aging pages, locked pages…) are
    for administrators; staff read 培训统计. Site history lists every unit's activity
    (people created in every county), so lms.middleware.SuperuserOnlyViewsMiddleware also
    refuses its view."""
    if not request.user.is_superuser:
        menu_items[:] = []


@hooks.register("construct_main_menu")
def hide_snippets_menu(request, menu_items):
    """Staff reach each snippet from its own menu item (题库, 证书模板…); Wagtail's generic
    片段 list is for administrators."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "snippets"]


def _scoped_bulk_delete():
    return ScopedDeleteBulkAction


# After Wagtail's own delete action (order 0), so the registry keeps this one.
hooks.register("register_bulk_action", _scoped_bulk_delete(), order=1)
