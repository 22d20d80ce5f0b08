"""Refusals name the row as Excel and LibreOffice show it (header = row 1, a cell with line
breaks is one row) and the column by its header as written in the file (issue 21)."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from crm.importing.reading import read_upload
from crm.importing.runner import refused_rows_csv, run_import

HEADERS = ["Prénom", "Nom", "Adresse mail", "Commune", "Année de naissance"]


def legacy_rows():
    """A legacy export: notes with line breaks in the name cells, accented e-mails, a bad
    year, a blank row."""
    rows = []
    for number in range(12):
        first = "Inès" if number % 3 == 0 else "Hugo"
        email = f"{first.lower()}.lefèvre{number}@exemple.fr" if number % 4 == 0 else ""
        email = email or f"hugo.dubois{number}@exemple.fr"
        last = "Lefèvre\n(voir note\nde juin)" if number % 2 else "Dubois"
        year = "dix-neuf" if number == 7 else "1988"
        rows.append([first, last, email, "Créteil", year])
    rows.insert(5, ["", "", "", "", ""])
    return rows


def as_csv(rows) -> bytes:
    output = io.StringIO()
    csv.writer(output, delimiter=";", lineterminator="\r\n").writerows([HEADERS, *rows])
    return output.getvalue().encode("cp1252")


def as_xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADERS, *rows]:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def openpyxl_row(data: bytes, email: str) -> int:
    """The row number openpyxl (hence Excel and LibreOffice) gives the row holding `email`."""
    sheet = load_workbook(io.BytesIO(data)).active
    return next(cell.row for cell in sheet["C"] if cell.value == email)


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    rows = legacy_rows()
    xlsx = as_xlsx(rows)
    from_csv = read_upload("ancien.csv", as_csv(rows))
    from_xlsx = read_upload("ancien.xlsx", xlsx)
    # A text line count would be past 20 here: every cell with line breaks is one row.
    assert [line for line, _values in from_csv.rows] == [line for line, _v in from_xlsx.rows]
    for line, values in from_csv.rows:
        assert line == openpyxl_row(xlsx, values["Adresse mail"])


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_refusals_name_the_spreadsheet_row_and_the_header_as_written(officer, extension):
    rows = legacy_rows()
    data = as_csv(rows) if extension == "csv" else as_xlsx(rows)
    table = read_upload(f"ancien.{extension}", data)
    report = run_import(kind="people", table=table, by=officer, dry_run=True)
    xlsx = as_xlsx(rows)
    refused = {(e.line, e.column) for e in report.errors}
    assert (openpyxl_row(xlsx, "inès.lefèvre0@exemple.fr"), "Adresse mail") in refused
    assert (openpyxl_row(xlsx, "hugo.dubois7@exemple.fr"), "Année de naissance") in refused
    assert openpyxl_row(xlsx, "hugo.dubois7@exemple.fr") == 10
    # The refused-rows file says where each row was in the uploaded file.
    written = list(
        csv.reader(io.StringIO(refused_rows_csv(table, report).decode("utf-8-sig")), delimiter=";")
    )
    by_email = {row[2]: row[-1] for row in written[1:]}
    assert by_email["hugo.dubois7@exemple.fr"].startswith("ligne 10 du fichier d'origine | ")
    assert "Année de naissance : " in by_email["hugo.dubois7@exemple.fr"]


def test_an_unreadable_csv_row_is_named_by_its_spreadsheet_row():
    # Past the csv module's own limit (128 KB), below a cell spanning two text lines.
    data = f'Prénom;Nom\r\nLéa;"Martin\r\nsur deux lignes"\r\nHugo;"{"x" * 140_000}"\r\n'
    with pytest.raises(ValidationError, match="Ligne 3 : cellule illisible"):
        read_upload("ancien.csv", data.encode())
