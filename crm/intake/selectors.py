"""Read-side figures of the calls for projects, for the call page and the dashboard."""

from decimal import Decimal

from django.db.models import Count, Sum

from crm.models import Application, Call, CommitteeDecision, Sector


def call_envelope(call: Call) -> dict:
    """Envelope, awarded so far and what is left (one query)."""
    totals = Application.objects.filter(call=call).aggregate(
        awarded=Sum("amount_awarded"), applications=Count("pk")
    )
    awarded = totals["awarded"] or Decimal(0)
    winners = Application.objects.filter(call=call, decision=CommitteeDecision.WINNER)
    return {
        "envelope": call.envelope,
        "awarded": awarded,
        "left": call.envelope - awarded,
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
