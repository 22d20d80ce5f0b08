"""Exports of list pages: exactly the filtered, sorted rows of the list on screen, as CSV
(UTF-8 with BOM and `;`, so Excel opens it in French), XLSX or ODS, streamed.

Values are what the table shows (choice labels, French dates, Oui/Non), computed from the
list's own queryset (its select_related and annotations), never one query per row; every
text cell is neutralised against spreadsheet formulas."""

import csv
import datetime
import tempfile
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import Manager, Model, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tables2.utils import call_with_appropriate

from crm.core.export_values import iter_values, plan
from crm.core.spreadsheets import (
    ILLEGAL_CHARACTERS,
    cell,
    neutralise,
    set_download_name,
    text_cell,
)

FORMATS = {"csv": "CSV", "xlsx": "XLSX", "ods": "ODS"}
CHUNK = 2000
# CSV rows sent to the client at a time: one write per row cost a system call each.
CSV_BATCH = 500


def export_columns(table) -> list:
    return [
        column
        for column in table.columns
        if column.visible and not getattr(column.column, "exclude_from_export", False)
    ]


def cell_value(table, column, record):
    """The value a person reads in that cell (typed: numbers and dates stay numbers and
    dates for XLSX/ODS; CSV formats them the French way)."""
    custom = getattr(table, f"value_{column.name}", None)
    if custom is not None:
        # Like django-tables2's own value_<name>: it gets the arguments it names.
        return call_with_appropriate(
            custom, {"record": record, "value": column.accessor.resolve(record, quiet=True)}
        )
    accessor = str(column.accessor)
    if isinstance(record, Model) and "__" not in accessor and "." not in accessor:
        display = getattr(record, f"get_{accessor}_display", None)
        if display is not None:
            return display()
    value = column.accessor.resolve(record, quiet=True)
    if isinstance(value, Manager):  # a many-to-many or reverse relation
        value = value.all()
    if isinstance(value, list | tuple | set | QuerySet):
        # Several values (labels in force, themes…): one readable text, as on screen.
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def iter_rows(table, queryset):
    columns = export_columns(table)
    yield [str(column.header) for column in columns]
    # Tables that opt in are read as tuples (crm.core.export_values): same cells, faster.
    planned = plan(table, queryset, columns)
    if planned is not None:
        yield from iter_values(queryset, planned)
        return
    for record in queryset.iterator(chunk_size=CHUNK):
        yield [cell_value(table, column, record) for column in columns]


def csv_text(value) -> str:
    if value is None:
        return ""
    if type(value) is str:  # the common case first: text_cell without its str()
        return neutralise(ILLEGAL_CHARACTERS.sub("", value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True).replace(".", ",")
    return text_cell(value)


class _Echo:
    def write(self, value):
        return value


def stream_csv(rows):
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    batch = []
    for row in rows:
        batch.append(writer.writerow([csv_text(value) for value in row]))
        if len(batch) == CSV_BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def write_xlsx(rows, handle) -> None:
    from openpyxl import Workbook

    # write_only keeps memory flat: rows go to a temporary file as they come.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Export"))
    for index, row in enumerate(rows):
        sheet.append([cell(value) for value in row])
        if index == 0:
            sheet.freeze_panes = "A2"
    workbook.save(handle)


ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    "<office:document-content"
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Export">'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        value = _("Oui") if value else _("Non")
    if isinstance(value, int | Decimal | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, datetime.date):
        iso = value.isoformat()
        shown = csv_text(value)
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
            f"<text:p>{shown}</text:p></table:table-cell>"
        )
    text = escape(text_cell(value))
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def write_ods(rows, handle) -> None:
    """A minimal OpenDocument spreadsheet written row by row (tablib would hold it all)."""
    with zipfile.ZipFile(handle, "w") as archive:
        # The mimetype entry comes first and uncompressed, as OpenDocument requires.
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        with archive.open("content.xml", "w", force_zip64=True) as content:
            content.write(ODS_HEAD.encode())
            for row in rows:
                cells = "".join(_ods_cell(value) for value in row)
                content.write(f"<table:table-row>{cells}</table:table-row>".encode())
            content.write(ODS_TAIL.encode())


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": ODS_MIME,
}


def export_response(table, queryset, fmt: str, name: str):
    filename = f"{slugify(name)}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    rows = iter_rows(table, queryset)
    if fmt == "csv":
        response = StreamingHttpResponse(stream_csv(rows), content_type=CONTENT_TYPES["csv"])
        return set_download_name(response, filename)
    # Spreadsheets are zip archives: built in a temporary file, then streamed from disk.
    handle = tempfile.TemporaryFile()
    (write_xlsx if fmt == "xlsx" else write_ods)(rows, handle)
    handle.seek(0)
    return set_download_name(FileResponse(handle, content_type=CONTENT_TYPES[fmt]), filename)
