"""Cells and files that leave the application: the one place every writer (list exports,
activity report, follow-up sheet, statements, letters, feeds) neutralises text and names
its download."""

import datetime
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold (XLSX and ODS are XML): openpyxl refuses such text outright.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# In a file name: control characters (line breaks too), quotes and path separators.
FILENAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/]+')


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


def text_cell(value) -> str:
    """Any value as the text of a cell: characters a spreadsheet file cannot hold dropped
    (tab and line breaks are kept), then neutralised."""
    return neutralise(ILLEGAL_CHARACTERS.sub("", str(value)))


def cell(value):
    """A typed cell for XLSX and ODS: numbers and dates stay numbers and dates (aware
    date-times in local time), booleans read Oui/Non, several values are joined, anything
    else (lazy labels, model instances) is neutralised text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return text_cell(", ".join(str(item) for item in value))
    return text_cell(value)


def sheet_title(title: str, used: set | None = None) -> str:
    """A worksheet name Excel accepts: 31 characters at most, none of []:*?/\\ nor control
    characters, and unique among `used` (lower case, updated)."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in ILLEGAL_CHARACTERS.sub("", title))
    clean = clean.strip().strip("'")[:31].strip() or _("Feuille")
    if used is None:
        return clean
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def download_filename(name: str) -> str:
    """A file name without line breaks, quotes or path separators (an order number may
    hold any of them), at most 150 characters before its extension."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = FILENAME_UNSAFE.sub("-", stem).strip(" .-")[:150] or "export"
    ext = FILENAME_UNSAFE.sub("", ext)[:10]
    return f"{stem}.{ext}" if ext else stem


def set_download_name(response, name: str, *, inline: bool = False):
    """Content-Disposition for `name`, cleaned, quoted or RFC 6266-encoded (non-ASCII)."""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=download_filename(name)
    )
    return response
