"""Pipeline figures: the funnel of the period's arrivals, median days per stage, calls."""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from crm.models import (
    Application,
    Call,
    CommitteeDecision,
    GrantInstalment,
    StageChange,
    Status,
    TriageDecision,
)
from followups.models import Meeting, MeetingFormat
from reports.selectors.period import Period, pks

ACCOMPANIED_STATUSES = (Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED)


def funnel_counts(projects, period: Period) -> dict:
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


def median_days_by_stage(projects, period: Period) -> dict[str, dict]:
    """One query: per stage, the median number of days the portfolio's projects spent in
    it, over the stays that ended during the period ({stage: {"days", "stays"}}).

    A stay's length is the time to the project's next move (window function LEAD); a
    project's successive rows in one stage (status-only moves) add up. PostgreSQL takes the
    median with percentile_cont; SQLite averages the middle row(s) found with ROW_NUMBER."""
    project_sql, project_params = pks(projects).query.sql_with_params()
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


def call_envelopes(user, projects, period: Period, filtered: bool) -> list[dict]:
    """One query: the envelope of the calls of the period (or of the chosen edition) and the
    amounts awarded to winners."""
    calls = Call.objects.visible_to(user)
    if period.call is not None:
        calls = calls.filter(pk=period.call.pk)
    else:
        calls = calls.filter(year__gte=period.start.year, year__lte=period.end.year)
    winner = Q(applications__decision=CommitteeDecision.WINNER)
    if filtered:
        winner &= Q(applications__project__in=pks(projects))
    # Paid: the instalments with a payment date (a subquery: the join to applications
    # above would count each instalment once per application).
    instalments = GrantInstalment.objects.filter(
        application__call=OuterRef("pk"), paid_on__isnull=False
    )
    if filtered:
        instalments = instalments.filter(application__project__in=pks(projects))
    paid = instalments.order_by().values("application__call").annotate(total=Sum("amount"))
    rows = calls.order_by("year").annotate(
        awarded=Coalesce(Sum("applications__amount_awarded", filter=winner), Value(Decimal(0))),
        winners=Count("applications", filter=winner),
        applications_count=Count("applications"),
        paid=Coalesce(Subquery(paid.values("total")), Value(Decimal(0))),
    )
    return [
        {
            "call": call,
            "label": str(call),
            "envelope": call.envelope,
            "awarded": call.awarded,
            "left": call.envelope - call.awarded,
            "paid": call.paid,
            "to_pay": call.awarded - call.paid,
            "winners": call.winners,
            "applications": call.applications_count,
        }
        for call in rows
    ]
