"""What a stored date or number may be: the range every page, report and feed can show.

A date outside 1900..2100 (year 0, 9999, a typo of 20026) breaks the calendar feed, the
time zone conversions and the reports; a number larger than its column (1e400, twenty
digits) is stored as infinity by SQLite and breaks every page that sums it. Model fields
carry these validators, so ModelForms, the services' full_clean() and the imports refuse
such values before the database sees them (tests walk the models to keep it so).

The same bounds apply to what arrives in a query string: a list filtered from 0001-01-01
or 9999-12-31, or "without a meeting for 10**30 days", overflowed while the page built its
query. Filter forms (crm.core.lists.ListFilterSet) and the forms that read a query string
bound their fields here; out of range is a French message on the field, never a 500.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)


@deconstructible
class DateRangeValidator:
    """Refuse a date (or the day of a date and time) outside DATE_MIN..DATE_MAX."""

    message = _("Indiquez une date entre le %(min)s et le %(max)s.")
    code = "date_out_of_range"

    def __call__(self, value):
        if value is None:
            return
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not DATE_MIN <= day <= DATE_MAX:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"min": DATE_MIN.strftime("%d/%m/%Y"), "max": DATE_MAX.strftime("%d/%m/%Y")},
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator)

    def __hash__(self):
        return hash(DateRangeValidator)


validate_date_range = DateRangeValidator()


def in_range(minimum, maximum) -> list:
    """Validators of a number between `minimum` and `maximum`, both included."""
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]


def non_negative() -> list:
    """A count or an amount that cannot be below zero (its DecimalField's max_digits, or
    `in_range`, caps it)."""
    return [MinValueValidator(0)]


def positive_amount() -> list:
    """An amount of at least one cent (a price, a quantity ordered or consumed)."""
    return [MinValueValidator(Decimal("0.01"))]


# --- Query strings -----------------------------------------------------------------------

# Days back a filter may look ("without a meeting for N days"): the whole date range.
MAX_DAYS = (DATE_MAX - DATE_MIN).days
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


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def search_words(value: str) -> list[str]:
    """The words of a search, at most MAX_SEARCH_WORDS of them within MAX_SEARCH_LENGTH."""
    return value[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS]


class BoundedDateField(forms.DateField):
    """A date between DATE_MIN and DATE_MAX (the dashboard's period, a statement's month)."""

    default_validators = [validate_date_range]


def bound_form_fields(form) -> None:
    """Give every text, date and number field of `form` the bounds above, unless it has its
    own: one place for the filter forms of every list (crm.core.lists.ListFilterSet)."""
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
