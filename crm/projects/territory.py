"""The territory as data: its communes (INSEE code, name, postal code) and their outlines.

The repository ships GPSEA's 16 communes (data/territories/gpsea/: a CSV and the IGN
Admin Express outlines as GeoJSON), loaded on the first migrate. Another body loads its own
with `manage.py load_territory --communes FILE.csv --geojson FILE.geojson`, which replaces
the territory's communes: the dashboard's map and every commune list (forms, filters,
imports) read the Commune table.

CSV: a header line, then one commune a line; columns `insee_code` (or `code_insee`),
`name` (or `nom`), `postal_code` (or `code_postal`, several allowed, separated by spaces or
`;`: the first is kept as the main one). Comma or semicolon separated, UTF-8.
GeoJSON: a FeatureCollection whose features have `properties.code` (or `insee_code`,
`code_insee`) and a Polygon or MultiPolygon in WGS84 longitude/latitude; an optional
top-level `attribution` names the source, credited under the map."""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

TERRITORIES = Path(__file__).parent / "data" / "territories"
DEFAULT_COMMUNES = TERRITORIES / "gpsea" / "communes.csv"
DEFAULT_BOUNDARIES = TERRITORIES / "gpsea" / "boundaries.geojson"

INSEE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
POSTAL_CODE = re.compile(r"\d{5}")
COLUMNS = {
    "insee_code": ("insee_code", "code_insee", "insee", "code"),
    "name": ("name", "nom", "nom_commune"),
    "postal_code": ("postal_code", "postal_codes", "code_postal", "codes_postaux"),
}
FEATURE_CODE_KEYS = ("code", "insee_code", "code_insee")


class TerritoryError(ValueError):
    """A territory file that cannot be loaded; the message names the file and the line."""


@dataclass(frozen=True)
class TerritoryCommune:
    insee_code: str
    name: str
    postal_code: str


def _column(header: list[str], field: str, path: Path) -> int:
    folded = [name.strip().lower() for name in header]
    for alias in COLUMNS[field]:
        if alias in folded:
            return folded.index(alias)
    raise TerritoryError(f"{path.name}: no {field} column (one of: {', '.join(COLUMNS[field])}).")


def read_communes(path: Path) -> list[TerritoryCommune]:
    text = Path(path).read_text(encoding="utf-8-sig")
    delimiter = (
        ";" if text.partition("\n")[0].count(";") > text.partition("\n")[0].count(",") else ","
    )
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    if not rows:
        raise TerritoryError(f"{path.name}: the file is empty.")
    header, *lines = rows
    code_at, name_at, postal_at = (_column(header, f, path) for f in COLUMNS)
    communes, codes, names = [], set(), set()
    for number, row in enumerate(lines, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            code, name, postal = (row[i].strip() for i in (code_at, name_at, postal_at))
        except IndexError:
            raise TerritoryError(f"{path.name}, line {number}: missing columns.") from None
        postal_codes = [p for p in re.split(r"[\s;,|/]+", postal) if p]
        if not INSEE_CODE.fullmatch(code):
            raise TerritoryError(f"{path.name}, line {number}: {code!r} is no INSEE code.")
        if not name or len(name) > 100:
            raise TerritoryError(f"{path.name}, line {number}: a name of 1 to 100 characters.")
        if not all(POSTAL_CODE.fullmatch(p) for p in postal_codes):
            raise TerritoryError(
                f"{path.name}, line {number}: {postal!r}: postal codes of 5 digits."
            )
        if code in codes or name.lower() in names:
            raise TerritoryError(f"{path.name}, line {number}: {code} {name} is listed twice.")
        codes.add(code)
        names.add(name.lower())
        communes.append(TerritoryCommune(code, name, postal_codes[0] if postal_codes else ""))
    if not communes:
        raise TerritoryError(f"{path.name}: no commune listed.")
    return communes


def _check_ring(ring, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise TerritoryError(f"{where}: a ring needs at least 4 positions.")
    for point in ring:
        if not (
            isinstance(point, list)
            and len(point) >= 2
            and all(isinstance(v, int | float) for v in point[:2])
            and -180 <= point[0] <= 180
            and -90 <= point[1] <= 90
        ):
            raise TerritoryError(f"{where}: {point!r} is no longitude/latitude position.")


def _check_geometry(geometry, where: str) -> dict:
    kind = (geometry or {}).get("type")
    coordinates = (geometry or {}).get("coordinates")
    if kind == "Polygon" and isinstance(coordinates, list) and coordinates:
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list) and coordinates:
        polygons = coordinates
    else:
        raise TerritoryError(f"{where}: the geometry must be a Polygon or a MultiPolygon.")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise TerritoryError(f"{where}: an empty polygon.")
        for ring in polygon:
            _check_ring(ring, where)
    return {"type": kind, "coordinates": coordinates}


def read_boundaries(path: Path) -> tuple[dict[str, dict], str]:
    """({INSEE code: geometry}, attribution) from a GeoJSON FeatureCollection."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        raise TerritoryError(f"{path.name}: not JSON ({error}).") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise TerritoryError(f"{path.name}: a GeoJSON FeatureCollection is expected.")
    boundaries = {}
    for number, feature in enumerate(data.get("features") or [], start=1):
        properties = (feature or {}).get("properties") or {}
        code = next((str(properties[k]) for k in FEATURE_CODE_KEYS if k in properties), "")
        where = f"{path.name}, feature {number} ({code or 'no code'})"
        if not INSEE_CODE.fullmatch(code):
            raise TerritoryError(f"{where}: properties.code must be the INSEE code.")
        if code in boundaries:
            raise TerritoryError(f"{where}: this commune has two features.")
        boundaries[code] = _check_geometry(feature.get("geometry"), where)
    attribution = str(data.get("attribution") or "")[:200]
    return boundaries, attribution


def _registry(apps):
    if apps is None:
        from django.apps import apps
    return apps


def territory_load(*, communes_csv: Path, geojson: Path, apps=None) -> dict[str, int]:
    """Make the communes of `communes_csv`, with their outlines from `geojson`, the territory.

    Both files are read and checked before anything is written, and the change is one
    transaction. A commune of the old territory that no project, person or organisation
    names is deleted; one still named is kept, outside the territory (its records keep it).
    Returns how many communes were created, updated, kept outside and deleted."""
    communes = read_communes(Path(communes_csv))
    boundaries, attribution = read_boundaries(Path(geojson))
    codes = {c.insee_code for c in communes}
    missing = sorted(codes - set(boundaries))
    extra = sorted(set(boundaries) - codes)
    if missing or extra:
        raise TerritoryError(
            f"{Path(geojson).name} and {Path(communes_csv).name} differ: "
            + "; ".join(
                part
                for part in (
                    missing and f"no outline for {', '.join(missing)}",
                    extra and f"outlines of communes not listed: {', '.join(extra)}",
                )
                if part
            )
        )
    Commune = _registry(apps).get_model("crm", "Commune")
    counts = {"created": 0, "updated": 0, "kept_outside": 0, "deleted": 0}
    with transaction.atomic():
        leaving = Commune.objects.filter(in_territory=True).exclude(insee_code__in=codes)
        for commune in leaving:
            try:
                with transaction.atomic():
                    commune.delete()
                counts["deleted"] += 1
            except ProtectedError:
                commune.in_territory = False
                commune.boundary = None
                commune.boundary_source = ""
                commune.save(update_fields=["in_territory", "boundary", "boundary_source"])
                counts["kept_outside"] += 1
        for item in communes:
            clash = (
                Commune.objects.filter(name__iexact=item.name)
                .exclude(insee_code=item.insee_code)
                .first()
            )
            if clash is not None:
                raise TerritoryError(
                    f"{item.insee_code} {item.name}: the name is already that of another "
                    f"commune ({clash.insee_code or clash.name})."
                )
            _commune, created = Commune.objects.update_or_create(
                insee_code=item.insee_code,
                defaults={
                    "name": item.name,
                    "postal_code": item.postal_code,
                    "in_territory": True,
                    "boundary": boundaries[item.insee_code],
                    "boundary_source": attribution,
                },
            )
            counts["created" if created else "updated"] += 1
    return counts
