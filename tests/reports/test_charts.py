"""The SVG charts: what a reader sees in them."""

import re
from html import unescape

from reports import charts


def test_a_long_label_wraps_instead_of_running_off_the_chart():
    label = "Demandeur·se d'emploi de longue durée inscrit·e depuis plus d'un an"
    svg = charts.bars("c", "Situations", [{"label": label, "values": [3]}], ["Nombre"])
    lines = [unescape(line) for line in re.findall(r'font-weight="bold">([^<]+)</text>', svg)]
    assert len(lines) >= 2
    assert all(len(line) <= charts.LABEL_CHARS for line in lines)
    assert " ".join(lines) == label
