from django import template

from crm.core import formatting, permissions

register = template.Library()


@register.filter
def euros(value) -> str:
    """25000 -> "25 000 €" in French, "€25,000" in English (crm.core.formatting)."""
    return formatting.amount(value)


@register.filter
def hours(value) -> str:
    """Decimal hours -> "12,5 h" / "12.5 h"."""
    return formatting.hours(value)


@register.filter
def quantity(value) -> str:
    return formatting.quantity(value)


@register.filter
def may_change_action(action, user) -> bool:
    """Whether to offer the step's controls (the views and services decide again)."""
    return permissions.can_change_action(user, action)
