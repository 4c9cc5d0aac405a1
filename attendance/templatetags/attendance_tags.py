from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

BADGE = {
    "present": "ok",
    "late": "warn",
    "left_early": "warn",
    "on_leave": "info",
    "absent": "bad",
    "pending": "warn",
    "approved": "ok",
    "rejected": "bad",
    "withdrawn": "",
}


@register.filter
def status_badge(value) -> str:
    """The badge modifier for a record or leave status (site.css: badge--ok/warn/bad)."""
    return BADGE.get(str(value), "")


@register.filter
def percent(value) -> str:
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def names_size(count) -> str:
    """How tightly the check-in display packs a list of `count` names (as display.js does)."""
    count = int(count or 0)
    return "xl" if count > 160 else "l" if count > 80 else "m" if count > 40 else "s"


# One letter in English, one character in Chinese (出迟早假旷), as the grid's legend says.
SHORT = {
    "present": pgettext_lazy("attendance grid mark", "P"),
    "late": pgettext_lazy("attendance grid mark", "L"),
    "left_early": pgettext_lazy("attendance grid mark", "E"),
    "on_leave": pgettext_lazy("attendance grid mark", "V"),
    "absent": pgettext_lazy("attendance grid mark", "A"),
}


@register.filter
def status_short(value) -> str:
    """One character per status for the trainee × session grid (— when no record)."""
    return str(SHORT.get(str(value or ""), "—"))
