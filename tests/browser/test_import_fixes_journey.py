"""An officer imports a legacy file with accented e-mails: accepts the proposed correction
for every row of the column, confirms, then undoes the import (issue 21)."""

from playwright.sync_api import expect

from contacts.models import Person
from crm.models import Project
from tests.browser.conftest import log_in
from tests.crm.legacy_file import legacy_csv, legacy_rows
from tests.factories import OfficerFactory


def test_officer_accepts_a_fix_for_all_rows_then_undoes(
    page, transactional_db, assert_accessible, tmp_path
):
    OfficerFactory(username="camille", password="correct-horse-battery")
    rows = legacy_rows(6)
    for row in rows:  # accented e-mails only: the other faults are left out
        row[4], row[5], row[6], row[7] = "06 12 34 56 78", "Créteil", "Compostage", "Idée"
    path = tmp_path / "suivi-ancien.csv"
    path.write_bytes(legacy_csv(rows))
    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Fichier", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Prévisualiser l'import").click()
    expect(page.get_by_role("heading", name="Corrections proposées")).to_be_visible()
    expect(page.get_by_role("cell", name="ines.lefevre0@exemple.fr", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pour toutes ces lignes").select_option("accept")
    page.get_by_role("button", name="Appliquer ces décisions et prévisualiser à nouveau").click()
    expect(page.get_by_text("Corrections enregistrées")).to_be_visible()
    expect(page.get_by_role("heading", name="Lignes refusées")).to_have_count(0)
    expect(page.get_by_role("heading", name="Aperçu des fiches")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé : 6 créée(s)")).to_be_visible()
    assert Person.objects.filter(email="ines.lefevre0@exemple.fr").exists()
    assert_accessible(page)
    page.get_by_role("button", name="Défaire cet import").click()
    expect(page.get_by_text("Import défait :")).to_be_visible()
    expect(page.get_by_role("heading", name="Import défait")).to_be_visible()
    assert_accessible(page)
    assert not Project.objects.exists() and not Person.objects.exists()
