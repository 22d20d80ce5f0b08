"""Follow-up activity: hours per month and per coach, workshops, the provider's contracts."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from followups.models import (
    Attendance,
    AttendanceStatus,
    Consumption,
    Contract,
    Event,
    EventKind,
    OrderLine,
    PurchaseOrder,
    TimeKind,
    UnitKind,
    UnitPrice,
)
from reports.selectors.period import Period, pks


def meetings_by_month(meetings, period: Period) -> list[dict]:
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


def workshop_attendance(user, projects, period: Period, filtered: bool) -> dict:
    """Two queries: the period's events per kind, and registrations per kind and status."""
    events = Event.objects.visible_to(user).filter(
        start__gte=period.start_at, start__lt=period.end_at
    )
    attendances = Attendance.objects.visible_to(user).filter(event__in=pks(events))
    if filtered:
        attendances = attendances.filter(project__in=pks(projects))
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


def coach_hours(projects_in_period, period: Period) -> list[dict]:
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


def contract_amounts(user, period: Period) -> list[dict]:
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


def recent_orders(user) -> list[PurchaseOrder]:
    """One query: the purchase orders whose monthly statements `user` may open."""
    contracts = Contract.objects.visible_to(user)
    return list(
        PurchaseOrder.objects.filter(contract__in=pks(contracts))
        .select_related("contract")
        .order_by("-issued_on", "number", "pk")[:12]
    )
