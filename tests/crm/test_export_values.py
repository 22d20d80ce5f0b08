"""The project export read as tuples (crm.core.export_values) writes exactly what the
model-instance path writes, in both languages and every format, with the same queries."""

import io
import zipfile

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.core.export_values import plan
from crm.core.exports import export_columns
from crm.models import Project
from crm.projects.tables import ProjectTable
from tests.factories import PersonFactory, ProjectFactory

URL = reverse("crm:project-list")
# The parts of each format that hold the cells (an XLSX also stamps its creation time).
CELLS = {"xlsx": "xl/worksheets/sheet1.xml", "ods": "content.xml"}


def export(client, fmt: str, **params) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"export": fmt, **params})
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt in CELLS:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = archive.read(CELLS[fmt])
    return body, len(queries.captured_queries)


@pytest.fixture
def varied_projects(coach, other_coach):
    """Projects with every kind of cell: choice labels, no coach, no commune, no lead, a
    formula-like name, a name with control characters, two projects whose cells are the
    same."""
    ProjectFactory(name="Recyclerie de Créteil", stage="launch", status="active", coach=coach)
    ProjectFactory(name="Épicerie solidaire", stage="idea", coach=other_coach)
    ProjectFactory(name="Sans accompagnateur", coach=None, commune=None)
    ProjectFactory(name='=HYPERLINK("x")', lead=PersonFactory(first_name="@cmd", last_name="Z"))
    ProjectFactory(name="Retour\x0bà la ligne\nsuite", stage="consolidation")
    twins = {"name": "Jumeaux", "coach": coach, "stage": "idea", "status": "active"}
    ProjectFactory(**twins)
    ProjectFactory(**twins)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_both_paths_write_the_same_cells(
    client, officer, varied_projects, monkeypatch, fmt, language
):
    client.force_login(officer)
    if language == "en":
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    export(client, fmt)  # once first: per-process caches (branding, content types) filled
    fast, fast_queries = export(client, fmt)
    monkeypatch.setattr(ProjectTable, "export_from_values", False)
    slow, slow_queries = export(client, fmt)
    assert fast == slow
    assert fast_queries == slow_queries
    if fmt == "csv":
        text = fast.decode("utf-8-sig")
        assert ("Lancement" if language == "fr" else "Launch") in text
        assert text.count("Jumeaux") == 2


@pytest.mark.django_db
def test_both_paths_agree_on_a_filtered_sorted_list_seen_by_a_coach(
    client, coach, varied_projects, monkeypatch
):
    client.force_login(coach)
    params = {"sort": "-commune", "status": "active"}
    fast, _ = export(client, "csv", **params)
    monkeypatch.setattr(ProjectTable, "export_from_values", False)
    slow, _ = export(client, "csv", **params)
    assert fast == slow
    assert "Épicerie" not in fast.decode("utf-8-sig")  # another coach's project


@pytest.mark.django_db
def test_a_table_with_a_computed_column_keeps_the_instance_path():
    class WithComputed(ProjectTable):
        def value_name(self, record, value):
            return value.upper()

    queryset = Project.objects.annotate(lead_name=Value(""))
    table = WithComputed(queryset)
    assert plan(table, queryset, export_columns(table)) is None
    plain = ProjectTable(queryset)
    assert plan(plain, queryset, export_columns(plain)) is not None
