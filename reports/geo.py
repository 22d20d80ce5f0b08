"""The map of the territory: its communes' outlines (Commune.boundary, loaded with the
territory: crm.projects.territory), projected to SVG paths."""

import math

WIDTH = 600


def _rings(geometry) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def credit(territory: list[dict]) -> str:
    """Whom to credit for the outlines drawn (each commune's `boundary_source`)."""
    return ", ".join(sorted({c["boundary_source"] for c in territory if c["boundary_source"]}))


def commune_shapes(territory: list[dict]) -> dict | None:
    """{"width", "height", "communes": [{"insee", "name", "path", "x", "y"}]}: the lon/lat
    polygons of `territory` (rows of Commune: insee_code, name, boundary) projected
    (equirectangular, scaled by cos(latitude)) into a WIDTH-wide box; None when no commune
    has an outline. A few milliseconds for GPSEA's 16 communes."""
    features = [c for c in territory if c.get("boundary")]
    points = [
        point for feature in features for ring in _rings(feature["boundary"]) for point in ring
    ]
    if not points:
        return None
    lon_min = min(p[0] for p in points)
    lon_max = max(p[0] for p in points)
    lat_min = min(p[1] for p in points)
    lat_max = max(p[1] for p in points)
    shrink = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = (WIDTH - 20) / max((lon_max - lon_min) * shrink, 1e-9)
    height = round((lat_max - lat_min) * scale) + 20

    def project(point):
        x = 10 + (point[0] - lon_min) * shrink * scale
        y = 10 + (lat_max - point[1]) * scale
        return x, y

    communes = []
    for feature in features:
        parts, xs, ys = [], [], []
        for ring in _rings(feature["boundary"]):
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
                "insee": feature["insee_code"],
                "name": feature["name"],
                "path": "".join(parts),
                # Label at the centre of the bounding box: good enough for compact communes.
                "x": round((min(xs) + max(xs)) / 2, 1),
                "y": round((min(ys) + max(ys)) / 2, 1),
            }
        )
    communes.sort(key=lambda c: c["name"])
    return {"width": WIDTH, "height": height, "communes": communes}
