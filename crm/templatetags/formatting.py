"""{% load formatting %}: numbers, amounts and hours in the reader's language
(crm.core.formatting)."""

from django import template

from crm.core import formatting
from crm.core.stored_text import translate_stored

register = template.Library()


@register.filter
def euros(value) -> str:
    """{{ amount|euros }} → "25 000 €" / "€25,000"."""
    return formatting.amount(value)


@register.filter
def number(value, places=None) -> str:
    """{{ count|number }} → "5 403 000" / "5,403,000"; {{ fte|number:2 }}."""
    return formatting.number(value, None if places in (None, "") else int(places))


@register.filter
def hours(value) -> str:
    return formatting.hours(value)


@register.filter
def stored_text(value) -> str:
    """A note the application wrote ("Inscription reçue.") in the reader's language."""
    return translate_stored(value)
