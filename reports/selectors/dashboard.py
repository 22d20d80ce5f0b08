"""Every dashboard figure in one call, run side by side, and the cache's data version."""

import threading

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone, translation

from crm.models import (
    Application,
    Call,
    Commune,
    Project,
    ProjectMeasure,
    StageChange,
    TriageDecision,
)
from followups.models import Attendance, Consumption, Event, Meeting
from reports.eu_fund import eu_fund_table
from reports.selectors.activity import (
    coach_hours,
    contract_amounts,
    meetings_by_month,
    recent_orders,
    workshop_attendance,
)
from reports.selectors.esf import esf_indicators
from reports.selectors.headline import previous_figures
from reports.selectors.impact import impact_by_cohort, period_today
from reports.selectors.outcomes import outcome_totals
from reports.selectors.period import Period, count_by, pks, portfolio
from reports.selectors.pipeline import call_envelopes, funnel_counts, median_days_by_stage
from reports.selectors.profiles import people_profiles

VERSION_MODELS = (
    Project,
    StageChange,
    TriageDecision,
    ProjectMeasure,
    Application,
    Meeting,
    Event,
    Attendance,
    Consumption,
    Call,
)


def data_version() -> str:
    """One query: the highest id of every table the figures read. A new row changes it, so
    cached figures are dropped as soon as something is recorded (edits wait for the
    cache's expiry)."""
    sql = "SELECT " + ", ".join(
        f"(SELECT MAX(id) FROM {model._meta.db_table})" for model in VERSION_MODELS
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return "-".join(str(value) for value in cursor.fetchone())


def _side_by_side(groups: list[dict]) -> dict:
    """Evaluate groups of independent figure functions, each group in its own thread and
    database connection, and merge their results.

    On PostgreSQL the dashboard's ~25 aggregate queries are independent reads; running
    three streams at once uses the server's cores instead of one (the cold dashboard at
    60,000 projects went from ~1.6 s to under a second, see docs/benchmarks.md). Inside a
    transaction (tests, ATOMIC_REQUESTS) other connections would not see its rows, and
    SQLite has no concurrent readers worth it: the groups then run one after the other.
    Threads inherit neither the active language nor the time zone, so both are carried."""
    sequential = (
        not settings.REPORTS_PARALLEL_QUERIES
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
    )
    if sequential:
        return {name: compute() for group in groups for name, compute in group.items()}
    language = translation.get_language()
    zone = timezone.get_current_timezone()
    results: dict = {}
    errors: list[BaseException] = []

    def compute_group(group: dict) -> None:
        # The streams already share the cores: PostgreSQL's own parallel workers would
        # only compete with them (about 100 ms slower at 60,000 projects on 2 cores).
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                cursor.execute("SET LOCAL work_mem = '32MB'")
            for name, compute in group.items():
                results[name] = compute()

    def run(group: dict) -> None:
        try:
            with translation.override(language), timezone.override(zone):
                compute_group(group)
        except BaseException as error:  # re-raised in the request's thread below
            errors.append(error)
        finally:
            # Back to the pool (or closed): this thread ends here.
            connections.close_all()

    threads = [threading.Thread(target=run, args=(group,)) for group in groups[1:]]
    for thread in threads:
        thread.start()
    compute_group(groups[0])
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def dashboard_figures(user, projects, period: Period, *, filtered: bool = False) -> dict:
    """Every figure of the dashboard for `user` over `period`.

    `projects` is the user's filtered project queryset (it must start from
    Project.objects.visible_to(user)); `filtered` says whether the user set project filters
    (workshop registrations and call awards are then limited to those projects).
    Fixed number of queries (about thirty) whatever the data size, run in three
    streams on PostgreSQL (`_side_by_side`); the groups are balanced by their cost at
    60,000 projects."""
    in_period = portfolio(projects, period)
    # `projects` starts from Project.objects.visible_to(user), and a meeting is visible to
    # whoever sees its project: the one semi-join to `projects` scopes the meetings (a
    # second one, to every visible project, only cost time).
    meetings = Meeting.objects.filter(project__in=pks(projects))

    def communes():
        return {
            row["commune__insee_code"]: row["count"]
            for row in count_by(in_period, "commune__insee_code")
        }

    def themes():
        return list(
            Project.themes.through.objects.filter(project__in=pks(in_period))
            .order_by()
            .values("theme", "theme__label", "theme__position")
            .annotate(count=Count("project"))
            .order_by("theme__position", "theme__label")
        )

    def territory():
        # The communes of the territory, named and outlined for the map (reports.geo).
        return list(
            Commune.objects.filter(in_territory=True)
            .order_by("name")
            .values("insee_code", "name", "boundary", "boundary_source")
        )

    # Three groups of about equal cost (measured at 60,000 projects: the median days
    # ~350 ms, outcomes ~240, months ~215, coach hours ~160, the rest 100 ms or less).
    figures = _side_by_side(
        [
            {
                "median_days": lambda: median_days_by_stage(in_period, period),
                "eu_fund": lambda: eu_fund_table(projects, start=period.start, end=period.end),
                "funnel": lambda: funnel_counts(projects, period),
                "by_sector": lambda: count_by(in_period, "sector"),
                "attendance": lambda: workshop_attendance(user, projects, period, filtered),
                "contracts": lambda: contract_amounts(user, period),
                "orders": lambda: recent_orders(user),
                "calls": lambda: call_envelopes(user, projects, period, filtered),
                "territory": territory,
            },
            {
                "outcomes": lambda: outcome_totals(projects, in_period, period),
                "impact": lambda: impact_by_cohort(projects, today=period_today(period)),
                "esf": lambda: esf_indicators(projects, start=period.start, end=period.end),
                "coach_hours": lambda: coach_hours(in_period, period),
                "by_commune": communes,
                "by_stage_status": lambda: count_by(in_period, "stage", "status"),
            },
            {
                "months": lambda: meetings_by_month(meetings, period),
                "profiles": lambda: people_profiles(in_period, period),
                "by_theme": themes,
                "previous": lambda: previous_figures(user, projects, meetings, period, filtered),
            },
        ]
    )
    return {"period": period, **figures}
