"""The refused-rows file neutralises every formula the uploaded file carried, in its headers
as in its cells, and a corrected copy imports as the office typed it (issue 16, finding 9)."""

import csv
import io

import pytest

from crm.core.spreadsheets import FORMULA_STARTS
from crm.importing.reading import read_upload
from crm.importing.runner import refused_rows_csv, run_import

# Cells and headers are read stripped, so a leading tab or CR never reaches the file.
HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


def _rows(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_refused_rows_file_neutralises_formula_headers_and_cells(officer):
    headers = ["Prénom", "Nom", "Courriel", *HOSTILE]
    line = ["Léa", "Martin", "pas-un-email", *HOSTILE]
    output = io.StringIO()
    csv.writer(output, delimiter=";").writerows([headers, line])
    table = read_upload("personnes.csv", output.getvalue().encode("utf-8"))
    report = run_import(kind="people", table=table, by=officer, dry_run=True)
    assert report.refused == 1
    written = _rows(refused_rows_csv(table, report))
    for row in written:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    assert written[0][3:7] == ["'" + h for h in HOSTILE]
    assert written[1][3:7] == ["'" + h for h in HOSTILE]
    # Read back, the headers and cells are what the office's file held.
    again = read_upload("refusees.csv", refused_rows_csv(table, report))
    assert again.headers[3:7] == [h.strip() for h in HOSTILE]
