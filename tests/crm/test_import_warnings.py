"""What the import preview points out without refusing (issue 21): a SIRET known under
another name, a new person who is probably someone already stored."""

import pytest

from contacts.models import Organisation, Person
from crm.importing.reading import read_upload
from crm.importing.runner import ImportReport, run_import
from tests.factories import OrganisationFactory, PersonFactory, commune


def table(text):
    return read_upload("fichier.csv", text.encode("cp1252"))


@pytest.mark.django_db
def test_a_siret_known_under_another_name_is_a_warning_with_its_before_after(officer):
    OrganisationFactory(name="Vélo Solidaire", siret="73282932000074")
    text = (
        "Structure;SIRET;Commune\r\n"
        "Atelier Vélo du Mont;732 829 320 00074;Créteil\r\n"
        "VELO SOLIDAIRE;73282932000074;Créteil\r\n"
    )
    report = run_import(kind="organisations", table=table(text), by=officer, dry_run=True)
    [warning] = report.warnings
    assert (warning.line, warning.column) == (2, "Structure")
    assert "« Vélo Solidaire »" in warning.message and "« Atelier Vélo du Mont »" in warning.message
    [update] = [s for s in report.samples if s["line"] == 2]
    assert ["nom", "Vélo Solidaire", "Atelier Vélo du Mont"] in update["fields"]
    # Kept through the preview's storage, and nothing written.
    assert ImportReport.from_dict(report.to_dict()).warnings[0].message == warning.message
    assert Organisation.objects.get().name == "Vélo Solidaire"


@pytest.mark.django_db
def test_the_projects_import_says_the_stored_name_is_kept(officer):
    OrganisationFactory(name="Vélo Solidaire", siret="73282932000074")
    text = (
        "Nom du projet;Prénom;Nom;Email;Structure;SIRET;Commune\r\n"
        "Atelier mobile;Léa;Martin;lea@exemple.fr;Atelier Vélo;73282932000074;Créteil\r\n"
    )
    report = run_import(kind="projects", table=table(text), by=officer, dry_run=True)
    [warning] = report.warnings
    assert warning.line == 2 and "nom enregistré est gardé" in warning.message


@pytest.mark.django_db
def test_a_new_person_probably_already_stored_is_pointed_out(officer):
    existing = PersonFactory(
        first_name="Hélène",
        last_name="Lefèvre",
        email="",
        phone="06 12 34 56 78",
        commune=commune("Créteil"),
    )
    text = (
        "Prénom;Nom;Courriel;Téléphone\r\n"
        "Helene;LEFEVRE;helene.l@exemple.fr;+33 6 12 34 56 78\r\n"
        "Paul;Durand;paul@exemple.fr;\r\n"
    )
    report = run_import(kind="people", table=table(text), by=officer, dry_run=True)
    assert report.new == 2
    [warning] = report.warnings
    assert warning.line == 2
    assert f"fiche n° {existing.pk}" in warning.message and "même téléphone" in warning.message
    assert Person.objects.count() == 1
