"""The figures of the dashboard and of the activity report (bilan d'activité).

Everything here is an aggregate query: `dashboard_figures` runs a fixed number of queries
whatever the number of projects, meetings or people (about twenty), and every figure
starts from a `visible_to(user)` queryset, so a coach's figures cover their projects only.

Definitions (shown to users under each chart):
- received on: the day a project came in: its online registration, else its entry date,
  else the day its record was created.
- the period's portfolio (projets suivis): projects received before the end of the period
  and not exited before its start.
- funnel, on the projects received in the period: applicants (all of them); diagnosed
  (a triage decision, a diagnostic meeting, or accompanied); accompanied (status moved to
  "en accompagnement" at some point, or is now active, on hold or completed); winners
  (a winning application: to the chosen call when the period is a call edition).
"""

import datetime
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.utils import timezone, translation

from contacts.models import EmploymentSituation, Gender, Person
from crm.models import (
    FUND_FIELDS,
    Application,
    Call,
    CommitteeDecision,
    Commune,
    Project,
    ProjectMeasure,
    ProjectMember,
    Stage,
    StageChange,
    Status,
    TriageDecision,
)
from followups.models import (
    Attendance,
    AttendanceStatus,
    Consumption,
    Contract,
    Event,
    EventKind,
    Meeting,
    MeetingFormat,
    OrderLine,
    PurchaseOrder,
    TimeKind,
    UnitKind,
    UnitPrice,
)
from reports.eu_fund import eu_fund_table

ACCOMPANIED_STATUSES = (Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED)
JOBSEEKERS = (EmploymentSituation.JOBSEEKER, EmploymentSituation.JOBSEEKER_LONG_TERM)
YOUNG_AGE = 26
LAUNCHED = (Stage.LAUNCH, Stage.CONSOLIDATION, Stage.SCALE_UP)


@dataclass(frozen=True)
class Period:
    """A closed range of days, and the call edition it stands for (if any)."""

    start: datetime.date
    end: datetime.date
    label: str
    call: Call | None = field(default=None, compare=False)

    @property
    def start_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_at(self) -> datetime.datetime:
        """The first instant after the period."""
        day = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def months(self) -> list[datetime.date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def year_period(year: int, label: str = "") -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), label or str(year))


def portfolio(projects, period: Period):
    """Projects followed during the period: received before its end, not exited before."""
    return projects.followed_between(period.start, period.end)


def _pks(queryset):
    return queryset.order_by().values("pk")


def _funnel(projects, period: Period) -> dict:
    """One query: the projects received in the period, and how far they went."""
    received = projects.received_between(period.start, period.end)
    triaged = TriageDecision.objects.filter(project=OuterRef("pk"))
    diagnosis = Meeting.objects.filter(project=OuterRef("pk"), format=MeetingFormat.DIAGNOSTIC)
    activated = StageChange.objects.filter(project=OuterRef("pk"), to_status=Status.ACTIVE)
    wins = Application.objects.filter(project=OuterRef("pk"), decision=CommitteeDecision.WINNER)
    if period.call is not None:
        wins = wins.filter(call=period.call)
    accompanied = Q(Exists(activated)) | Q(status__in=ACCOMPANIED_STATUSES)
    return received.aggregate(
        applicants=Count("pk"),
        diagnosed=Count("pk", filter=Q(Exists(triaged)) | Q(Exists(diagnosis)) | accompanied),
        accompanied=Count("pk", filter=accompanied),
        winners=Count("pk", filter=Q(Exists(wins))),
    )


def _count_by(queryset, *fields) -> list[dict]:
    return list(queryset.order_by().values(*fields).annotate(count=Count("pk")).order_by(*fields))


def _meetings_by_month(meetings, period: Period) -> list[dict]:
    """One query: meetings and minutes per month and time kind."""
    rows = (
        meetings.filter(start__gte=period.start_at, start__lt=period.end_at)
        .order_by()
        .annotate(month=TruncMonth("start"))
        .values("month", "time_kind")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
    )
    found = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        found[(month.replace(day=1), row["time_kind"])] = row
    months = []
    for month in period.months():
        individual = found.get((month, TimeKind.INDIVIDUAL), {})
        collective = found.get((month, TimeKind.COLLECTIVE), {})
        months.append(
            {
                "month": month,
                "individual_meetings": individual.get("count", 0),
                "collective_meetings": collective.get("count", 0),
                "individual_hours": _hours(individual.get("minutes") or 0),
                "collective_hours": _hours(collective.get("minutes") or 0),
            }
        )
    return months


def _hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"))


def _attendance(user, projects, period: Period, filtered: bool) -> dict:
    """Two queries: the period's events per kind, and registrations per kind and status."""
    events = Event.objects.visible_to(user).filter(
        start__gte=period.start_at, start__lt=period.end_at
    )
    attendances = Attendance.objects.visible_to(user).filter(event__in=_pks(events))
    if filtered:
        attendances = attendances.filter(project__in=_pks(projects))
    event_counts = dict(
        events.order_by()
        .values_list("kind")
        .annotate(count=Count("pk"))
        .values_list("kind", "count")
    )
    counts = {
        (row["event__kind"], row["status"]): row["count"]
        for row in attendances.order_by()
        .values("event__kind", "status")
        .annotate(count=Count("pk"))
    }
    rows = []
    for kind, label in EventKind.choices:
        by_status = {status: counts.get((kind, status), 0) for status in AttendanceStatus.values}
        rows.append(
            {
                "kind": kind,
                "label": label,
                "events": event_counts.get(kind, 0),
                "registered": sum(by_status.values()),
                "attended": by_status[AttendanceStatus.ATTENDED],
                "excused": by_status[AttendanceStatus.EXCUSED],
                "absent": by_status[AttendanceStatus.ABSENT],
            }
        )
    return {"rows": rows}


def _coach_hours(projects_in_period, period: Period) -> list[dict]:
    """Two queries: hours allocated to the portfolio's projects per coach, and the
    individual hours their meetings used, to the end of the period and within it.

    The second joins the portfolio to its meetings (every one of them is visible to whoever
    sees the project) and groups by the project's coach: one join, where going from the
    meetings to the projects cost two more joins and a lookup per project."""
    allocated = (
        projects_in_period.order_by()
        .values("coach", "coach__first_name", "coach__last_name", "coach__username")
        .annotate(allocated=Sum("hours_allocated"), projects=Count("pk"))
    )
    used = {
        row["coach"]: row
        for row in projects_in_period.filter(
            meetings__time_kind=TimeKind.INDIVIDUAL, meetings__start__lt=period.end_at
        )
        .order_by()
        .values("coach")
        .annotate(
            minutes=Sum("meetings__duration_minutes"),
            period_minutes=Sum(
                "meetings__duration_minutes", filter=Q(meetings__start__gte=period.start_at)
            ),
        )
    }
    rows = []
    for row in allocated:
        name = " ".join(
            part for part in (row["coach__first_name"], row["coach__last_name"]) if part
        )
        spent = used.get(row["coach"], {})
        rows.append(
            {
                "coach_id": row["coach"],
                "name": name or row["coach__username"] or "",
                "projects": row["projects"],
                "allocated": Decimal(row["allocated"] or 0).quantize(Decimal("0.1")),
                "used": _hours(spent.get("minutes")),
                "used_in_period": _hours(spent.get("period_minutes")),
            }
        )
    # Unassigned projects last, then by name.
    rows.sort(key=lambda r: (r["coach_id"] is None, r["name"].lower()))
    return rows


def _contracts(user, period: Period) -> list[dict]:
    """Four queries: the provider contracts running during the period, their prices,
    the quantities ordered, and the quantities consumed (as far as `user` may see)."""
    contracts = list(
        Contract.objects.visible_to(user)
        .filter(start_date__lte=period.end, end_date__gte=period.start)
        .select_related("provider")
        .order_by("start_date", "reference")
    )
    if not contracts:
        return []
    ids = [c.pk for c in contracts]
    prices = {
        (row[0], row[1]): row[2]
        for row in UnitPrice.objects.filter(contract__in=ids).values_list(
            "contract", "unit", "price"
        )
    }
    ordered = {
        (row["order__contract"], row["unit"]): row["quantity"]
        for row in OrderLine.objects.filter(order__contract__in=ids)
        .order_by()
        .values("order__contract", "unit")
        .annotate(quantity=Sum("quantity"))
    }
    consumed = {
        (row["order__contract"], row["unit"]): row
        for row in Consumption.objects.visible_to(user)
        .filter(order__contract__in=ids, on__lte=period.end)
        .order_by()
        .values("order__contract", "unit")
        .annotate(
            to_date=Sum("quantity"),
            in_period=Coalesce(Sum("quantity", filter=Q(on__gte=period.start)), Value(Decimal(0))),
        )
    }
    rows = []
    for contract in contracts:
        ordered_amount = consumed_amount = period_amount = Decimal(0)
        for unit in UnitKind.values:
            price = prices.get((contract.pk, unit), Decimal(0))
            ordered_amount += ordered.get((contract.pk, unit), Decimal(0)) * price
            used = consumed.get((contract.pk, unit), {})
            consumed_amount += (used.get("to_date") or Decimal(0)) * price
            period_amount += (used.get("in_period") or Decimal(0)) * price
        hours = consumed.get((contract.pk, UnitKind.COACHING_HOUR), {})
        rows.append(
            {
                "contract": contract,
                "reference": contract.reference,
                "provider": contract.provider.name,
                "max_amount": contract.max_amount,
                "ordered_amount": ordered_amount.quantize(Decimal("0.01")),
                "consumed_amount": consumed_amount.quantize(Decimal("0.01")),
                "period_amount": period_amount.quantize(Decimal("0.01")),
                "hours_ordered": ordered.get((contract.pk, UnitKind.COACHING_HOUR), Decimal(0)),
                "hours_consumed": hours.get("to_date") or Decimal(0),
                "hours_in_period": hours.get("in_period") or Decimal(0),
            }
        )
    return rows


def _orders(user) -> list[PurchaseOrder]:
    """One query: the purchase orders whose monthly statements `user` may open."""
    contracts = Contract.objects.visible_to(user)
    return list(
        PurchaseOrder.objects.filter(contract__in=_pks(contracts))
        .select_related("contract")
        .order_by("-issued_on", "number", "pk")[:12]
    )


def _profiles(projects_in_period, period: Period) -> dict:
    """Two queries: shares among the entrepreneurs of the portfolio, and projects in a QPV."""
    people = Person.objects.filter(
        pk__in=ProjectMember.objects.filter(project__in=_pks(projects_in_period)).values("person")
    )
    young_from = period.end.year - YOUNG_AGE + 1
    figures = people.aggregate(
        people=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        gender_known=Count("pk", filter=~Q(gender="")),
        under_26=Count("pk", filter=Q(birth_year__gte=young_from)),
        age_known=Count("pk", filter=Q(birth_year__isnull=False)),
        jobseekers=Count("pk", filter=Q(employment_situation_at_entry__in=JOBSEEKERS)),
        situation_known=Count("pk", filter=~Q(employment_situation_at_entry="")),
        qpv_residents=Count("pk", filter=Q(lives_in_qpv=True)),
        qpv_known=Count("pk", filter=Q(lives_in_qpv__isnull=False)),
    )
    figures.update(
        projects_in_period.aggregate(
            projects=Count("pk"), projects_in_qpv=Count("pk", filter=Q(in_qpv=True))
        )
    )
    return figures


def _outcomes(projects, projects_in_period, period: Period) -> dict:
    """Two queries: structures created (first move into the launch stage, in the period), the
    latest measure of each portfolio project up to the end of the period, summed."""
    launched_before = StageChange.objects.filter(
        project=OuterRef("project"), to_stage__in=LAUNCHED, at__lt=OuterRef("at")
    )
    created = (
        StageChange.objects.filter(
            project__in=_pks(projects),
            to_stage=Stage.LAUNCH,
            at__gte=period.start_at,
            at__lt=period.end_at,
        )
        .exclude(Exists(launched_before))
        .order_by()
        .aggregate(count=Count("project", distinct=True))["count"]
    )
    measures = _latest_measures(projects_in_period, period)
    sums = {name: Coalesce(Sum(name), Value(Decimal(0))) for name in FUND_FIELDS}
    totals = measures.aggregate(
        measured=Count("pk"),
        jobs_permanent=Coalesce(Sum("jobs_permanent"), Value(0)),
        jobs_fixed_term=Coalesce(Sum("jobs_fixed_term"), Value(0)),
        fte=Coalesce(Sum("fte"), Value(Decimal(0))),
        turnover=Coalesce(Sum("turnover"), Value(Decimal(0))),
        still_active=Count("pk", filter=Q(still_active=True)),
        **sums,
    )
    totals["structures_created"] = created
    totals["jobs"] = totals["jobs_permanent"] + totals["jobs_fixed_term"]
    totals["funds_total"] = sum((totals[name] for name in FUND_FIELDS), Decimal(0))
    return totals


def _latest_measures(projects_in_period, period: Period):
    """The latest measure of each portfolio project up to the end of the period: the
    portfolio's measures numbered per project from the newest (ROW_NUMBER), first rows kept;
    the aggregate runs over that as a subquery. One pass over the measures; the previous
    correlated subquery per project, run twice by the planner, then a lookup by id, took
    2.3 s at 50,000 projects."""
    return (
        ProjectMeasure.objects.filter(
            project__in=_pks(projects_in_period), measured_on__lte=period.end
        )
        .order_by()
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=F("project_id"),
                order_by=[F("measured_on").desc(), F("pk").desc()],
            )
        )
        .filter(newest=1)
    )


def median_days_by_stage(projects, period: Period) -> dict[str, dict]:
    """One query: per stage, the median number of days the portfolio's projects spent in
    it, over the stays that ended during the period ({stage: {"days", "stays"}}).

    A stay's length is the time to the project's next move (window function LEAD); a
    project's successive rows in one stage (status-only moves) add up. PostgreSQL takes the
    median with percentile_cont; SQLite averages the middle row(s) found with ROW_NUMBER."""
    project_sql, project_params = _pks(projects).query.sql_with_params()
    table = StageChange._meta.db_table
    postgres = connection.vendor == "postgresql"
    length = (
        "EXTRACT(EPOCH FROM (next_at - at)) / 86400.0"
        if postgres
        else "(julianday(next_at) - julianday(at))"
    )
    sql = f"""
        WITH moves AS (
            SELECT project_id, to_stage, at,
                   LEAD(at) OVER (PARTITION BY project_id ORDER BY at, id) AS next_at
            FROM {table}
            WHERE project_id IN ({project_sql}) AND at < %s
              -- Only projects that moved during the period can have a stay ending in it:
              -- an index range on `at` keeps the window to those projects' histories.
              AND project_id IN (SELECT project_id FROM {table} WHERE at >= %s AND at < %s)
        ),
        stays AS (
            SELECT project_id, to_stage AS stage, SUM({length}) AS days
            FROM moves
            WHERE next_at IS NOT NULL AND next_at < %s
            GROUP BY project_id, to_stage
            HAVING MAX(next_at) >= %s
        )
    """
    if postgres:
        sql += """
            SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), COUNT(*)
            FROM stays GROUP BY stage
        """
    else:
        sql += """
            , ranked AS (
                SELECT stage, days,
                       ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS rn,
                       COUNT(*) OVER (PARTITION BY stage) AS n
                FROM stays
            )
            SELECT stage, AVG(days), MAX(n) FROM ranked
            WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
            GROUP BY stage
        """
    ops = connection.ops
    params = [
        *project_params,
        # Moves after the period only end stays that end after it: left out early.
        ops.adapt_datetimefield_value(period.end_at),
        ops.adapt_datetimefield_value(period.start_at),
        ops.adapt_datetimefield_value(period.end_at),
        ops.adapt_datetimefield_value(period.end_at),
        ops.adapt_datetimefield_value(period.start_at),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        stage: {"days": Decimal(str(round(float(days), 1))), "stays": int(stays)}
        for stage, days, stays in rows
    }


def _calls(user, projects, period: Period, filtered: bool) -> list[dict]:
    """One query: the envelope of the calls of the period (or of the chosen edition) and the
    amounts awarded to winners."""
    calls = Call.objects.visible_to(user)
    if period.call is not None:
        calls = calls.filter(pk=period.call.pk)
    else:
        calls = calls.filter(year__gte=period.start.year, year__lte=period.end.year)
    winner = Q(applications__decision=CommitteeDecision.WINNER)
    if filtered:
        winner &= Q(applications__project__in=_pks(projects))
    rows = calls.order_by("year").annotate(
        awarded=Coalesce(Sum("applications__amount_awarded", filter=winner), Value(Decimal(0))),
        winners=Count("applications", filter=winner),
        applications_count=Count("applications"),
    )
    return [
        {
            "call": call,
            "label": str(call),
            "envelope": call.envelope,
            "awarded": call.awarded,
            "left": call.envelope - call.awarded,
            "winners": call.winners,
            "applications": call.applications_count,
        }
        for call in rows
    ]


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
    Fixed number of queries (about twenty-five) whatever the data size, run in three
    streams on PostgreSQL (`_side_by_side`); the groups are balanced by their cost at
    60,000 projects."""
    in_period = portfolio(projects, period)
    # `projects` starts from Project.objects.visible_to(user), and a meeting is visible to
    # whoever sees its project: the one semi-join to `projects` scopes the meetings (a
    # second one, to every visible project, only cost time).
    meetings = Meeting.objects.filter(project__in=_pks(projects))

    def communes():
        return {
            row["commune__insee_code"]: row["count"]
            for row in _count_by(in_period, "commune__insee_code")
        }

    def themes():
        return list(
            Project.themes.through.objects.filter(project__in=_pks(in_period))
            .order_by()
            .values("theme", "theme__label", "theme__position")
            .annotate(count=Count("project"))
            .order_by("theme__position", "theme__label")
        )

    def commune_names():
        return dict(Commune.objects.filter(in_territory=True).values_list("insee_code", "name"))

    # Three groups of about equal cost (measured at 60,000 projects: the median days
    # ~350 ms, outcomes ~240, months ~215, coach hours ~160, the rest 100 ms or less).
    figures = _side_by_side(
        [
            {
                "median_days": lambda: median_days_by_stage(in_period, period),
                "eu_fund": lambda: eu_fund_table(projects, start=period.start, end=period.end),
                "funnel": lambda: _funnel(projects, period),
                "by_sector": lambda: _count_by(in_period, "sector"),
                "attendance": lambda: _attendance(user, projects, period, filtered),
                "contracts": lambda: _contracts(user, period),
                "orders": lambda: _orders(user),
                "calls": lambda: _calls(user, projects, period, filtered),
                "commune_names": commune_names,
            },
            {
                "outcomes": lambda: _outcomes(projects, in_period, period),
                "coach_hours": lambda: _coach_hours(in_period, period),
                "by_commune": communes,
                "by_stage_status": lambda: _count_by(in_period, "stage", "status"),
            },
            {
                "months": lambda: _meetings_by_month(meetings, period),
                "profiles": lambda: _profiles(in_period, period),
                "by_theme": themes,
            },
        ]
    )
    return {"period": period, **figures}
