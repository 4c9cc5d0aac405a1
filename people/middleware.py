from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _


def _before_detour(request) -> None:
    """Let the view that was asked for note what it must remember across the detour.

    A view opts in with a `before_password_change(request, **kwargs)` attribute; the QR
    check-in notes when its short-lived code was opened, so the check-in after the
    password change still counts. This app need not know which views those are.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return
    hook = getattr(match.func, "before_password_change", None)
    if hook is not None:
        hook(request, *match.args, **match.kwargs)


class ForcePasswordChangeMiddleware:
    """An account created by an organiser must choose its own password before anything else."""

    ALLOWED_URL_NAMES = ("account_change_password", "account_logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        # Files handed out on a signed token (a video's segments, every few seconds) need
        # no login, and looking it up would cost two queries a segment.
        if path.startswith(tuple(getattr(settings, "NO_LOGIN_LOOKUP_PREFIXES", ()))):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
            if path not in allowed and not path.startswith((settings.STATIC_URL, "/i18n/")):
                if request.method == "GET":
                    _before_detour(request)
                    messages.info(
                        request,
                        _("Welcome! Please replace the initial password with one of your own."),
                        fail_silently=True,
                    )
                # Keep the query string: a check-in link carries its code there.
                next_url = quote(request.get_full_path(), safe="/")
                return redirect(f"{reverse('account_change_password')}?next={next_url}")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
