"""Extreme values in every numeric and date column of every import kind: the preview refuses
each with its line and column, never crashes, and the confirmed import stores none of them
(issue 16, finding 2)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Person
from crm.importing import values
from crm.importing.reading import Table
from crm.importing.runner import run_import
from crm.models import Project, ProjectMeasure
from followups.models import Meeting

NUMBER_EXTREMES = [
    "1e400",
    "-1e400",
    "1E+30",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "99999999999999999999",  # twenty digits
    "-99999999999999999999",
    "9" * 5000,
    "-5",
    "-0,5",
    "1e-400",
    "0,000000001",
    "douze",
    "1,2,3",
    "--1",
    float("inf"),
    float("-inf"),
    float("nan"),
    1e308,
    -1.0,
    10**30,
    True,
]
DATE_EXTREMES = [
    "01/01/0001",
    "31/12/9999",
    "01/01/10000",
    "1/1/20026",
    "0000-01-01",
    "9999-12-31",
    "31/12/1899",
    "01/01/2101",
    "32/13/2020",
    "30/02/2024",
    "hier",
    "//",
    "1" * 5000,
    datetime.date(1, 1, 1),
    datetime.date(9999, 12, 31),
    datetime.datetime(9999, 12, 31, 23, 59),  # noqa: DTZ001 what a spreadsheet cell gives
    datetime.datetime(1, 1, 1),  # noqa: DTZ001
]
YEAR_EXTREMES = [*NUMBER_EXTREMES, "0", "1850", "2200", "10000", 1899, 2101]
DURATION_EXTREMES = [*NUMBER_EXTREMES, "0", "99999999999999999999 h", "1441", "25h", "1" * 5000]


def _ids(items):
    return [repr(item)[:30] for item in items]


def _table(row: dict) -> Table:
    return Table(headers=list(row), rows=[(2, dict(row))])


@pytest.fixture
def base_rows(db, project, officer):
    return {
        "projects": {
            "Nom du projet": "Épicerie des bords de Marne",
            "Prénom porteur": "Léa",
            "Nom porteur": "Martin",
            "Email": "lea.martin@exemple.fr",
            "Date d'entrée": "12/03/2025",
            "Heures allouées": "20",
            "Montant subvention": "5 000",
        },
        "people": {
            "Prénom": "Léa",
            "Nom": "Martin",
            "Courriel": "lea.martin@exemple.fr",
            "Année de naissance": "1988",
        },
        "meetings": {
            "N° projet": project.pk,
            "Date": "12/03/2025",
            "Heure": "14:00",
            "Durée": "90",
            "Mené par": officer.username,
        },
    }


CASES = [
    *[("projects", "Date d'entrée", value) for value in DATE_EXTREMES],
    *[("projects", "Heures allouées", value) for value in NUMBER_EXTREMES],
    *[("projects", "Montant subvention", value) for value in NUMBER_EXTREMES],
    *[("people", "Année de naissance", value) for value in YEAR_EXTREMES],
    *[("meetings", "Date", value) for value in DATE_EXTREMES],
    *[("meetings", "Durée", value) for value in DURATION_EXTREMES],
    *[("meetings", "Heure", value) for value in ["25:00", "99h99", "-1", "1e400", "nan"]],
]


@pytest.mark.parametrize(("kind", "column", "value"), CASES, ids=_ids(CASES))
def test_extreme_value_is_refused_with_its_line_and_column(base_rows, officer, kind, column, value):
    row = {**base_rows[kind], column: value}
    preview = run_import(kind=kind, table=_table(row), by=officer, dry_run=True)
    assert preview.refused == 1, preview
    assert [(e.line, e.column) for e in preview.errors] == [(2, column)], preview.errors
    message = preview.errors[0].message
    assert message and "Traceback" not in message and len(message) < 400
    # Confirmed, the row is refused the same way and nothing of it is written.
    report = run_import(kind=kind, table=_table(row), by=officer, dry_run=False)
    assert report.refused == 1
    assert not Meeting.objects.exists()
    assert not ProjectMeasure.objects.exists()
    assert not Person.objects.filter(email="lea.martin@exemple.fr").exists()


@pytest.mark.parametrize("kind", ["projects", "people", "meetings"])
def test_the_base_rows_are_accepted(base_rows, officer, kind):
    """The refusals above come from the extreme value, not from the rest of the row."""
    report = run_import(kind=kind, table=_table(base_rows[kind]), by=officer, dry_run=False)
    assert (report.new, report.refused) == (1, 0), report.errors


@pytest.mark.django_db
def test_largest_accepted_values_are_stored_and_read_back(base_rows, officer):
    row = {
        **base_rows["projects"],
        "Date d'entrée": "31/12/2100",
        "Heures allouées": "99 999,9",
        "Montant subvention": "9 999 999 999,99",
    }
    report = run_import(kind="projects", table=_table(row), by=officer, dry_run=False)
    assert report.new == 1, report.errors
    project = Project.objects.get(name=row["Nom du projet"])
    assert project.entry_date == datetime.date(2100, 12, 31)
    assert project.hours_allocated == Decimal("99999.9")
    assert project.measures.get().funds_grant == Decimal("9999999999.99")


@pytest.mark.parametrize("value", NUMBER_EXTREMES[:-1], ids=_ids(NUMBER_EXTREMES[:-1]))
def test_number_parsers_refuse_or_return_a_finite_number(value):
    for parser in (values.parse_decimal, values.parse_int, values.parse_duration):
        try:
            result = parser(value)
        except ValidationError as error:
            assert error.messages[0]
        else:
            assert result is not None
            assert Decimal(result).is_finite()
            assert abs(Decimal(result)) < 10**values.MAX_INTEGER_DIGITS


@pytest.mark.parametrize("value", DATE_EXTREMES, ids=_ids(DATE_EXTREMES))
def test_date_parser_refuses_every_date_outside_1900_2100(value):
    with pytest.raises(ValidationError) as caught:
        values.parse_date(value)
    assert "date" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("01/01/1900", datetime.date(1900, 1, 1)), ("31/12/2100", datetime.date(2100, 12, 31))],
)
def test_date_parser_accepts_the_range_limits(typed, expected):
    assert values.parse_date(typed) == expected
