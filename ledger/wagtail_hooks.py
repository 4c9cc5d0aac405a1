from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.admin_columns import YesNoColumn
from lms.admin_scope import ScopedSnippetViewSet, SharedVocabularyPolicy
from people.roles import Role, has_role

from . import admin_urls
from .models import CreditRequirement


@hooks.register("register_log_actions")
def register_ledger_actions(actions):
    actions.register_action("ledger.credit_post", _("Post credit hours"), _("Credit hours posted"))
    actions.register_action(
        "ledger.other_record", _("Record other study"), _("Other study recorded with evidence")
    )
    actions.register_action(
        "ledger.other_void", _("Withdraw recorded study"), _("Recorded study withdrawn")
    )


@hooks.register("register_admin_urls")
def register_ledger_admin_urls():
    return [path("ledger/", include(admin_urls, namespace="ledger_admin"))]


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or has_role(request.user, Role.ORGANISER)


@hooks.register("register_admin_menu_item")
def register_ledger_menu_item():
    return OrganiserMenuItem(
        _("Credit-hour ledger"), "/admin/ledger/", icon_name="table", order=620
    )


# Requirements apply province-wide: whoever holds the model permission (administrators)
# manages every row; organisers have none, so every row answers 404 to them.
register_permission_policy(CreditRequirement, SharedVocabularyPolicy(CreditRequirement))


class CreditRequirementViewSet(ScopedSnippetViewSet):
    """National defaults ship with the migrations; administrators adjust them per province."""

    model = CreditRequirement
    icon = "tasks"
    menu_label = _("Credit-hour requirements")
    add_to_admin_menu = False
    list_display = [
        "name",
        "rank",
        "channel",
        "hours",
        "period",
        YesNoColumn("active", CreditRequirement),
    ]


register_snippet(CreditRequirementViewSet)
