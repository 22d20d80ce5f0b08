"""The dashboard's first screen: a few headline figures, each with its change against the
previous period (reports.selectors.headline)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports import charts
from reports.sections.links import Links


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: str
    previous: str
    # "up", "down" or "same"; the change as words for the eye and for screen readers.
    trend: str
    change: str
    link_url: str = ""


def _change(current, previous) -> tuple[str, str]:
    current, previous = Decimal(str(current)), Decimal(str(previous))
    delta = current - previous
    if delta == 0:
        return "same", pgettext("dashboard change", "stable")
    sign = "+" if delta > 0 else "−"
    text = f"{sign}{charts.fmt(abs(delta))}"
    if previous:
        percent = (abs(delta) * 100 / previous).quantize(Decimal("1"))
        text += f" ({sign}{charts.fmt(percent)} %)"
    return ("up" if delta > 0 else "down"), text


def build_headlines(figures: dict, links: Links) -> list[Headline]:
    """Seven figures of the period and of the one before, read from the computed figures."""
    before = figures["previous"]
    months = figures["months"]
    current = {
        "portfolio": sum(row["count"] for row in figures["by_stage_status"]),
        "applicants": figures["funnel"]["applicants"],
        "accompanied": figures["funnel"]["accompanied"],
        "meetings": sum(m["individual_meetings"] + m["collective_meetings"] for m in months),
        "hours": sum(m["individual_hours"] + m["collective_hours"] for m in months),
        "attended": sum(row["attended"] for row in figures["attendance"]["rows"]),
        "structures_created": figures["outcomes"]["structures_created"],
    }
    labels = {
        "portfolio": (_("Projets suivis"), links.projects()),
        "applicants": (_("Nouveaux projets"), links.received()),
        "accompanied": (_("Nouveaux projets accompagnés"), links.received()),
        "meetings": (_("Rendez-vous"), links.meetings()),
        "hours": (_("Heures d'accompagnement"), links.meetings()),
        "attended": (_("Présences aux ateliers"), links.events()),
        "structures_created": (_("Structures créées"), ""),
    }
    headlines = []
    for key, (label, url) in labels.items():
        trend, change = _change(current[key], before[key])
        suffix = " h" if key == "hours" else ""
        headlines.append(
            Headline(
                key=key,
                label=label,
                value=charts.fmt(current[key]) + suffix,
                previous=charts.fmt(before[key]) + suffix,
                trend=trend,
                change=change,
                link_url=url,
            )
        )
    return headlines
