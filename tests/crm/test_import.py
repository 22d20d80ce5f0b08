"""Importing the office's legacy spreadsheet (shared sample) and French values."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from contacts.models import Organisation, Person
from crm.importing import values
from crm.importing.reading import read_upload
from crm.importing.runner import refused_rows_csv, run_import
from crm.models import Project, ProjectMeasure, StageChange

SAMPLE = Path(__file__).parent / "data" / "suivi-porteurs-2024.csv"


def sample_table():
    return read_upload(SAMPLE.name, SAMPLE.read_bytes())


def import_file(table, officer, **kwargs):
    return run_import(kind="projects", table=table, by=officer, dry_run=False, **kwargs)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("08/11/2024", datetime.date(2024, 11, 8)),
        ("8/11/24", datetime.date(2024, 11, 8)),
        ("2024-11-08", datetime.date(2024, 11, 8)),
        ("", None),
    ],
)
def test_french_dates(typed, expected):
    assert values.parse_date(typed) == expected


def test_impossible_date_is_named():
    with pytest.raises(ValidationError, match="date impossible : « 31/02/2023 »"):
        values.parse_date("31/02/2023")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("1 500,00 €", Decimal("1500.00")),
        ("3 000", Decimal("3000")),
        ("1.500,50", Decimal("1500.50")),
        ("750,5", Decimal("750.5")),
        ("2500", Decimal("2500")),
    ],
)
def test_french_amounts(typed, expected):
    assert values.parse_decimal(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("oui", True), ("OUI", True), ("x", True), ("1", True), ("NON", False), ("0", False)],
)
def test_yes_no(typed, expected):
    assert values.parse_bool(typed) is expected


@pytest.mark.parametrize(
    ("typed", "stage"),
    [
        ("Idée", "idea"),
        ("idee", "idea"),
        ("faisabilite", "feasibility"),
        ("Changement d'échelle", "scale_up"),
        ("LANCEMENT", "launch"),
    ],
)
def test_stage_names_with_or_without_accents(typed, stage):
    assert values.parse_stage(typed) == stage


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("CRETEIL", "Créteil"),
        ("Noiseau ", "Noiseau"),
        ("Boissy-St-Léger", "Boissy-Saint-Léger"),
        ("boissy saint leger", "Boissy-Saint-Léger"),
        ("Plessis-Trévise", "Le Plessis-Trévise"),
        ("94028", "Créteil"),
    ],
)
def test_commune_names_are_recognised_however_typed(typed, name):
    assert values.CommuneIndex().find(typed).name == name


@pytest.mark.django_db
def test_unknown_commune_suggests_the_closest():
    with pytest.raises(ValidationError, match="vouliez-vous dire : Créteil"):
        values.CommuneIndex().find("Créteuil")


@pytest.mark.django_db
def test_sample_imports_with_its_expected_counts_and_refusals(officer):
    report = import_file(sample_table(), officer)
    assert (report.new, report.updated, report.unchanged, report.refused) == (46, 0, 0, 14)
    # Rows as the spreadsheet numbers them: cells with line breaks above them are one row.
    errors = {(e.line, e.column): e.message for e in report.errors}
    assert errors[(13, "SIRET")] == "Ce SIRET n'est pas valide (clé de contrôle incorrecte)."
    assert errors[(26, "Date d'entrée")] == "date impossible : « 31/02/2023 »"
    assert errors[(39, "Commune")].startswith("commune inconnue : « Paris 11e »")
    assert "sans accents : « nadege.petit4@exemple.fr »" in errors[(6, "Email")]
    assert (51, "Email") in errors  # "pas-un-email"
    # One row created the project, its lead and its organisation together.
    project = Project.objects.get(name="Compostage Dubois 1")
    lead = project.members.get(is_lead=True).person
    assert (lead.email, lead.phone) == ("hugo.dubois1@exemple.fr", "+33612345678")
    assert project.organisation.siret == "13728360567128"
    assert project.commune.name == "Villecresnes" and project.stage == "launch"
    assert project.stage_changes.get().by == officer
    assert ProjectMeasure.objects.get(project=project).funds_grant == Decimal("2500")
    # "Montant subvention" is an award: the project won its entry year's call (26/04/2021),
    # an edition created for it; "0" awards nothing.
    award = project.call_applications.get()
    assert (award.call.year, award.decision, award.amount_awarded) == (2021, "winner", 2500)
    assert not Project.objects.get(
        name="Supermarché coopératif Traoré 0"
    ).call_applications.exists()
    # Upper-case names from the file are stored as names, e-mails lower-cased.
    traore = Person.objects.get(email="mehdi.traore0@exemple.fr")
    assert traore.last_name == "Traoré"


@pytest.mark.django_db
def test_importing_the_same_file_twice_creates_nothing(officer):
    import_file(sample_table(), officer)
    counts = (Project.objects.count(), Person.objects.count(), Organisation.objects.count())
    report = import_file(sample_table(), officer)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 46)
    assert counts == (Project.objects.count(), Person.objects.count(), Organisation.objects.count())


@pytest.mark.django_db
def test_preview_writes_nothing(officer):
    report = run_import(kind="projects", table=sample_table(), by=officer, dry_run=True)
    assert report.new == 46
    assert not Project.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_refused_rows_file_imports_once_corrected(officer):
    table = sample_table()
    report = import_file(table, officer)
    refused = refused_rows_csv(table, report).decode("utf-8-sig")
    assert refused.splitlines()[0].endswith(";Erreurs")
    # Formulas typed in the spreadsheet come back neutralised, not as formulas.
    assert ";'=1+1 (saisie Excel);" in refused
    corrected = (
        refused.replace("nadège", "nadege")
        .replace("inès", "ines")
        .replace("pas-un-email", "aissata.garnier47@exemple.fr")
        .replace("31/02/2023", "28/02/2023")
        .replace("Paris 11e", "Hors territoire")
        .replace("35367944378040", "")
        .replace("20026192994080", "")
    )
    again = read_upload("refused.csv", corrected.encode("utf-8-sig"))
    report = import_file(again, officer)
    assert (report.new, report.refused) == (14, 0), report.errors
    assert Project.objects.count() == 60
    # The neutralised formula is restored as the text the office typed.
    assert (
        Project.objects.get(name="Logistique dernier km Petit 4").summary == "=1+1 (saisie Excel)"
    )


@pytest.mark.django_db
def test_existing_records_are_kept_or_updated_as_the_officer_chooses(officer):
    import_file(sample_table(), officer)
    project = Project.objects.get(name="Compostage Dubois 1")
    row = "hugo.dubois1@exemple.fr;+33 6 12 34 56 78;Dubois & Co;SARL;13728360567128;"
    changed = (
        SAMPLE.read_bytes()
        .decode("cp1252")
        .replace(
            row + "Villecresnes;NON;Tourisme fluvial;Lancement",
            row + "Villecresnes;NON;Tourisme fluvial;Consolidation",
        )
    )
    table = read_upload("changed.csv", changed.encode("utf-8"))
    kept = import_file(table, officer, mode="keep")
    assert kept.updated == 0
    project.refresh_from_db()
    assert project.stage == "launch"
    updated = import_file(table, officer, mode="update")
    assert updated.updated == 1
    project.refresh_from_db()
    assert project.stage == "consolidation"
    # The stage change went through project_move: the history is complete.
    assert StageChange.objects.filter(project=project, to_stage="consolidation").exists()


@pytest.mark.django_db
def test_review_mode_updates_only_the_rows_the_officer_ticked(officer):
    import_file(sample_table(), officer)
    text = SAMPLE.read_bytes().decode("cp1252").replace(";Lancement;", ";Consolidation;")
    table = read_upload("changed.csv", text.encode("utf-8"))
    preview = run_import(kind="projects", table=table, by=officer, dry_run=True)
    assert preview.updated > 1
    first = preview.conflicts[0]
    report = import_file(table, officer, mode="review", update_lines=[first])
    assert report.updated == 1


def test_csv_in_utf8_with_commas_and_multiline_cells_is_read():
    data = (
        "\ufeffNom du projet,Commune,Observations\r\n"
        ",,\r\n"
        'Atelier vélo,Créteil,"deux\r\nlignes"\r\n'
    ).encode()
    table = read_upload("export.csv", data)
    assert table.delimiter == ","
    assert table.rows == [
        (
            3,
            {
                "Nom du projet": "Atelier vélo",
                "Commune": "Créteil",
                "Observations": "deux\r\nlignes",
            },
        )
    ]


def test_xlsx_and_ods_are_read(tmp_path):
    import tablib

    dataset = tablib.Dataset(headers=["Nom du projet", "Commune"])
    dataset.append(["Atelier vélo", "Créteil"])
    for fmt in ("xlsx", "ods"):
        table = read_upload(f"export.{fmt}", dataset.export(fmt))
        assert table.rows[0][1]["Nom du projet"] == "Atelier vélo"


def test_unsupported_file_is_refused_clearly():
    with pytest.raises(ValidationError, match="Format non pris en charge"):
        read_upload("notes.docx", b"PK")


@pytest.mark.django_db
def test_command_previews_then_imports(officer):
    out = io.StringIO()
    call_command("import_data", str(SAMPLE), kind="projects", dry_run=True, stdout=out)
    assert "Would import: 46 new, 0 updated, 0 unchanged, 14 refused" in out.getvalue()
    assert "line 26 [Date d'entrée]: date impossible" in out.getvalue()
    assert not Project.objects.exists()
    call_command("import_data", str(SAMPLE), kind="projects", user=officer.username, stdout=out)
    assert Project.objects.count() == 46
