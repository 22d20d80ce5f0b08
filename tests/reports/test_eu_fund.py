"""The EU-fund (FSE+) table: situations at entry, at exit and six months after exit,
counted against a small hand-built data set."""

import datetime

import pytest

from crm.models import Project
from reports.eu_fund import add_months, eu_fund_table
from tests.factories import PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def make(name, *, entry, exit=None, at_entry="", at_exit="", six="", coach=None, **person):
    lead = PersonFactory(employment_situation_at_entry=at_entry, **person)
    return ProjectFactory(
        name=name,
        entry_date=entry,
        exit_date=exit,
        situation_at_exit=at_exit,
        situation_6_months_after_exit=six,
        status="completed" if exit else "active",
        coach=coach,
        lead=lead,
    )


@pytest.fixture
def data_set(coach):
    """Period 2026: entries A, B, C (in), D (2025) and E (2024) out; exits B, C, D in
    2026, E in 2025; six months after exit in 2026: E (30/03/2026) and B (30/11/2026, no
    situation recorded), not D (30/03/2027)."""
    make("A", entry=D(2026, 1, 15), at_entry="jobseeker", gender="female", birth_year=2002)
    make(
        "B",
        entry=D(2026, 2, 1),
        exit=D(2026, 5, 31),
        at_entry="jobseeker_long_term",
        at_exit="self_employed",
        gender="male",
        birth_year=1965,
        lives_in_qpv=True,
        coach=coach,
    )
    make("C", entry=D(2026, 3, 1), exit=D(2026, 11, 30), at_exit="employed")
    make(
        "D",
        entry=D(2025, 1, 10),
        exit=D(2026, 9, 30),
        at_entry="employed",
        at_exit="self_employed",
        six="self_employed",
    )
    make(
        "E",
        entry=D(2024, 5, 1),
        exit=D(2025, 9, 30),
        at_entry="student",
        at_exit="jobseeker",
        six="employed",
        gender="female",
    )


def counts(table):
    return {row.code: (row.at_entry, row.at_exit, row.six_months_after) for row in table.rows}


def test_counts_per_situation_match_the_hand_built_data_set(data_set):
    table = eu_fund_table(Project.objects.all(), start=D(2026, 1, 1), end=D(2026, 12, 31))
    got = counts(table)
    assert got["jobseeker"] == (1, 0, 0)  # A at entry
    assert got["jobseeker_long_term"] == (1, 0, 0)  # B at entry
    assert got["unknown"] == (1, 0, 1)  # C's lead: no situation at entry; B at +6 months
    assert got["self_employed"] == (0, 2, 0)  # B and D at exit
    assert got["employed"] == (0, 1, 1)  # C at exit; E six months after (30/03/2026)
    assert got["student"] == (0, 0, 0)  # E entered in 2024
    assert got["total"] == (3, 3, 2)
    assert [row.code for row in table.rows][-2:] == ["unknown", "total"]
    profile = dict(table.profile)
    assert profile["dont femmes"] == 1  # A (E entered before the period)
    assert profile["dont moins de 26 ans à l'entrée"] == 1  # A, 24 in 2026
    assert profile["dont 55 ans ou plus à l'entrée"] == 1  # B, 61 in 2026
    assert profile["dont résidant en QPV"] == 1  # B


def test_without_a_period_every_project_counts(data_set):
    got = counts(eu_fund_table(Project.objects.all()))
    # Every exit counts at +6 months, recorded or not: B and C unknown, D and E known.
    assert got["total"] == (5, 4, 4)
    assert got["employed"] == (1, 1, 1)
    assert got["unknown"] == (1, 0, 2)


def test_the_table_counts_only_the_scoped_projects(data_set, coach):
    scoped = Project.objects.visible_to(coach)
    got = counts(eu_fund_table(scoped, start=D(2026, 1, 1), end=D(2026, 12, 31)))
    assert got["total"] == (1, 1, 1)
    assert got["jobseeker_long_term"] == (1, 0, 0)


def test_the_table_is_plain_rows_with_labels_for_spreadsheets(data_set):
    rows = eu_fund_table(Project.objects.all()).as_lists()
    assert rows[0] == ["Situation", "À l'entrée", "À la sortie", "6 mois après la sortie"]
    assert rows[1][0] == "Salarié·e"
    assert ["Total des participant·es", 5, 4, 4] in rows
    assert ["dont femmes", 2, None, None] in rows


def test_the_table_is_one_query_whatever_the_number_of_projects(
    data_set, django_assert_num_queries
):
    with django_assert_num_queries(1):
        eu_fund_table(Project.objects.all(), start=D(2026, 1, 1), end=D(2026, 12, 31))
    for index in range(10):
        make(f"F{index}", entry=D(2026, 4, 1), at_entry="inactive")
    with django_assert_num_queries(1):
        table = eu_fund_table(Project.objects.all(), start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert counts(table)["inactive"] == (10, 0, 0)


def test_six_months_later_stays_in_short_months():
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2026, 3, 31), -6) == D(2025, 9, 30)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
