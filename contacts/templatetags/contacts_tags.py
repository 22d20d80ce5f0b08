import re

from django import template

register = template.Library()


@register.filter
def french_phone(value: str) -> str:
    """+33612345678 → "06 12 34 56 78"; other numbers as stored."""
    if value and re.fullmatch(r"\+33[1-9]\d{8}", value):
        digits = "0" + value[3:]
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return value
