"""The map of the territory: the 16 communes' boundaries, projected once to SVG paths.

Source: IGN Admin Express 2018 (Licence Ouverte), simplified, in crm/projects/data."""

import json
import math
from functools import lru_cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parents[1] / "crm/projects/data/communes-gpsea.geojson"
CREDIT = "IGN Admin Express 2018, Licence Ouverte"
WIDTH = 600


def _rings(geometry) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@lru_cache(maxsize=1)
def commune_shapes() -> dict:
    """{"width", "height", "communes": [{"insee", "name", "path", "x", "y"}]}: the lon/lat
    polygons projected (equirectangular, scaled by cos(latitude)) into a WIDTH-wide box.
    Read and projected once per process."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    points = [
        point
        for feature in data["features"]
        for ring in _rings(feature["geometry"])
        for point in ring
    ]
    lon_min = min(p[0] for p in points)
    lon_max = max(p[0] for p in points)
    lat_min = min(p[1] for p in points)
    lat_max = max(p[1] for p in points)
    shrink = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = (WIDTH - 20) / ((lon_max - lon_min) * shrink)
    height = round((lat_max - lat_min) * scale) + 20

    def project(point):
        x = 10 + (point[0] - lon_min) * shrink * scale
        y = 10 + (lat_max - point[1]) * scale
        return x, y

    communes = []
    for feature in data["features"]:
        parts, xs, ys = [], [], []
        for ring in _rings(feature["geometry"]):
            projected = [project(p) for p in ring]
            xs += [x for x, _y in projected]
            ys += [y for _x, y in projected]
            head, *tail = projected
            parts.append(
                f"M{head[0]:.1f},{head[1]:.1f}"
                + "".join(f"L{x:.1f},{y:.1f}" for x, y in tail)
                + "Z"
            )
        communes.append(
            {
                "insee": feature["properties"]["code"],
                "name": feature["properties"]["nom"],
                "path": "".join(parts),
                # Label at the centre of the bounding box: good enough for compact communes.
                "x": round((min(xs) + max(xs)) / 2, 1),
                "y": round((min(ys) + max(ys)) / 2, 1),
            }
        )
    communes.sort(key=lambda c: c["name"])
    return {"width": WIDTH, "height": height, "communes": communes}
