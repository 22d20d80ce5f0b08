"""Numbers, amounts, hours and dates as the reader's language writes them: the one place
every page, chart and table formats them (template filters in crm/templatetags/formatting.py
and followups' `euros`/`hours` call these).

French: "17 372,50 €", "25 000 €", "12,5 h", 27/11/2026. English: "€17,372.50",
"€25,000", "12.5 h", 27 Nov 2026. An amount has cents only when it has some, and then
always two digits ("16 722,50 €", never "16,722.5 €")."""

from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language

EMPTY = "—"
NBSP = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def number(value, places: int | None = None) -> str:
    """Grouped digits in the active language ("5 403 000" / "5,403,000"); `places`
    decimals, or as many as the value has (trailing zeros dropped) when None."""
    value = _decimal(value)
    if value is None:
        return EMPTY
    if places is None:
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent)
    text = formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    # Django's French grouping is a no-break space; keep numbers on one line everywhere.
    return text.replace(" ", NBSP)


def amount(value) -> str:
    """Money in euros: no cents when there are none, otherwise two digits."""
    value = _decimal(value)
    if value is None:
        return EMPTY
    value = value.quantize(Decimal("0.01"))
    places = 0 if value == value.to_integral_value() else 2
    text = number(abs(value), places)
    sign = "-" if value < 0 else ""
    if (get_language() or "fr").startswith("en"):
        return f"{sign}€{text}"
    return f"{sign}{text}{NBSP}€"


def hours(value) -> str:
    """Hours to a tenth ("12,5 h" / "12.5 h"; "3 h" without a useless decimal)."""
    value = _decimal(value)
    if value is None:
        return EMPTY
    value = value.quantize(Decimal("0.1"))
    places = 0 if value == value.to_integral_value() else 1
    return f"{number(value, places)}{NBSP}h"


def quantity(value) -> str:
    """A quantity of units with the decimals it has ("2,5" / "2.5")."""
    return number(value)


def date(value) -> str:
    """A date in the active language's short format (27/11/2026 or 27 Nov 2026)."""
    if value in (None, ""):
        return EMPTY
    return formats.date_format(value, "SHORT_DATE_FORMAT")
