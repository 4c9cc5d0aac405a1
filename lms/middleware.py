from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the person chose another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, which would show a
    cadre whose phone happens to be set to English a half-translated site they never
    asked for. The explicit choice (the language cookie) is the only thing that counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Wagtail admin views that show the whole site's activity regardless of unit: who was
# created where, what was changed by whom. Only system administrators see them.
SUPERUSER_ONLY_VIEWS = frozenset(
    {"wagtailadmin_reports:site_history", "wagtailadmin_reports:site_history_results"}
)


class SuperuserOnlyViewsMiddleware:
    """Refuses `SUPERUSER_ONLY_VIEWS` to everyone signed in but administrators.

    Wagtail checks only admin access on its site history report; the menu item is hidden
    by a hook in people/wagtail_hooks.py. Anonymous visitors fall through to the admin's
    own login redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if (
            match is not None
            and match.view_name in SUPERUSER_ONLY_VIEWS
            and user is not None
            and user.is_authenticated
            and not user.is_superuser
        ):
            raise PermissionDenied
        return None
