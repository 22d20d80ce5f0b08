"""The SVG charts: what a reader sees in them."""

import re
from decimal import Decimal
from html import unescape

from reports import charts
from reports.sections.custom import COACH_BARS, _coach_bars


def test_a_long_label_wraps_instead_of_running_off_the_chart():
    label = "Demandeur·se d'emploi de longue durée inscrit·e depuis plus d'un an"
    svg = charts.bars("c", "Situations", [{"label": label, "values": [3]}], ["Nombre"])
    lines = [unescape(line) for line in re.findall(r'font-weight="bold">([^<]+)</text>', svg)]
    assert 2 <= len(lines) <= charts.LABEL_LINES
    assert all(len(line) <= charts.LABEL_CHARS for line in lines)
    # Past three lines it is shortened; the whole label is the row's tooltip.
    assert label.startswith(" ".join(lines).rstrip("…"))
    assert f"<title>{label.replace(chr(39), '&#x27;')} : 3</title>" in svg


def test_coach_chart_keeps_the_busiest_coaches_and_sums_the_others():
    # name, projects, allocated, used, used in period: coach n used n hours.
    rows = [[f"Coach {n}", 1, Decimal(20), Decimal(n), Decimal(0)] for n in range(1, 16)]
    bars = _coach_bars(rows)
    assert len(bars) == COACH_BARS + 1
    assert [bar["label"] for bar in bars[:2]] == ["Coach 15", "Coach 14"]
    # Coaches 1, 2 and 3 share the last bar: 60 h allocated, 6 h used.
    assert bars[-1] == {"label": "Les 3 autres", "values": [Decimal(60), Decimal(6)]}
    assert len(_coach_bars(rows[:COACH_BARS])) == COACH_BARS
