from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_ledger_actions(actions):
    actions.register_action("ledger.credit_post", _("Post credit hours"), _("Credit hours posted"))
