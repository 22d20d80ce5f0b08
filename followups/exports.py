"""CSV and XLSX responses shared by the follow-up exports.

CSV: UTF-8 with a BOM and `;` so that Excel in French opens it right. Both formats write
every cell, headers included, through crm.core.spreadsheets (formulas neutralised)."""

import csv
import io
from decimal import Decimal

import tablib
from django.http import HttpResponse

from crm.core.spreadsheets import cell, set_download_name, sheet_title, text_cell


def _csv_cell(value):
    value = cell(value)
    if value is None:
        return ""
    # Numbers as they are: a negative remainder is a number, not a formula.
    return value if isinstance(value, int | float | Decimal) else text_cell(value)


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_csv_cell(label) for label in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return set_download_name(response, f"{filename}.csv")


def xlsx_response(filename: str, header: list[str], rows, title: str = "Export") -> HttpResponse:
    data = tablib.Dataset(headers=[text_cell(label) for label in header], title=sheet_title(title))
    for row in rows:
        data.append([cell(value) for value in row])
    response = HttpResponse(
        data.export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return set_download_name(response, f"{filename}.xlsx")
