from django import template

from ..selectors import unread_count as _unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return _unread_count(request)
