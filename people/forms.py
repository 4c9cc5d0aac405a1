from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """allauth's login with our wording: a phone number or a username goes in one box."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Mobile number or username")
        field.widget.attrs.update(
            {
                "placeholder": _("Mobile number or username"),
                "autocomplete": "username",
                "inputmode": "text",
            }
        )
