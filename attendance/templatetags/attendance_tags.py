from django import template

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


SHORT = {"present": "出", "late": "迟", "left_early": "早", "on_leave": "假", "absent": "旷"}


@register.filter
def status_short(value) -> str:
    """One character per status for the trainee × session grid (— when no record)."""
    return SHORT.get(str(value or ""), "—")
