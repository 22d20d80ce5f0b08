"""The monthly time series of the dashboard: hours of accompaniment as stacked columns
(individual, then collective hatched on top) and the number of meetings as a line on its
own axis, drawn as inline SVG on the server.

Each month is a focusable group (tab stop) whose value box shows on hover and on keyboard
focus through the stylesheet (.chart-point:focus .chart-tip): no script, no inline style,
so the content security policy holds. Each group also carries its values as its accessible
name and as a <title> (the browser's own tooltip). The box sits in a band above the plot
that no column reaches, so a later month never paints over it."""

import math
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports.charts import INK, MUTED, SERIES, _defs, _fill, _text, fmt

WIDTH = 640
LEFT = 46
RIGHT = 46
TIP_BAND = 58
PLOT_HEIGHT = 170
BOTTOM = 36
LEGEND = 26
LINE_COLOUR = SERIES[2]
GRID = "#d1d5db"


def nice_top(value: float, ticks: int = 4) -> tuple[float, float]:
    """A round axis maximum at or above `value` and its tick step (1, 2, 2.5 or 5 × 10^n)."""
    if value <= 0:
        return float(ticks), 1.0
    raw = value / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw:
            break
    if step < 1 and power >= 1:
        step = 1.0
    return step * ticks, step


def monthly_chart(uid: str, label: str, months: list[dict]) -> str:
    """`months`: the dashboard's figures["months"] (month, individual/collective meetings
    and hours)."""
    count = max(len(months), 1)
    plot_w = WIDTH - LEFT - RIGHT
    top_y = TIP_BAND
    base_y = TIP_BAND + PLOT_HEIGHT
    slot = plot_w / count
    column = max(min(slot * 0.62, 34), 1.5)
    hours = [float(m["individual_hours"] + m["collective_hours"]) for m in months]
    meetings = [m["individual_meetings"] + m["collective_meetings"] for m in months]
    hours_top, hours_step = nice_top(max(hours, default=0))
    meetings_top, meetings_step = nice_top(max(meetings, default=0))
    if meetings_step < 1:
        meetings_top, meetings_step = 4.0, 1.0

    def hy(value: float) -> float:
        return base_y - value / hours_top * PLOT_HEIGHT

    def my(value: float) -> float:
        return base_y - value / meetings_top * PLOT_HEIGHT

    parts = []
    # Axes: horizontal grid lines with the hours on the left, the meetings on the right.
    for index in range(5):
        y = base_y - index * PLOT_HEIGHT / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"'
            f' stroke="{GRID if index else INK}" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, fmt(_num(hours_step * index)), anchor="end", size=12))
        parts.append(
            _text(WIDTH - RIGHT + 6, y + 4, fmt(_num(meetings_step * index)), size=12, colour=MUTED)
        )
    parts.append(_text(LEFT - 6, top_y - 10, _("heures"), anchor="end", size=12))
    parts.append(_text(WIDTH - RIGHT + 6, top_y - 10, _("rdv"), size=12, colour=MUTED))
    # Month labels: all of them up to 12 months, else one in every few; the year under
    # the first month and every January.
    every = max(1, math.ceil(count / 12))
    for index, month in enumerate(months):
        x = LEFT + slot * (index + 0.5)
        if index % every == 0:
            parts.append(
                _text(x, base_y + 15, date_format(month["month"], "b"), anchor="middle", size=12)
            )
        if index == 0 or month["month"].month == 1:
            parts.append(
                _text(
                    x, base_y + 29, str(month["month"].year), anchor="middle", size=11, colour=MUTED
                )
            )
    # The meetings line, under the points so that each dot stays on top of it.
    points = " ".join(
        f"{LEFT + slot * (i + 0.5):.1f},{my(value):.1f}" for i, value in enumerate(meetings)
    )
    parts.append(
        f'<polyline points="{points}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>'
    )
    for index, month in enumerate(months):
        parts.append(_point(uid, index, month, slot, column, hy, my, base_y))
    parts += _legend(uid, base_y + BOTTOM)
    height = base_y + BOTTOM + LEGEND
    return mark_safe(
        f'<svg class="chart-svg chart-series" id="{uid}" role="group"'
        f' aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {height:.0f}"'
        f' xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f"{_defs(uid)}{''.join(parts)}</svg>"
    )


def _num(value: float):
    return Decimal(str(round(value, 1)))


def describe(month: dict) -> list[str]:
    """The month's values as lines: its name, then individual and collective."""
    return [
        date_format(month["month"], "F Y"),
        _("Individuel : %(h)s h, %(n)s rdv")
        % {"h": fmt(month["individual_hours"]), "n": month["individual_meetings"]},
        _("Collectif : %(h)s h, %(n)s rdv")
        % {"h": fmt(month["collective_hours"]), "n": month["collective_meetings"]},
    ]


def _point(uid, index, month, slot, column, hy, my, base_y) -> str:
    centre = LEFT + slot * (index + 0.5)
    x = centre - column / 2
    individual = float(month["individual_hours"])
    collective = float(month["collective_hours"])
    lines = describe(month)
    text = " – ".join(lines)
    parts = [
        f'<g class="chart-point" tabindex="0" role="img" aria-label="{escape(text)}">',
        f"<title>{escape(text)}</title>",
        # What the pointer hovers and what the focus ring outlines: the whole month's slot.
        f'<rect class="chart-hit" x="{LEFT + slot * index:.1f}" y="{TIP_BAND:.1f}"'
        f' width="{slot:.1f}" height="{base_y - TIP_BAND:.1f}" fill="#ffffff" fill-opacity="0"/>',
    ]
    if individual:
        parts.append(
            f'<rect x="{x:.1f}" y="{hy(individual):.1f}" width="{column:.1f}"'
            f' height="{base_y - hy(individual):.1f}" fill="{_fill(uid, 0)}"'
            f' stroke="{INK}" stroke-width="0.5"/>'
        )
    if collective:
        y = hy(individual + collective)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}"'
            f' height="{hy(individual) - y:.1f}" fill="{_fill(uid, 1)}"'
            f' stroke="{INK}" stroke-width="0.5"/>'
        )
    meetings = month["individual_meetings"] + month["collective_meetings"]
    parts.append(
        f'<circle cx="{centre:.1f}" cy="{my(meetings):.1f}" r="3.5" fill="#ffffff"'
        f' stroke="{LINE_COLOUR}" stroke-width="2"/>'
    )
    # The value box, in the band above the plot, kept inside the chart.
    box_w, box_h = 176, 50
    box_x = min(max(centre - box_w / 2, 0), WIDTH - box_w)
    parts.append('<g class="chart-tip" aria-hidden="true" visibility="hidden">')
    parts.append(
        f'<rect x="{box_x:.1f}" y="2" width="{box_w}" height="{box_h}" rx="4"'
        f' fill="#ffffff" stroke="{INK}" stroke-width="1"/>'
    )
    for number, line in enumerate(lines):
        parts.append(
            _text(
                box_x + 8,
                17 + number * 15,
                line,
                size=12,
                weight="bold" if not number else "normal",
            )
        )
    parts.append("</g></g>")
    return "".join(parts)


def _legend(uid: str, y: float) -> list[str]:
    parts = [
        f'<rect x="{LEFT}" y="{y}" width="14" height="14" fill="{_fill(uid, 0)}"'
        f' stroke="{INK}" stroke-width="0.5"/>',
        _text(LEFT + 19, y + 11.5, _("Heures individuelles"), size=13),
        f'<rect x="{LEFT + 180}" y="{y}" width="14" height="14" fill="{_fill(uid, 1)}"'
        f' stroke="{INK}" stroke-width="0.5"/>',
        _text(LEFT + 199, y + 11.5, _("Heures collectives"), size=13),
        f'<line x1="{LEFT + 350}" y1="{y + 7}" x2="{LEFT + 374}" y2="{y + 7}"'
        f' stroke="{LINE_COLOUR}" stroke-width="2"/>',
        f'<circle cx="{LEFT + 362}" cy="{y + 7}" r="3.5" fill="#ffffff"'
        f' stroke="{LINE_COLOUR}" stroke-width="2"/>',
        _text(LEFT + 380, y + 11.5, _("Rendez-vous (axe de droite)"), size=13),
    ]
    return parts
