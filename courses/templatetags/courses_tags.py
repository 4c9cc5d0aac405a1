from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def figure_number(value) -> str:
    """25.70 → 25.7, 4500.00 → 4500, 116000 → 116,000: as a figure is read aloud."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number:,f}" if abs(number) >= 10000 else f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
