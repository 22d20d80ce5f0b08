"""Read an uploaded spreadsheet (CSV, XLSX, ODS) into rows that remember their row number
as Excel and LibreOffice show it (header = row 1, a cell with line breaks is one row).

CSV is read as French offices really write it: UTF-8 with or without BOM, or Windows-1252;
`;`, `,` or tab separators; quoted cells spanning several lines; separator-only lines."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crm.core.spreadsheets import restore
from crm.core.uploads import check_archive
from crm.importing import ods
from crm.importing.values import fold

ERRORS_COLUMN = "Erreurs"


@dataclass
class Table:
    headers: list[str]
    # (row number as the spreadsheet shows it, {header: value})
    rows: list[tuple[int, dict]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def decode(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (BOM or not), else Windows-1252 (what Excel writes in France)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


# csv.Sniffer's regular expressions grow with the square of what they read: it sees the
# first lines of the file only, and at most this many characters of them.
SNIFF_CHARS = 16 * 1024


def sniff_delimiter(text: str) -> str:
    head = text[:SNIFF_CHARS]
    lines = head.splitlines()[:20]
    if len(lines) > 1 and len(head) == SNIFF_CHARS:
        lines = lines[:-1]  # the last line is cut: it would mislead the count of separators
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        return max(";,\t", key=first.count)


def _is_blank(values) -> bool:
    return all(str(v or "").strip() == "" for v in values)


def _check_columns(headers: list[str]) -> list[str]:
    """The headers up to the last one named (spreadsheets report empty trailing columns),
    at most IMPORT_MAX_COLUMNS of them."""
    while headers and not headers[-1]:
        headers = headers[:-1]
    limit = settings.IMPORT_MAX_COLUMNS
    if len(headers) > limit:
        raise ValidationError(
            _(
                "Le fichier a plus de %(max)s colonnes. Supprimez les colonnes inutiles avant "
                "de l'importer."
            )
            % {"max": limit}
        )
    return headers


def _check_cells(line: int, headers: list[str], values: dict) -> None:
    limit = settings.IMPORT_MAX_CELL_CHARS
    for header, value in values.items():
        if isinstance(value, str) and len(value) > limit:
            raise ValidationError(
                _(
                    "Ligne %(line)s, colonne « %(column)s » : la cellule contient %(count)s "
                    "caractères ; la limite est de %(max)s."
                )
                % {"line": line, "column": header, "count": len(value), "max": limit}
            )


def _table(headers: list, records) -> Table:
    # A header we neutralised in a refused-rows file comes back as typed (see `restore`).
    headers = _check_columns([str(restore(h) or "").strip()[:200] for h in headers])
    if not any(headers):
        raise ValidationError(_("Le fichier ne contient pas de ligne d'en-têtes."))
    table = Table(headers=headers)
    max_rows = settings.IMPORT_MAX_ROWS
    for line, values in records:
        if _is_blank(values):
            continue
        if len(table.rows) >= max_rows:
            raise ValidationError(
                _("Le fichier contient plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
                % {"max": max_rows}
            )
        values = list(values) + [""] * (len(headers) - len(values))
        row = {h: restore(v) for h, v in zip(headers, values, strict=False) if h}
        _check_cells(line, headers, row)
        table.rows.append((line, row))
    return table


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    # A row as the spreadsheet numbers it (header = row 1): a record, however many text
    # lines its quoted cells span. A blank line is a row too, as LibreOffice shows it.
    rows_read = 0

    def records():
        nonlocal rows_read
        for values in reader:
            rows_read += 1
            yield rows_read, [v.strip() for v in values]

    try:
        try:
            headers = next(reader)
        except StopIteration:
            raise ValidationError(_("Le fichier est vide.")) from None
        rows_read = 1
        # Read row by row: the limits of _table stop a huge file at its first excess.
        table = _table(headers, records())
    except csv.Error:
        # The csv module refuses a cell past its own limit (128 KB), an unclosed quote...
        raise ValidationError(
            _(
                "Ligne %(line)s : cellule illisible ou trop longue (plus de %(max)s "
                "caractères) ; vérifiez les guillemets de cette ligne."
            )
            % {"line": rows_read + 1, "max": settings.IMPORT_MAX_CELL_CHARS}
        ) from None
    table.encoding, table.delimiter = encoding, delimiter
    return table


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    # A declared dimension of 16,384 columns must not make every row that wide: one column
    # past the limit is enough to refuse the file.
    rows = sheet.iter_rows(values_only=True, max_col=settings.IMPORT_MAX_COLUMNS + 1)
    try:
        headers = next(rows)
    except StopIteration:
        raise ValidationError(_("Le fichier est vide.")) from None
    # LibreOffice may report a million formatted but empty rows: blank rows are skipped.
    return _table(list(headers), ((index, row) for index, row in enumerate(rows, start=2)))


def read_ods(data: bytes) -> Table:
    records = ods.rows(
        data, max_columns=settings.IMPORT_MAX_COLUMNS, max_rows=settings.IMPORT_MAX_ROWS
    )
    first = next(records, None)
    if first is None:
        raise ValidationError(_("Le fichier est vide."))
    return _table(first[1], records)


READERS = {"csv": read_csv, "txt": read_csv, "xlsx": read_xlsx, "ods": read_ods}


def read_upload(name: str, data: bytes) -> Table:
    """The file as a Table, or ValidationError (French) for an unreadable file or one past
    the IMPORT_MAX_* limits, checked before parsing (a compressed document's expanded size)
    or while reading (columns, rows, cell length)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = READERS.get(extension)
    if reader is None:
        raise ValidationError(
            _("Format non pris en charge (%(ext)s) : utilisez CSV, XLSX ou ODS.")
            % {"ext": extension or "?"}
        )
    try:
        if extension in ("xlsx", "ods"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                check_archive(archive)
        return reader(data)
    except ValidationError:
        raise
    except Exception as error:  # a corrupt or mislabelled file
        raise ValidationError(
            _("Impossible de lire ce fichier %(ext)s : %(error)s")
            % {"ext": extension.upper(), "error": error}
        ) from error


def map_headers(headers: list[str], aliases: dict[str, str], saved: dict | None = None):
    """Match the file's headers to field keys.

    Returns ({header: key}, [unknown headers]). `saved` is a mapping the officer saved
    earlier ({header: key or ""}, "" meaning "ignore this column")."""
    saved = saved or {}
    folded_aliases = {fold(alias): key for alias, key in aliases.items()}
    mapping, unknown = {}, []
    for header in headers:
        if not header or fold(header) == fold(ERRORS_COLUMN):
            continue
        if header in saved:
            if saved[header]:
                mapping[header] = saved[header]
            continue
        key = folded_aliases.get(fold(header))
        if key:
            mapping[header] = key
        else:
            unknown.append(header)
    return mapping, unknown
