from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_people_actions(actions):
    actions.register_action("people.person_create", _("Create person"), _("Person created"))
    actions.register_action("people.password_reset", _("Reset password"), _("Password reset"))
