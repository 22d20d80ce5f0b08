"""Read an uploaded spreadsheet (CSV, XLSX, ODS) into rows that remember their line number.

CSV is read as French offices really write it: UTF-8 with or without BOM, or Windows-1252;
`;`, `,` or tab separators; quoted cells spanning several lines; separator-only lines."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crm.core.spreadsheets import restore
from crm.importing.values import fold

ERRORS_COLUMN = "Erreurs"


@dataclass
class Table:
    headers: list[str]
    # (line number in the file, {header: value})
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


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(";,\t", key=first.count)


def _is_blank(values) -> bool:
    return all(str(v or "").strip() == "" for v in values)


def _table(headers: list, records) -> Table:
    headers = [str(h or "").strip() for h in headers]
    if not any(headers):
        raise ValidationError(_("Le fichier ne contient pas de ligne d'en-têtes."))
    table = Table(headers=headers)
    for line, values in records:
        if _is_blank(values):
            continue
        values = list(values) + [""] * (len(headers) - len(values))
        table.rows.append(
            (line, {h: restore(v) for h, v in zip(headers, values, strict=False) if h})
        )
    return table


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise ValidationError(_("Le fichier est vide.")) from None
    records = []
    start = reader.line_num + 1
    for values in reader:
        records.append((start, [v.strip() for v in values]))
        start = reader.line_num + 1
    table = _table(headers, records)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        headers = next(rows)
    except StopIteration:
        raise ValidationError(_("Le fichier est vide.")) from None
    # LibreOffice may report a million formatted but empty rows: blank rows are skipped.
    return _table(list(headers), ((index, row) for index, row in enumerate(rows, start=2)))


def read_ods(data: bytes) -> Table:
    import tablib

    dataset = tablib.Dataset().load(io.BytesIO(data).read(), format="ods")
    return _table(
        list(dataset.headers or []),
        ((index, row) for index, row in enumerate(dataset, start=2)),
    )


READERS = {"csv": read_csv, "txt": read_csv, "xlsx": read_xlsx, "ods": read_ods}


def read_upload(name: str, data: bytes) -> Table:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = READERS.get(extension)
    if reader is None:
        raise ValidationError(
            _("Format non pris en charge (%(ext)s) : utilisez CSV, XLSX ou ODS.")
            % {"ext": extension or "?"}
        )
    try:
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
