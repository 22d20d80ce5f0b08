"""The monthly time series and the commune map: what a reader (and a keyboard) gets."""

import datetime
import re
from decimal import Decimal

from reports import geo, mapchart, timeseries


def _months(n=12):
    months = []
    for index in range(n):
        month = datetime.date(2026 + index // 12, index % 12 + 1, 1)
        months.append(
            {
                "month": month,
                "individual_meetings": index,
                "collective_meetings": 1 if index == 2 else 0,
                "individual_hours": Decimal(index) * Decimal("1.5"),
                "collective_hours": Decimal(2) if index == 2 else Decimal(0),
            }
        )
    return months


def test_each_month_is_a_tab_stop_named_by_its_values():
    svg = timeseries.monthly_chart("c", "Heures", _months())
    assert svg.count('tabindex="0"') == 12
    labels = re.findall(r'class="chart-point" tabindex="0" role="img" aria-label="([^"]+)"', svg)
    assert labels[2].startswith("mars 2026")
    assert "Individuel : 3 h, 2 rdv" in labels[2]
    assert "Collectif : 2 h, 1 rdv" in labels[2]
    # Its value box is drawn, hidden until hover or focus (by the stylesheet).
    assert svg.count('class="chart-tip"') == 12
    # No placeholder list: an empty month is a column of zero on the axis.
    assert "aucun rendez-vous" not in svg


def test_a_long_period_labels_one_month_in_a_few():
    svg = timeseries.monthly_chart("c", "Heures", _months(36))
    assert svg.count('tabindex="0"') == 36
    assert len(re.findall(r">jan<", svg)) == 3


def test_axis_tops_are_round():
    assert timeseries.nice_top(37) == (40, 10)
    assert timeseries.nice_top(0) == (4.0, 1.0)


def test_polylabel_places_the_label_inside_a_concave_commune():
    # A U shape: its bounding-box centre (5, 5) is outside, in the notch.
    u_shape = [[(0, 0), (10, 0), (10, 10), (7, 10), (7, 3), (3, 3), (3, 10), (0, 10), (0, 0)]]
    x, y, room = geo.polylabel(u_shape, precision=0.1)
    assert geo._signed_distance(x, y, u_shape) > 0
    assert room > 1
    assert not (3 < x < 7 and y > 3)


def test_the_map_names_each_commune_inside_it_with_a_legend():
    territory = [
        {
            "insee_code": "94028",
            "name": "Créteil",
            "boundary": {
                "type": "Polygon",
                "coordinates": [[[2.40, 48.76], [2.50, 48.76], [2.50, 48.80], [2.40, 48.80]]],
            },
            "boundary_source": "IGN",
        },
        {
            "insee_code": "94044",
            "name": "Limeil-Brévannes",
            "boundary": {
                "type": "Polygon",
                "coordinates": [[[2.50, 48.72], [2.56, 48.72], [2.56, 48.76], [2.50, 48.76]]],
            },
            "boundary_source": "IGN",
        },
    ]
    shapes = geo.commune_shapes(territory)
    svg = mapchart.commune_map("m", "Carte", shapes, {"94028": 7})
    assert ">Créteil<" in svg
    # A long name breaks after its hyphen.
    assert ">Limeil-<" in svg and ">Brévannes<" in svg
    assert ">Projets suivis<" in svg and ">aucun<" in svg
    # Every class has its own pattern, not only its own colour.
    assert 'fill="url(#m-c' in svg
    for commune in shapes["communes"]:
        assert commune["room"] > 0
