"""Every download of the site, walked with formula-like text planted in every free-text
column: no spreadsheet cell starts with a formula trigger unless neutralised, no file
name breaks its header, every list export opens in each format with its header and no
Python text (issue 16, findings 8 and 9).

Downloads are found from the URL configuration (routes whose answer is a file) and from
the pages themselves (their links to their own path with `?export=`)."""

import csv
import io
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.db import DatabaseError, IntegrityError, models, transaction
from openpyxl import load_workbook

from tests.security.hostile import declared_parameters
from tests.security.walk import all_routes, expectation, log_in_as, targets

pytestmark = pytest.mark.django_db

ROLES = ("officer", "owner", "manager")
PAYLOADS = (
    '=HYPERLINK("http://x.test","clic")',
    "+1",
    "-1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PYTHON_TEXT = re.compile(r"<\w+: |QuerySet|\[<|object at 0x|RelatedManager|\w\.None\b")
# Credentials and what the import reads its file format from (an uploaded name keeps its
# extension).
SKIPPED_FIELDS = {"password", "token", "username", "original_name"}
HTML = ("text/html", "application/json")
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def plant_formulas() -> int:
    """Every free-text column of every row of our apps' models set to a formula-like
    value (a different one per column); columns whose constraints refuse it are left."""
    planted = 0
    for model in apps.get_models():
        if model._meta.app_label not in {"crm", "contacts", "followups"}:
            continue
        if model.__name__.startswith("Historical") or model._meta.proxy:
            continue
        for index, field in enumerate(model._meta.concrete_fields):
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if field.unique or field.name in SKIPPED_FIELDS or field.primary_key:
                continue
            payload = PAYLOADS[index % len(PAYLOADS)][: field.max_length or None]
            try:
                with transaction.atomic():
                    planted += model._base_manager.update(**{field.name: payload})
            except (IntegrityError, DatabaseError):
                continue
    return planted


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _xlsx_text(cell) -> str:
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        return "=" + str(cell.value).lstrip("=")
    return "" if cell.value is None else str(cell.value)


def spreadsheet_rows(response) -> list[list] | None:
    """The rows of a CSV, XLSX or ODS download (None for another kind of file), each
    cell as it would reach the spreadsheet; a formula cell comes back as "=…"."""
    content_type = response["Content-Type"]
    data = _content(response)
    if content_type.startswith("text/csv"):
        text = data.decode("utf-8-sig")
        rows = csv.reader(io.StringIO(text), delimiter=";")
        # A number ("-1,5") opens as a number in a spreadsheet, never as a formula.
        return [[value for value in row if not NUMBER.match(value)] for row in rows]
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(data))
        rows = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                # Typed numbers are numbers (a negative remainder is no formula).
                rows.append([_xlsx_text(c) for c in row if c.data_type != "n"])
        return rows
    if "opendocument.spreadsheet" in content_type:
        from odf.opendocument import load
        from odf.table import TableCell, TableRow

        document = load(io.BytesIO(data))
        rows = []
        for row in document.spreadsheet.getElementsByType(TableRow):
            cells = []
            for cell in row.getElementsByType(TableCell):
                if cell.getAttribute("formula"):
                    cells.append("=" + str(cell))
                elif cell.getAttribute("valuetype") != "float":
                    cells.append(str(cell))
            rows.append(cells)
        return rows
    return None


def downloads_of(client, persona, world):
    """(route name, url, response) for every file a persona can download."""
    for route in all_routes():
        expected = expectation(route)
        if route.is_admin or expected is None or expected.get[persona] != 200:
            continue
        for target in targets(route, world):
            response = client.get(target.url)
            if not response["Content-Type"].startswith(HTML):
                yield route.name, target.url, response
                continue
            path = urlsplit(target.url).path
            if "export" not in declared_parameters(path, response):
                continue
            for href in re.findall(r'href="([^"]*export=[^"]*)"', response.content.decode()):
                query = dict(parse_qsl(urlsplit(href.replace("&amp;", "&")).query))
                yield route.name, f"{path}?export={query['export']}", client.get(path, query)


# 1-3 min per role: every route once, then every export of every list in every format.
@pytest.mark.slow
@pytest.mark.parametrize("persona", ROLES)
def test_no_download_carries_a_live_formula_or_python_text(client, world, persona):
    assert plant_formulas() > 50
    log_in_as(client, world, persona)
    failures, formats_seen, headers = [], set(), {}
    for name, url, response in downloads_of(client, persona, world):
        if response.status_code != 200:
            failures.append(f"{name} {url}: status {response.status_code}")
            continue
        disposition = response.get("Content-Disposition", "")
        if not disposition.startswith(("attachment; filename", "inline; filename")):
            failures.append(f"{name} {url}: Content-Disposition {disposition!r}")
        rows = spreadsheet_rows(response)
        if rows is None:
            continue
        formats_seen.add(response["Content-Type"].split(";")[0])
        if not rows or not any(rows[0]):
            failures.append(f"{name} {url}: no header row")
        if "?export=xlsx" in url or "?export=ods" in url:
            # A list's spreadsheet exports are written from its table: the same header.
            # (The meeting lists' CSV is a richer export of its own, with the notes.)
            headers.setdefault(name, rows[0])
            if rows[0] != headers[name]:
                failures.append(f"{name} {url}: header {rows[0]} differs from {headers[name]}")
        for row in rows:
            for value in row:
                if value.startswith(TRIGGERS):
                    failures.append(f"{name} {url}: live formula {value[:40]!r}")
                if PYTHON_TEXT.search(value):
                    failures.append(f"{name} {url}: Python text {value[:60]!r}")
    assert len(formats_seen) == 3, formats_seen  # CSV, XLSX and ODS were all walked
    assert not failures, "\n".join(dict.fromkeys(failures))


def test_the_activity_report_neutralises_a_call_title_in_its_period(client, officer):
    from tests.factories import CallFactory

    call = CallFactory(year=2026, title='=HYPERLINK("http://x.test","Appel")')
    client.force_login(officer)
    response = client.get("/reports/bilan.xlsx", {"period": f"call-{call.pk}"})
    cells = [value for row in spreadsheet_rows(response) for value in row]
    assert any("HYPERLINK" in value for value in cells)
    assert not [value for value in cells if value.startswith(TRIGGERS)]
