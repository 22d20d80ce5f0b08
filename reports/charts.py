"""Charts drawn as inline SVG on the server: no JavaScript, no external resource.

Colours are SVG presentation attributes (fill="…"), which the content security policy
allows (it forbids style attributes); every bar carries its value as text and the second
series is hatched, so a chart reads without colour. The same SVG goes into the PDF."""

import textwrap
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from crm.core import formatting

WIDTH = 320
INK = "#1f2937"
MUTED = "#4b5563"
SERIES = ("#1d4ed8", "#b45309", "#047857")
ROW_LABEL = 18
BAR = 16
GAP = 10
VALUE_ROOM = 130
LABEL_CHARS = 34


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = Decimal(str(round(value, 1)))
    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral_value() else 1
        return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _value_text(value, suffix: str) -> str:
    """A bar's value; amounts in euros as every page writes them (crm.core.formatting)."""
    if suffix.strip() == "€" and value is not None:
        return formatting.amount(value)
    return f"{fmt(value)}{suffix}"


def _defs(uid: str) -> str:
    # A hatch for the second series and a dotted fill for the third: shapes, not colours.
    return (
        f'<defs><pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#fde8c8"/>'
        f'<rect width="3" height="6" fill="{SERIES[1]}"/></pattern>'
        f'<pattern id="{uid}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="#d1fae5"/>'
        f'<circle cx="2.5" cy="2.5" r="1.5" fill="{SERIES[2]}"/></pattern></defs>'
    )


def _fill(uid: str, index: int) -> str:
    return (SERIES[0], f"url(#{uid}-hatch)", f"url(#{uid}-dots)")[index % 3]


def _text(x, y, text, *, anchor="start", weight="normal", size=13, colour=INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="sans-serif"'
        f' fill="{colour}" text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def bars(
    uid: str,
    label: str,
    rows: list[dict],
    series: list[str],
    *,
    suffix: str = "",
    maximum=None,
) -> str:
    """Horizontal bars: for each row {"label", "values": [...], "texts": [...]?} the label
    on a line, then one bar per series with its value written after it."""
    values = [v or 0 for row in rows for v in row["values"]]
    top = maximum if maximum is not None else max(values, default=0)
    top = float(top) or 1.0
    span = WIDTH - VALUE_ROOM
    parts, y = [], 4
    if len(series) > 1:
        x = 0
        for index, name in enumerate(series):
            # Legend text at 14 units: about 8.5 units a character, plus the swatch.
            room = 40 + int(len(name) * 8.5)
            if x and x + room > WIDTH:
                x, y = 0, y + 22
            parts.append(
                f'<rect x="{x}" y="{y}" width="16" height="16" fill="{_fill(uid, index)}"'
                f' stroke="{INK}" stroke-width="0.5"/>'
            )
            parts.append(_text(x + 22, y + 13, name, size=14))
            x += room
        y += 30
    for row in rows:
        # A long label wraps: the SVG is 320 units wide and bold 15-unit text fits ~34.
        for line in textwrap.wrap(str(row["label"]), LABEL_CHARS) or [""]:
            parts.append(_text(0, y + 14, line, weight="bold", size=15))
            y += ROW_LABEL + 2
        if row.get("empty") and not any(row["values"]):
            # Nothing to draw: one line says so instead of a column of zeros.
            parts.append(_text(0, y + 13, row["empty"], size=14, colour=MUTED))
            y += BAR + 3 + GAP
            continue
        texts = row.get("texts") or [_value_text(v, suffix) for v in row["values"]]
        for index, value in enumerate(row["values"]):
            width = max(float(value or 0) / top * span, 0)
            if value:
                width = max(width, 2)
            parts.append(
                f'<rect x="0" y="{y}" width="{width:.1f}" height="{BAR}"'
                f' fill="{_fill(uid, index)}" stroke="{INK}" stroke-width="0.5"/>'
            )
            parts.append(_text(width + 5, y + 13, texts[index], size=14))
            y += BAR + 3
        y += GAP
    return _svg(uid, label, WIDTH, y, "".join(parts))


def _svg(uid: str, label: str, width, height, body: str) -> str:
    return mark_safe(
        f'<svg class="chart-svg" id="{uid}" role="img" aria-label="{escape(label)}"'
        f' viewBox="0 0 {width} {height:.0f}" xmlns="http://www.w3.org/2000/svg"'
        f' preserveAspectRatio="xMinYMin meet">{_defs(uid)}{body}</svg>'
    )


# Map shades from light to dark; each commune also carries its count as text.
SHADES = ("#f3f4f6", "#dbeafe", "#93c5fd", "#3b82f6", "#1e40af")


def commune_map(uid: str, label: str, shapes: dict, counts: dict[str, int]) -> str:
    top = max(counts.values(), default=0)
    parts = []
    for commune in shapes["communes"]:
        count = counts.get(commune["insee"], 0)
        shade = 0 if not count else 1 + min(3, int(3 * count / (top or 1)))
        parts.append(
            f'<path d="{commune["path"]}" fill="{SHADES[shade]}" stroke="#374151"'
            f' stroke-width="1"><title>{escape(commune["name"])} : {count}</title></path>'
        )
    for commune in shapes["communes"]:
        count = counts.get(commune["insee"], 0)
        dark = count and int(3 * count / (top or 1)) >= 2
        colour = "#ffffff" if dark else INK
        parts.append(
            _text(
                commune["x"],
                commune["y"] + 8,
                fmt(count),
                anchor="middle",
                weight="bold",
                size=26,
                colour=colour,
            )
        )
    return _svg(uid, label, shapes["width"], shapes["height"], "".join(parts))
