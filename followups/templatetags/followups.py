from decimal import Decimal

from django import template
from django.utils.formats import get_format

from crm.core import permissions

register = template.Library()


@register.filter
def euros(value) -> str:
    """25000 -> "25 000 €" (French grouping with a narrow no-break space, no cents if none)."""
    if value in (None, ""):
        return "—"
    value = Decimal(value).quantize(Decimal("0.01"))
    whole, cents = divmod(abs(value), 1)
    text = f"{int(whole):,}".replace(",", "\u202f")
    if cents:
        text += "," + f"{value:.2f}".split(".")[1]
    return ("-" if value < 0 else "") + text + "\u00a0€"


@register.filter
def hours(value) -> str:
    """Decimal hours -> "12,5 h" (the decimal separator follows the language)."""
    if value in (None, ""):
        return "—"
    value = Decimal(value).quantize(Decimal("0.1"))
    separator = get_format("DECIMAL_SEPARATOR")  # "12,5 h" in French, "12.5 h" in English
    text = f"{value}".replace(".", separator)
    if text.endswith(separator + "0"):
        text = text[:-2]
    return text + "\u00a0h"


@register.filter
def quantity(value) -> str:
    if value in (None, ""):
        return "—"
    value = Decimal(value).normalize()
    text = f"{value:f}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return text


@register.filter
def may_change_action(action, user) -> bool:
    """Whether to offer the step's controls (the views and services decide again)."""
    return permissions.can_change_action(user, action)
