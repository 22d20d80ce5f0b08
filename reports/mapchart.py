"""The map of the projects per commune, as inline SVG: each commune shaded and patterned by
its class of counts (a pattern per class, so that the scale reads without colour), its name
and count written inside it at its pole of inaccessibility (reports.geo), on a white halo
so that the labels keep a contrast above 4.5:1 whatever the shade, and a legend."""

import math
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports.charts import INK, fmt

# Class 0 (no project) then four classes, light to dark; each with its own pattern.
FILLS = ("#ffffff", "#dbeafe", "#93c5fd", "#3b82f6", "#1e3a8a")
PATTERN_INK = ("", "#1e40af", "#1e3a8a", "#172554", "#ffffff")
HALO = "#ffffff"
LEGEND_ROW = 22


def classes(top: int) -> list[tuple[int, int]]:
    """The count ranges of classes 1 to 4 (fewer when the counts are small)."""
    if top <= 0:
        return []
    bounds, low = [], 1
    for index in range(1, 5):
        high = max(low, math.ceil(top * index / 4))
        if high >= low and (not bounds or high > bounds[-1][1]):
            bounds.append((low, high))
            low = high + 1
        if low > top:
            break
    return bounds


def class_of(count: int, bounds: list[tuple[int, int]]) -> int:
    for index, (_low, high) in enumerate(bounds, start=1):
        if count <= high:
            return index
    return 0


def _patterns(uid: str) -> str:
    """Dots, lines, crossed lines, dense crossed lines over each class's shade."""
    shapes = {
        1: '<circle cx="3" cy="3" r="1" fill="{ink}"/>',
        2: '<path d="M0,6 L6,0" stroke="{ink}" stroke-width="1"/>',
        3: '<path d="M0,6 L6,0 M0,0 L6,6" stroke="{ink}" stroke-width="1"/>',
        4: '<path d="M0,3 L6,3 M3,0 L3,6" stroke="{ink}" stroke-width="1"/>',
    }
    parts = []
    for index, shape in shapes.items():
        parts.append(
            f'<pattern id="{uid}-c{index}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{FILLS[index]}"/>'
            f"{shape.format(ink=PATTERN_INK[index])}</pattern>"
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _fill(uid: str, index: int) -> str:
    return FILLS[0] if index == 0 else f"url(#{uid}-c{index})"


def _label(x: float, y: float, text: str, size: float, weight: str = "normal") -> str:
    """Text on a white halo: the halo is drawn first (a thick white outline of the same
    text), then the ink on top; paint-order would do it in one, but not in every renderer
    (the PDF)."""
    common = (
        f'x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="sans-serif"'
        f' text-anchor="middle" font-weight="{weight}"'
    )
    text = escape(text)
    return (
        f'<text {common} fill="{HALO}" stroke="{HALO}" stroke-width="3.5"'
        f' stroke-linejoin="round" aria-hidden="true">{text}</text>'
        f'<text {common} fill="{INK}">{text}</text>'
    )


def _name_lines(name: str) -> list[str]:
    """A long name on two lines, broken after a hyphen or at a space near its middle."""
    if len(name) <= 11:
        return [name]
    cuts = [m.end() for m in re.finditer(r"-|\s", name)]
    if not cuts:
        return [name]
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    return [name[:cut].strip(), name[cut:].strip()]


def commune_map(uid: str, label: str, shapes: dict, counts: dict[str, int]) -> str:
    top = max((counts.get(c["insee"], 0) for c in shapes["communes"]), default=0)
    bounds = classes(top)
    parts = []
    for commune in shapes["communes"]:
        count = counts.get(commune["insee"], 0)
        parts.append(
            f'<path d="{commune["path"]}" fill="{_fill(uid, class_of(count, bounds))}"'
            f' stroke="{INK}" stroke-width="1">'
            f"<title>{escape(commune['name'])} : {count}</title></path>"
        )
    for commune in shapes["communes"]:
        count = counts.get(commune["insee"], 0)
        size = 11 if commune.get("room", 30) < 22 else 12.5
        lines = _name_lines(commune["name"])
        y = commune["y"] - (len(lines) - 1) * size / 2
        for number, line in enumerate(lines):
            parts.append(_label(commune["x"], y + number * (size + 1), line, size))
        parts.append(_label(commune["x"], y + len(lines) * (size + 1) + 6, fmt(count), 16, "bold"))
    legend_y = shapes["height"] + 8
    parts.append(
        f'<text x="10" y="{legend_y + 12}" font-size="13" font-family="sans-serif"'
        f' fill="{INK}" font-weight="bold">{escape(_("Projets suivis"))}</text>'
    )
    entries = [(0, _("aucun"))] + [
        (index, fmt(low) if low == high else _("%(low)s à %(high)s") % {"low": low, "high": high})
        for index, (low, high) in enumerate(bounds, start=1)
    ]
    x = 130
    for index, text in entries:
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="22" height="16" fill="{_fill(uid, index)}"'
            f' stroke="{INK}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x + 27}" y="{legend_y + 12.5}" font-size="13" font-family="sans-serif"'
            f' fill="{INK}">{escape(text)}</text>'
        )
        x += 40 + len(text) * 7.5
    height = legend_y + LEGEND_ROW + 4
    return mark_safe(
        f'<svg class="chart-svg chart-map" id="{uid}" role="img" aria-label="{escape(label)}"'
        f' viewBox="0 0 {shapes["width"]} {height:.0f}" xmlns="http://www.w3.org/2000/svg"'
        f' preserveAspectRatio="xMinYMin meet">{_patterns(uid)}{"".join(parts)}</svg>'
    )
