"""Read-side figures of the calls for projects, for the call page and the dashboard."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from crm.models import Application, Call, CommitteeDecision, GrantInstalment, Sector


def call_envelope(call: Call) -> dict:
    """Envelope, awarded so far, paid so far (instalments with a payment date) and what is
    left to award and to pay (three queries)."""
    totals = Application.objects.filter(call=call).aggregate(
        awarded=Sum("amount_awarded"), applications=Count("pk")
    )
    awarded = totals["awarded"] or Decimal(0)
    paid = GrantInstalment.objects.filter(application__call=call).paid().aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    winners = Application.objects.filter(call=call, decision=CommitteeDecision.WINNER)
    return {
        "envelope": call.envelope,
        "awarded": awarded,
        "left": call.envelope - awarded,
        "paid": paid,
        "to_pay": awarded - paid,
        "applications": totals["applications"],
        "winners": winners.count(),
    }


def call_results(call: Call) -> dict:
    """The call's winners and the amounts awarded, by commune and by sector (three queries
    whatever the number of applications).

    Returns {"winners": [{"project", "commune", "sector", "amount"}…],
             "by_commune": [{"commune", "winners", "amount"}…],
             "by_sector": [{"sector", "label", "winners", "amount"}…],
             "total": Decimal}.
    """
    winners = Application.objects.filter(call=call, decision=CommitteeDecision.WINNER)
    rows = list(winners.select_related("project__commune").order_by("project__name", "pk"))
    by_commune = list(
        winners.values("project__commune__name")
        .annotate(winners=Count("pk"), amount=Sum("amount_awarded"))
        .order_by("-amount", "project__commune__name")
    )
    by_sector = list(
        winners.values("project__sector")
        .annotate(winners=Count("pk"), amount=Sum("amount_awarded"))
        .order_by("-amount", "project__sector")
    )
    labels = dict(Sector.choices)
    return {
        "winners": [
            {
                "project": row.project,
                "commune": row.project.commune.name if row.project.commune else "",
                "sector": row.project.sector,
                "amount": row.amount_awarded,
            }
            for row in rows
        ],
        "by_commune": [
            {
                "commune": item["project__commune__name"] or "",
                "winners": item["winners"],
                "amount": item["amount"],
            }
            for item in by_commune
        ],
        "by_sector": [
            {
                "sector": item["project__sector"],
                "label": labels.get(item["project__sector"], "") or "",
                "winners": item["winners"],
                "amount": item["amount"],
            }
            for item in by_sector
        ],
        "total": sum((row.amount_awarded for row in rows), Decimal(0)),
    }


def payment_schedule(user, *, year: int | None = None):
    """The instalments the user may see, by month of their due date, for the finance
    department: each instalment with its project, call and convention (one query).
    Returns the queryset, ordered by due date; `schedule_months` groups it."""
    instalments = (
        GrantInstalment.objects.visible_to(user)
        .select_related("application__project", "application__call")
        .annotate(month=TruncMonth("due_on"))
        .order_by("due_on", "application__project__name", "pk")
    )
    if year is not None:
        instalments = instalments.filter(due_on__year=year)
    return instalments


def schedule_months(instalments) -> list[dict]:
    """[{month, instalments, due, paid}] from payment_schedule() (no further query)."""
    months: dict = {}
    for instalment in instalments:
        month = months.setdefault(
            instalment.month,
            {"month": instalment.month, "instalments": [], "due": Decimal(0), "paid": Decimal(0)},
        )
        month["instalments"].append(instalment)
        month["due"] += instalment.amount
        if instalment.paid_on:
            month["paid"] += instalment.amount
    return list(months.values())
