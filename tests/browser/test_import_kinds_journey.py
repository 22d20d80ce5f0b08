"""An officer imports people: preview, refusals, confirmation; a long import shows its
progress and the page updates itself when the worker is done."""

from django.core.files.base import ContentFile
from playwright.sync_api import expect

from crm.models import ImportBatch
from tests.browser.conftest import log_in
from tests.factories import OfficerFactory

PEOPLE = (
    "Prénom;Nom;Courriel;Commune\r\n"
    "Léa;Martin;lea.martin@exemple.fr;Créteil\r\n"
    "Hugo;Dubois;hugo.dubois@exemple.fr;Créteil\r\n"
    "Inès;Petit;pas-un-email;Créteil\r\n"
)


def test_officer_imports_a_people_file(page, transactional_db, assert_accessible, tmp_path):
    OfficerFactory(username="camille", password="correct-horse-battery")
    people = tmp_path / "porteurs.csv"
    people.write_bytes(PEOPLE.encode("cp1252"))
    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Contenu du fichier").select_option(label="Porteur·ses de projet")
    page.get_by_label("Fichier", exact=True).set_input_files(str(people))
    page.get_by_role("button", name="Prévisualiser l'import").click()
    expect(page.get_by_role("heading", name="Ce que l'import va faire")).to_be_visible()
    expect(page.get_by_text("Saisissez une adresse de courriel valide")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé : 2 créée(s), 0 mise(s) à jour")).to_be_visible()
    expect(page.get_by_role("heading", name="Résultat")).to_be_visible()


def test_a_running_import_shows_its_progress_then_its_result(
    page, live_server, transactional_db, assert_accessible
):
    officer = OfficerFactory(username="camille", password="correct-horse-battery")
    batch = ImportBatch(
        kind="people",
        original_name="gros-fichier.csv",
        created_by=officer,
        status="importing",
        processed=250,
        total=400,
    )
    batch.file.save("gros-fichier.csv", ContentFile(b"Nom\r\nx\r\n"))
    log_in(page, "camille", "correct-horse-battery")
    # The page polls every two seconds: the test moves the page's clock on instead of waiting.
    page.clock.install()
    page.goto(f"{live_server.url}/imports/{batch.pk}/")
    expect(page.get_by_role("heading", name="Import en cours")).to_be_visible()
    bar = page.locator("progress")
    assert bar.get_attribute("value") == "250" and bar.get_attribute("max") == "400"
    expect(page.get_by_text("250 lignes traitées sur 400")).to_be_visible()
    assert_accessible(page)
    # The worker moves on: the bar follows, then the page shows the result by itself.
    ImportBatch.objects.filter(pk=batch.pk).update(processed=350)
    page.clock.run_for(2_000)
    page.get_by_text("350 lignes traitées sur 400").wait_for(timeout=10_000)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="done",
        processed=400,
        result={"new": 398, "updated": 0, "unchanged": 0, "refused": 2, "errors": []},
    )
    page.clock.run_for(2_000)
    page.get_by_role("heading", name="Résultat").wait_for(timeout=10_000)
    expect(page.get_by_text("398", exact=True)).to_be_visible()
