"""Cells that leave the application for a spreadsheet."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe, which
    spreadsheets display as text and never evaluate (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value):
    """Undo `neutralise` when a file we produced comes back as an import."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value
