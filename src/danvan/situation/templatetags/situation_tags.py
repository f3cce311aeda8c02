"""Small display helpers of the situation pages."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def grouped(value, decimals: int = 0) -> str:
    """1240 → "1.240", 12500.5 → "12.500,5" (Vietnamese grouping, whatever the locale
    formats say)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return "" if value is None else str(value)
    text = f"{number:,.{int(decimals)}f}"
    return text.replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
