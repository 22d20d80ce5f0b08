"""CSV and XLSX responses shared by the follow-up exports.

CSV: UTF-8 with a BOM and `;` so that Excel in French opens it right. Both formats escape
cells a spreadsheet would run as a formula (= + - @ tab, carriage return)."""

import csv
import io

import tablib
from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, header: list[str], rows, title: str = "Export") -> HttpResponse:
    data = tablib.Dataset(headers=header, title=title[:31])
    for row in rows:
        data.append([_cell(value) for value in row])
    response = HttpResponse(
        data.export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
