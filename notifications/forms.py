from allauth.account.adapter import get_adapter
from allauth.core import context, ratelimit
from django import forms
from django.utils.translation import gettext_lazy as _

from people.adapters import login_throttle_key
from people.phones import InvalidPhone, normalize_phone

from .events import MANDATORY, OFF
from .models import Channel


class RequestLoginCodeForm(forms.Form):
    """验证码登录, step one: the mobile number on the roster, typed any common way.

    Whether the number belongs to anyone is not revealed (allauth goes on to the code
    page either way). Requests are limited per client address and per number however it
    is typed (ACCOUNT_RATE_LIMITS["request_login_code"]), as the password login is.
    """

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "tel",
                "inputmode": "tel",
                "placeholder": _("Mobile number"),
            }
        ),
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        try:
            phone = normalize_phone(raw)
        except InvalidPhone as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        adapter = get_adapter()
        if not ratelimit.consume(
            context.request, action="request_login_code", key=login_throttle_key(phone)
        ):
            raise adapter.validation_error("too_many_login_attempts")
        self._user = adapter.get_user_by_phone(phone)
        return phone


class PreferencesForm(forms.Form):
    """One checkbox per event and channel a person may switch; mandatory ones shown ticked
    and disabled, switched-off ones not shown."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for cell in row["cells"]:
                if cell["setting"] == OFF:
                    continue
                self.fields[cell["name"]] = forms.BooleanField(
                    label=f"{row['label']} · {cell['label']}",
                    required=False,
                    initial=cell["enabled"],
                    disabled=cell["setting"] == MANDATORY,
                )

    def enabled(self) -> set[tuple[str, str]]:
        chosen = set()
        for row in self.rows:
            for cell in row["cells"]:
                if cell["name"] in self.cleaned_data and self.cleaned_data[cell["name"]]:
                    chosen.add((row["event"], cell["channel"]))
        return chosen


CHANNEL_LABELS = {Channel.EMAIL: _("Email"), Channel.SMS: _("SMS")}
