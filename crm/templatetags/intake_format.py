"""Formatting for the intake and calls pages."""

from django import template

from crm.intake.services.calls import euros as format_euros

register = template.Library()


@register.filter
def euros(amount) -> str:
    """{{ call.envelope|euros }} → 25 000 €"""
    return format_euros(amount)
