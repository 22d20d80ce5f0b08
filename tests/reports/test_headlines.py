"""The dashboard's first screen: headline figures and their change against the period
before, with the world of conftest.py (period: 2026, so the previous one is 2025)."""

import datetime
from decimal import Decimal

import pytest

from reports.selectors.headline import previous_period
from reports.selectors.period import Period, year_period
from tests.reports.test_figures import figures_for


def test_the_period_before_a_year_is_the_previous_year():
    before = previous_period(year_period(2026))
    assert (before.start, before.end, before.label) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
        "2025",
    )


def test_the_period_before_a_range_is_as_long_and_ends_the_day_before():
    before = previous_period(Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), "m"))
    assert (before.start, before.end) == (datetime.date(2026, 1, 29), datetime.date(2026, 2, 28))


@pytest.mark.django_db
def test_headlines_show_the_figures_and_their_change(client, officer, world):
    figures, response = figures_for(client, officer)
    before = figures["previous"]
    # 2025: P3 came in; P3 and P4 (exited mid-2025) were followed; P1 had a 2-hour meeting.
    assert before["applicants"] == 1
    assert before["portfolio"] == 2
    assert before["hours"] >= Decimal("2.0")
    headlines = {h.key: h for h in response.context["headlines"]}
    assert headlines["portfolio"].value == "3"
    assert headlines["portfolio"].trend == "up"
    assert headlines["portfolio"].change == "+1 (+50 %)"
    assert headlines["meetings"].previous == str(before["meetings"])
    page = response.content.decode()
    assert "contre 2 (2025)" in page
    # The sections are grouped under anchored blocks, each linked from the section nav.
    for anchor in ("pipeline", "activity", "provider", "outcomes", "eu-funds"):
        assert f'id="{anchor}"' in page
        assert f'href="#{anchor}"' in page
