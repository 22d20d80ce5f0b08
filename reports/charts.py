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

WIDTH = 360
INK = "#1f2937"
MUTED = "#4b5563"
SERIES = ("#1d4ed8", "#b45309", "#047857")
# A row: its label on the left (wrapped), its bars on the right, each value after its bar.
LABEL_WIDTH = 134
LABEL_CHARS = 19
LABEL_LINES = 3
LINE = 15
BAR = 12
BAR_GAP = 3
GAP = 9
BARS_X = LABEL_WIDTH + 6
VALUE_ROOM = 90
FONT = 13


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


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > LABEL_LINES:
        lines = [
            *lines[: LABEL_LINES - 1],
            textwrap.shorten(" ".join(lines[LABEL_LINES - 1 :]), LABEL_CHARS, placeholder="…"),
        ]
    return lines


def legend(uid: str, series: list[str], y: float = 4) -> tuple[list[str], float]:
    """Swatches of the series (colour and pattern) with their names; the parts and the y
    below them."""
    parts, x = [], 0
    for index, name in enumerate(series):
        # About 7.5 units a character at 13 units, plus the swatch.
        room = 30 + int(len(name) * 7.5)
        if x and x + room > WIDTH:
            x, y = 0, y + 20
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{_fill(uid, index)}"'
            f' stroke="{INK}" stroke-width="0.5"/>'
        )
        parts.append(_text(x + 19, y + 11.5, name, size=FONT))
        x += room
    return parts, y + 24


def bars(
    uid: str,
    label: str,
    rows: list[dict],
    series: list[str],
    *,
    suffix: str = "",
    maximum=None,
) -> str:
    """Horizontal bars, one row per {"label", "values": [...], "texts": [...]?}: the label
    on the left (wrapped), one bar per series on the right with its value written after
    it. The full label and the values are also the row's tooltip (<title>)."""
    values = [v or 0 for row in rows for v in row["values"]]
    top = maximum if maximum is not None else max(values, default=0)
    top = float(top) or 1.0
    # Room after the bars for the longest value written (about 7 units a character).
    longest = max(
        (
            len(t)
            for row in rows
            for t in (row.get("texts") or [_value_text(v, suffix) for v in row["values"]])
        ),
        default=0,
    )
    span = WIDTH - BARS_X - min(max(VALUE_ROOM, longest * 7 + 8), 200)
    parts, y = [], 2
    if len(series) > 1:
        legend_parts, y = legend(uid, series)
        parts += legend_parts
    for row in rows:
        lines = _label_lines(str(row["label"]))
        texts = row.get("texts") or [_value_text(v, suffix) for v in row["values"]]
        height = max(len(lines) * LINE, len(row["values"]) * (BAR + BAR_GAP) - BAR_GAP)
        tip = f"{row['label']} : " + ", ".join(
            f"{name} {text}" if len(series) > 1 else text
            for name, text in zip(series, texts, strict=False)
        )
        parts.append(f"<g><title>{escape(tip)}</title>")
        for number, line in enumerate(lines):
            parts.append(_text(0, y + 11 + number * LINE, line, weight="bold", size=FONT))
        bar_y = y + (height - len(row["values"]) * (BAR + BAR_GAP) + BAR_GAP) / 2
        for index, value in enumerate(row["values"]):
            width = max(float(value or 0) / top * span, 0)
            if value:
                width = max(width, 2)
            parts.append(
                f'<rect x="{BARS_X}" y="{bar_y:.1f}" width="{width:.1f}" height="{BAR}"'
                f' fill="{_fill(uid, index)}" stroke="{INK}" stroke-width="0.5"/>'
            )
            parts.append(_text(BARS_X + width + 4, bar_y + 10.5, texts[index], size=FONT))
            bar_y += BAR + BAR_GAP
        parts.append("</g>")
        y += height + GAP
    return _svg(uid, label, WIDTH, y, "".join(parts))


def _svg(uid: str, label: str, width, height, body: str) -> str:
    return mark_safe(
        f'<svg class="chart-svg" id="{uid}" role="img" aria-label="{escape(label)}"'
        f' viewBox="0 0 {width} {height:.0f}" xmlns="http://www.w3.org/2000/svg"'
        f' preserveAspectRatio="xMinYMin meet">{_defs(uid)}{body}</svg>'
    )
