"""An officer imports the legacy spreadsheet: preview, refused rows, confirmation; a stuck
preview started again."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from crm.models import ImportBatch, ImportStatus
from tests.browser.conftest import log_in
from tests.crm.test_import import SAMPLE
from tests.factories import OfficerFactory


def test_officer_previews_and_confirms_an_import(page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password="correct-horse-battery")
    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Imports").click()
    assert_accessible(page)
    page.get_by_label("Fichier", exact=True).set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Prévisualiser l'import").click()
    expect(page.get_by_role("heading", name="Ce que l'import va faire")).to_be_visible()
    expect(page.get_by_text("date impossible : « 31/02/2023 »")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger les lignes refusées (CSV)").click()
    assert download.value.suggested_filename.endswith("-refusees.csv")
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé : 46 créée(s)")).to_be_visible()
    page.get_by_role("link", name="Projets", exact=True).click()
    expect(page.get_by_text("46 résultats")).to_be_visible()


def test_officer_restarts_a_stuck_preview(page, transactional_db, assert_accessible):
    """A preview whose worker stopped shows as stuck; the officer starts it again."""
    officer = OfficerFactory(username="camille", password="correct-horse-battery")
    batch = ImportBatch(
        kind="projects",
        mode="update",
        original_name=SAMPLE.name,
        created_by=officer,
        status=ImportStatus.PREVIEWING,
        started_at=timezone.now() - datetime.timedelta(hours=2),
    )
    batch.file.save("stuck.csv", ContentFile(SAMPLE.read_bytes()))
    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Imports").click()
    expect(page.get_by_text("Bloqué (prévisualisation interrompue)")).to_be_visible()
    page.get_by_role("link", name=SAMPLE.name).click()
    expect(page.get_by_text("Cette prévisualisation semble bloquée.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Relancer la prévisualisation").click()
    expect(page.get_by_role("heading", name="Ce que l'import va faire")).to_be_visible()
