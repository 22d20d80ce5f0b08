"""On PostgreSQL the dashboard computes its figures over three connections at once; the
result must be the very same as one after the other (a committed world: other connections
do not see a test transaction's rows)."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from crm.models import Project
from reports.selectors.dashboard import dashboard_figures
from reports.selectors.period import year_period

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="figures run side by side on PostgreSQL only"
)


@pytest.mark.django_db(transaction=True)
def test_figures_side_by_side_equal_the_figures_one_after_the_other(
    officer, coach, world, settings, monkeypatch
):
    started = []

    class CountedThread(threading.Thread):
        def start(self):
            started.append(self)
            super().start()

    monkeypatch.setattr("reports.selectors.dashboard.threading.Thread", CountedThread)
    period = year_period(2026)
    for user in (officer, coach):
        projects = Project.objects.visible_to(user).current()
        with translation.override("en"):
            settings.REPORTS_PARALLEL_QUERIES = False
            alone = dashboard_figures(user, projects, period)
            assert not started
            settings.REPORTS_PARALLEL_QUERIES = True
            side = dashboard_figures(user, projects, period)
        assert len(started) == 2
        started.clear()
        assert side == alone
        assert side["eu_fund"].rows[-1].label == "Total participants"
