"""The dashboard's headline figures for the period before the chosen one, so that each
figure on the first screen shows its change (the current values come from the other
selectors: nothing is counted twice)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum

from followups.models import Attendance, AttendanceStatus, Event
from reports.selectors.outcomes import structures_created
from reports.selectors.period import Period, pks, portfolio
from reports.selectors.pipeline import funnel_counts


def previous_period(period: Period) -> Period:
    """The period just before `period`: the previous calendar year for a year (or a call
    edition), else as many days ending the day before it starts."""
    whole_year = period.start == datetime.date(
        period.start.year, 1, 1
    ) and period.end == datetime.date(period.start.year, 12, 31)
    if whole_year:
        year = period.start.year - 1
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))
    end = period.start - datetime.timedelta(days=1)
    start = end - (period.end - period.start)
    return Period(start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")


def previous_figures(user, projects, meetings, period: Period, filtered: bool) -> dict:
    """Five queries: over the period before `period`, the portfolio, the arrivals and how
    many were accompanied, the meetings and their hours, the workshop attendances, and the
    structures created."""
    before = previous_period(period)
    funnel = funnel_counts(projects, before)
    activity = meetings.filter(start__gte=before.start_at, start__lt=before.end_at).aggregate(
        meetings=Count("pk"), minutes=Sum("duration_minutes")
    )
    events = Event.objects.visible_to(user).filter(
        start__gte=before.start_at, start__lt=before.end_at
    )
    attendances = Attendance.objects.visible_to(user).filter(
        event__in=pks(events), status=AttendanceStatus.ATTENDED
    )
    if filtered:
        attendances = attendances.filter(project__in=pks(projects))
    return {
        "period": before,
        "portfolio": portfolio(projects, before).count(),
        "applicants": funnel["applicants"],
        "accompanied": funnel["accompanied"],
        "meetings": activity["meetings"],
        "hours": (Decimal(activity["minutes"] or 0) / 60).quantize(Decimal("0.1")),
        "attended": attendances.count(),
        "structures_created": structures_created(projects, before),
    }
