from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class ForcePasswordChangeMiddleware:
    """An account created by an organiser must choose its own password before anything else."""

    ALLOWED_URL_NAMES = ("account_change_password", "account_logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
            path = request.path_info
            if path not in allowed and not path.startswith((settings.STATIC_URL, "/i18n/")):
                if request.method == "GET":
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
