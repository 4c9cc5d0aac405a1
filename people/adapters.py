import unicodedata

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from .phones import InvalidPhone, normalize_phone


def login_throttle_key(typed: str) -> str:
    """The account a login attempt is aimed at, however it was typed.

    The backend accepts a phone number in any common spelling (spaces, dashes, +86,
    full-width digits), so the failure counter must count all of them as one; otherwise
    each spelling gets its own five tries. Anything that is not a phone is a username,
    compared case-insensitively, so it is case-folded (and NFKC-normalised: grouping
    more spellings together only makes the lock stricter).
    """
    try:
        return normalize_phone(typed)
    except InvalidPhone:
        return unicodedata.normalize("NFKC", typed or "").strip().casefold()


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

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth keys the `login_failed` limit (ACCOUNT_RATE_LIMITS, `key` part) on the
        login exactly as typed; key it on the account instead. The `ip` part of the same
        limit is allauth's own, per client address. tests/people/test_login_throttle.py
        fails if an allauth upgrade stops calling this."""
        typed = credentials.get("username") or credentials.get("email") or ""
        return f"{get_current_site(request).domain}:{login_throttle_key(typed)}"
