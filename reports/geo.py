"""The map of the territory: its communes' outlines (Commune.boundary, loaded with the
territory: crm.projects.territory), projected to SVG paths."""

import heapq
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
        polygon = _largest_polygon(feature["boundary"], project)
        x, y, room = polylabel(polygon)
        communes.append(
            {
                "insee": feature["insee_code"],
                "name": feature["name"],
                "path": "".join(parts),
                # The label's place: the point of the commune's largest part farthest from
                # its edges (pole of inaccessibility), and that distance, which sizes it.
                "x": round(x, 1),
                "y": round(y, 1),
                "room": round(room, 1),
            }
        )
    communes.sort(key=lambda c: c["name"])
    return {"width": WIDTH, "height": height, "communes": communes}


def _largest_polygon(geometry, project) -> list[list[tuple[float, float]]]:
    """The rings (outer first) of the geometry's largest polygon, projected."""
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else list(geometry["coordinates"])
    )
    projected = [[[project(p) for p in ring] for ring in polygon] for polygon in polygons]
    return max(projected, key=lambda rings: abs(_area(rings[0])))


def _area(ring) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _signed_distance(x: float, y: float, rings) -> float:
    """Distance from (x, y) to the polygon's outline: positive inside, negative outside."""
    inside = False
    best = math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if not length else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length))
            px, py = ax + t * dx - x, ay + t * dy - y
            best = min(best, px * px + py * py)
    return (1 if inside else -1) * math.sqrt(best)


def polylabel(rings, precision: float = 1.0) -> tuple[float, float, float]:
    """The pole of inaccessibility of a polygon (Mapbox's polylabel): the inner point
    farthest from the outline, found by subdividing square cells best-first; returns x, y
    and that distance. `rings`: the outer ring then the holes, as (x, y) points."""
    outer = rings[0]
    xs = [p[0] for p in outer]
    ys = [p[1] for p in outer]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    if size <= 0:
        return min_x, min_y, 0.0

    def cell(x, y, half):
        distance = _signed_distance(x, y, rings)
        # The best distance any point of the cell could reach.
        return (-(distance + half * math.sqrt(2)), distance, x, y, half)

    # The centroid of the outer ring is a good first guess.
    area = _area(outer)
    if area:
        cx = sum(
            (x1 + x2) * (x1 * y2 - x2 * y1)
            for (x1, y1), (x2, y2) in zip(outer, outer[1:] + outer[:1], strict=True)
        ) / (6 * area)
        cy = sum(
            (y1 + y2) * (x1 * y2 - x2 * y1)
            for (x1, y1), (x2, y2) in zip(outer, outer[1:] + outer[:1], strict=True)
        ) / (6 * area)
    else:
        cx, cy = xs[0], ys[0]
    best = cell(cx, cy, 0)
    box = cell(min_x + (max_x - min_x) / 2, min_y + (max_y - min_y) / 2, 0)
    if box[1] > best[1]:
        best = box
    half = size / 2
    queue = []
    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            heapq.heappush(queue, cell(x + half, y + half, half))
            y += size
        x += size
    while queue:
        candidate = heapq.heappop(queue)
        if candidate[1] > best[1]:
            best = candidate
        if -candidate[0] - best[1] <= precision:
            continue
        half = candidate[4] / 2
        for dx in (-half, half):
            for dy in (-half, half):
                heapq.heappush(queue, cell(candidate[2] + dx, candidate[3] + dy, half))
    return best[2], best[3], best[1]
