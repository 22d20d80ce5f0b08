"""Any territory: `load_territory` replaces the communes and their outlines, and the
dashboard's map and the commune lists follow (crm.projects.territory)."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from crm.models import Commune
from crm.projects.reference import load_reference_data
from crm.projects.territory import TerritoryError, read_boundaries, read_communes
from tests.factories import ProjectFactory, commune

THREE = Path(__file__).parent / "data" / "territory_three"
THREE_NAMES = ["Chenôve", "Dijon", "Talant"]


def load_three():
    call_command(
        "load_territory",
        communes=str(THREE / "communes.csv"),
        geojson=str(THREE / "boundaries.geojson"),
    )


def map_titles(page: str) -> list[str]:
    """The communes drawn on the dashboard's map (each path's tooltip: "Name : count")."""
    svg = page[page.index('id="chart-communes"') :]
    svg = svg[: svg.index("</svg>")]
    titles = re.findall(r"<title>([^<]+)</title>", svg)
    return [re.sub(r" : \d+$", "", title) for title in titles]


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


@pytest.mark.django_db
def test_the_default_territory_is_gpsea_with_its_outlines(client, officer):
    communes = Commune.objects.filter(in_territory=True)
    assert communes.count() == 16
    assert not communes.filter(boundary__isnull=True).exists()
    client.force_login(officer)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert len(map_titles(page)) == 16 and "Créteil" in map_titles(page)
    assert "IGN Admin Express 2018, Licence Ouverte" in page


@pytest.mark.django_db
def test_loading_another_territory_replaces_the_communes_everywhere(client, officer, coach):
    ProjectFactory(commune=commune("Créteil"), coach=coach, officer=officer)
    load_three()
    assert sorted(Commune.objects.filter(in_territory=True).values_list("name", flat=True)) == (
        THREE_NAMES
    )
    dijon = Commune.objects.get(insee_code="21231")
    assert (dijon.postal_code, dijon.boundary["type"]) == ("21000", "MultiPolygon")
    # Créteil still names a project: kept, outside the territory; the other 15 are gone.
    assert list(Commune.objects.filter(in_territory=False).values_list("name", flat=True)) == [
        "Créteil",
        "Hors territoire",
    ]
    assert not Commune.objects.filter(name="Alfortville").exists()

    client.force_login(officer)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert sorted(map_titles(page)) == THREE_NAMES
    assert "Carrés dessinés à la main pour les tests" in page
    assert "IGN Admin Express" not in page
    # The project list's filter and the creation form offer the new communes first.
    listed = options(client.get(reverse("crm:project-list")).content.decode(), "commune")
    assert listed[1:4] == THREE_NAMES
    form = options(client.get(reverse("crm:project-create")).content.decode(), "commune")
    assert [name for name in form if name in THREE_NAMES] == THREE_NAMES
    assert "Alfortville" not in form

    # Seeding again (seed_demo, the tests' reference data) leaves the loaded territory alone.
    load_reference_data()
    assert Commune.objects.filter(in_territory=True).count() == 3


@pytest.mark.django_db
def test_mismatched_files_change_nothing(tmp_path):
    communes = tmp_path / "communes.csv"
    communes.write_text("insee_code,name,postal_code\n21231,Dijon,21000\n94028,Créteil,94000\n")
    with pytest.raises(CommandError, match="no outline for 94028"):
        call_command(
            "load_territory", communes=str(communes), geojson=str(THREE / "boundaries.geojson")
        )
    assert Commune.objects.filter(in_territory=True).count() == 16


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("insee_code,name,postal_code\n123,Nulle,21000\n", "no INSEE code"),
        ("insee_code,name,postal_code\n21231,Dijon,210\n", "postal codes of 5 digits"),
        ("insee_code,name,postal_code\n21231,Dijon,\n21231,Dijon,\n", "listed twice"),
        ("code,name\n21231,Dijon\n", "no postal_code column"),
        ("insee_code,name,postal_code\n", "no commune listed"),
    ],
)
def test_a_bad_communes_file_is_refused_naming_the_line(tmp_path, content, message):
    path = tmp_path / "communes.csv"
    path.write_text(content)
    with pytest.raises(TerritoryError, match=message):
        read_communes(path)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [5, 47]}, "Polygon or a MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[5, 47], [6, 47], [5, 47]]]}, "at least 4"),
        ({"type": "Polygon", "coordinates": [[[500, 47]] * 4]}, "longitude/latitude"),
    ],
)
def test_a_bad_outline_is_refused(tmp_path, geometry, message):
    path = tmp_path / "b.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        f'"properties": {{"code": "21231"}}, "geometry": {__import__("json").dumps(geometry)}}}]}}'
    )
    with pytest.raises(TerritoryError, match=message):
        read_boundaries(path)
