"""Bounded parsing of what arrives in a query string or a form: dates and numbers the
pages can compute with, text the database can hold.

Python's dates stop at year 9999 and some databases' integers at 2**63: a list filtered
from 0001-01-01 or 9999-12-31, or "without a meeting for 10**30 days", overflowed while
the page built its query. Every date a user types goes through `BoundedDateField` (years
1900 to 2100, wider than anything the office records), every number through a field with
explicit bounds; out of range is a French message on the field, never a 500.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
# Days back a filter may look ("without a meeting for N days"): the whole date range.
MAX_DAYS = (MAX_DATE - MIN_DATE).days
# A number field without bounds of its own: what a 32-bit integer column holds.
MAX_NUMBER = 2**31 - 1
# The largest primary key (a 64-bit integer column).
MAX_ID = 2**63 - 1
# A search box: longer text is refused by the filter forms, and a search built from the
# query string directly keeps this much. SQLite refuses LIKE patterns over 50,000 bytes,
# and every word is one more condition on every searched column.
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 10

# C0 control characters but tab, line feed and carriage return, and DEL. PostgreSQL
# refuses NUL in a string ("A string literal cannot contain NUL"); the others have no
# meaning in a search and break XML-based files.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_date_range(value) -> None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day is not None and not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            _("Indiquez une date entre le %(min)s et le %(max)s."),
            code="date_range",
            params={"min": f"{MIN_DATE:%d/%m/%Y}", "max": f"{MAX_DATE:%d/%m/%Y}"},
        )


def clamp_date(value: datetime.date) -> datetime.date:
    """A date stored before the bounds existed, brought inside them for computing."""
    return min(max(value, MIN_DATE), MAX_DATE)


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def search_words(value: str) -> list[str]:
    """The words of a search, at most MAX_SEARCH_WORDS of them within MAX_SEARCH_LENGTH."""
    return value[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS]


class BoundedDateField(forms.DateField):
    """A date between MIN_DATE and MAX_DATE."""

    default_validators = [validate_date_range]


def bound_form_fields(form) -> None:
    """Give every text, date and number field of `form` the bounds above, unless it has its own:
    one place for the filter forms of every list (crm.core.lists.ListFilterSet) and any
    other form that reads a query string."""
    for field in form.fields.values():
        if type(field) is forms.CharField and field.max_length is None:
            field.max_length = MAX_SEARCH_LENGTH
            field.validators.append(MaxLengthValidator(MAX_SEARCH_LENGTH))
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            if validate_date_range not in field.validators:
                field.validators.append(validate_date_range)
        elif isinstance(field, forms.IntegerField):
            # Also FloatField and DecimalField (its subclasses), which already refuse
            # infinity and NaN ("1e400", "nan").
            if field.max_value is None:
                field.max_value = MAX_NUMBER
                field.validators.append(MaxValueValidator(MAX_NUMBER))
            if field.min_value is None:
                field.min_value = -MAX_NUMBER
                field.validators.append(MinValueValidator(-MAX_NUMBER))
