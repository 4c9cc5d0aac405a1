"""`{% chrome "name" var… %}…{% endchrome %}`: a fragment of the base template that is the
same for everyone, drawn once per process and language instead of on every page.

The key is the fragment's name, the active language (always, so no fragment can forget
it) and the values named after the name, which must come from a small fixed set (the
main navigation's current entry, never anything a visitor types). What goes inside may
depend on nothing else: no user, no CSRF token, no request path, nothing from the
database. Those stay outside, around the fragments. The HTML depends only on code and
translations, which change with a deployment, that is with new processes: nothing to
invalidate. Off under DEBUG, where templates change under a running server.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation

register = template.Library()

_FRAGMENTS: dict[tuple, str] = {}
_MAX_FRAGMENTS = 512  # a guard: the keys come from fixed sets, a few dozen in all


class ChromeNode(template.Node):
    def __init__(self, name: str, vary, nodelist):
        self.name, self.vary, self.nodelist = name, vary, nodelist

    def render(self, context):
        key = (
            self.name,
            translation.get_language(),
            *(str(v.resolve(context)) for v in self.vary),
        )
        html = _FRAGMENTS.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if not settings.DEBUG and len(_FRAGMENTS) < _MAX_FRAGMENTS:
                _FRAGMENTS[key] = html
        return html


@register.tag
def chrome(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('usage: {% chrome "name" [var …] %}')
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]], nodelist)


def chrome_clear() -> None:
    """Forget every fragment (tests that change the templates' inputs)."""
    _FRAGMENTS.clear()


@receiver(setting_changed)
def _settings_changed(**kwargs):
    # Tests change settings the fragments read (static storage, languages, URLs).
    chrome_clear()
