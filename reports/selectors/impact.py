"""Survival and impact by year of creation: the cohort figures of the dashboard.

A structure is *created* on its project's first move into a launched stage (launch,
consolidation, scale-up: the dashboard's "structures créées"). For each project created,
one query reads that day and, from its measures (`ProjectMeasure.still_active`, jobs,
funds), the last day it was known active, the first day it was known closed, the paid
jobs at entry and at the latest measure, the funds raised at the latest measure, and the
grants the body awarded it (winning applications). Funds leveraged are the other
funds raised (loans, guarantees, equity, crowdfunding, sponsorship), per euro of grant.
Python then counts per creation year, so the query count is fixed (one) whatever the data size.

Survival at k years (k = 1, 2, 3), for a project created on day C whose day C + k years
has come: *active* when a measure says "still active" on or after C + k years; *closed*
when, failing that, a measure says "no longer active" on or before C + k years; *unknown*
otherwise. The rate counts only the known (active / (active + closed)); the unknown share
is shown beside it. Unknown stays unknown: a project never measured is never a failure.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.models import FUND_FIELDS, Application, CommitteeDecision, ProjectMeasure, StageChange
from reports.selectors.outcomes import LAUNCHED

SURVIVAL_YEARS = (1, 2, 3)
PAID_JOBS = ("jobs_permanent", "jobs_fixed_term", "jobs_subsidised")
# Funds leveraged: every type raised but grants (the body's own among them).
LEVERAGED_FUNDS = tuple(name for name in FUND_FIELDS if name != "funds_grant")


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Survival:
    eligible: int = 0  # created at least k years ago
    active: int = 0
    closed: int = 0

    @property
    def unknown(self) -> int:
        return self.eligible - self.active - self.closed

    @property
    def rate(self) -> Decimal | None:
        """Share of the known still active, in %; None when none is known."""
        known = self.active + self.closed
        if not known:
            return None
        return (Decimal(self.active) * 100 / known).quantize(Decimal("0.1"))

    @property
    def unknown_share(self) -> Decimal | None:
        if not self.eligible:
            return None
        return (Decimal(self.unknown) * 100 / self.eligible).quantize(Decimal("0.1"))


@dataclass
class Cohort:
    year: int
    created: int = 0
    survival: dict[int, Survival] = field(
        default_factory=lambda: {k: Survival() for k in SURVIVAL_YEARS}
    )
    jobs_measured: int = 0  # projects whose latest paid jobs are known
    jobs_created: int = 0
    jobs_held: int = 0
    granted_projects: int = 0
    grants: Decimal = Decimal(0)
    funds_of_granted: Decimal = Decimal(0)

    @property
    def leverage(self) -> Decimal | None:
        """Euros raised per euro of the body's grants (projects with a grant only)."""
        if not self.grants:
            return None
        return (self.funds_of_granted / self.grants).quantize(Decimal("0.01"))


def _latest(measures, value):
    return Subquery(measures.order_by("-measured_on", "-pk").values(value)[:1])


def _paid_jobs():
    total = Value(0)
    for name in PAID_JOBS:
        total = total + Coalesce(name, Value(0))
    return total


def _funds():
    total = Value(Decimal(0), output_field=DecimalField())
    for name in LEVERAGED_FUNDS:
        total = total + Coalesce(name, Value(Decimal(0)), output_field=DecimalField())
    return total


def created_projects(projects):
    """`projects` created (first launched stage change), annotated with `created_at` and
    the measure figures the cohorts need. One query when evaluated."""
    first_launch = (
        StageChange.objects.filter(project=OuterRef("pk"), to_stage__in=LAUNCHED)
        .order_by()
        .values("project")
        .annotate(first=Min("at"))
        .values("first")
    )
    measures = ProjectMeasure.objects.filter(project=OuterRef("pk"))
    any_job = Q()
    for name in PAID_JOBS:
        any_job |= Q(**{f"{name}__isnull": False})
    any_fund = Q()
    for name in LEVERAGED_FUNDS:
        any_fund |= Q(**{f"{name}__isnull": False})
    jobs = measures.filter(any_job).annotate(paid=_paid_jobs())
    entry_jobs = jobs.filter(kind="entry")
    funds = measures.filter(any_fund).annotate(raised=_funds())
    grants = (
        Application.objects.filter(project=OuterRef("pk"), decision=CommitteeDecision.WINNER)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount_awarded"))
        .values("total")
    )
    return (
        projects.order_by()
        .annotate(created_on=Subquery(first_launch))
        .filter(created_on__isnull=False)
        .annotate(
            last_active=_latest(measures.filter(still_active=True), "measured_on"),
            first_closed=Subquery(
                measures.filter(still_active=False)
                .order_by("measured_on")
                .values("measured_on")[:1]
            ),
            latest_jobs=Subquery(jobs.order_by("-measured_on", "-pk").values("paid")[:1]),
            entry_jobs=Subquery(entry_jobs.order_by("measured_on", "pk").values("paid")[:1]),
            latest_funds=Subquery(funds.order_by("-measured_on", "-pk").values("raised")[:1]),
            granted=Subquery(grants, output_field=DecimalField()),
        )
    )


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def period_today(period) -> datetime.date:
    """The day the cohorts are read at: the end of the period, or today if sooner."""
    return min(period.end, timezone.localdate())


def impact_by_cohort(projects, today: datetime.date | None = None) -> dict:
    """{"cohorts": [Cohort, ... by year], "total": Cohort (year 0)} for `projects` (scoped
    with visible_to). One query."""
    today = today or timezone.localdate()
    rows = created_projects(projects).values_list(
        "created_on",
        "last_active",
        "first_closed",
        "latest_jobs",
        "entry_jobs",
        "latest_funds",
        "granted",
    )
    cohorts: dict[int, Cohort] = {}
    total = Cohort(year=0)
    for created_at, last_active, first_closed, latest, entry, raised, granted in rows:
        created = _as_date(created_at)
        cohort = cohorts.setdefault(created.year, Cohort(year=created.year))
        for target in (cohort, total):
            _add(target, created, today, last_active, first_closed, latest, entry, raised, granted)
    return {"cohorts": [cohorts[year] for year in sorted(cohorts)], "total": total}


def _add(cohort, created, today, last_active, first_closed, latest, entry, raised, granted):
    cohort.created += 1
    for years in SURVIVAL_YEARS:
        milestone = _years_later(created, years)
        if milestone > today:
            continue
        survival = cohort.survival[years]
        survival.eligible += 1
        if last_active is not None and last_active >= milestone:
            survival.active += 1
        elif first_closed is not None and first_closed <= milestone:
            survival.closed += 1
    if latest is not None:
        # Jobs at entry unknown: none (most structures are created during the accompaniment).
        before = entry or 0
        cohort.jobs_measured += 1
        cohort.jobs_created += max(latest - before, 0)
        cohort.jobs_held += min(latest, before)
    if granted:
        cohort.granted_projects += 1
        cohort.grants += granted
        cohort.funds_of_granted += raised or Decimal(0)


__all__ = ["SURVIVAL_YEARS", "Cohort", "Survival", "impact_by_cohort"]
