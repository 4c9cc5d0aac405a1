from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _(
            "The mobile number/username or the password is not correct."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        """Organisers create accounts (by hand or roster import); nobody signs up alone."""
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", False)

    def set_password(self, user, password) -> None:
        """Any change or reset of one's own password ends the forced first change."""
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
