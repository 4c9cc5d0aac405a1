"""The one way in: every login page of the site leads to allauth's, which is throttled.

Wagtail mounts two login views of its own (`/admin/login/` and `/_util/login/`), both plain
Django `LoginView`s that authenticate without allauth's `login_failed` limit. lms/urls.py
puts these redirects on their paths, ahead of Wagtail's URLs, so a password can only be
tried through allauth.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def _safe_next(request, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _to_login(next_url: str):
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def admin_login(request):
    """`/admin/login/`: Wagtail sends people here when they may not see an admin page.

    Signed-out visitors go to allauth's login and come back to the admin page they asked
    for. A signed-in person without admin access (a trainee) goes to the site's home page:
    sending them to the login page would bounce them straight back here, round and round.
    Wagtail has already said why ("You do not have permission to access the admin").
    """
    next_url = _safe_next(request, reverse("wagtailadmin_home"))
    user = request.user
    if not user.is_authenticated:
        return _to_login(next_url)
    if user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url)
    return redirect(settings.LOGIN_REDIRECT_URL)


def frontend_login(request):
    """`/_util/login/`, Wagtail's front-end login (for private pages): allauth's instead."""
    return _to_login(_safe_next(request, settings.LOGIN_REDIRECT_URL))
