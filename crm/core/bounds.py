"""What a stored date or number may be: the range every page, report and feed can show.

A date outside 1900..2100 (year 0, 9999, a typo of 20026) breaks the calendar feed, the
time zone conversions and the reports; a number larger than its column (1e400, twenty
digits) is stored as infinity by SQLite and breaks every page that sums it. Model fields
carry these validators, so ModelForms, the services' full_clean() and the imports refuse
such values before the database sees them (tests walk the models to keep it so).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
